import { compareText } from "../core/common/compare-text";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { atomicWrite, nodeCrypto } from "./lazy-deps";

/** One file an export writes, by path from the repository root. */
export interface ExportWrite {
  path: string;
  text: string;
  mode?: number;
}

export type ExportState = "new" | "unchanged" | "replaced";

export interface ExportCheck {
  files: { path: string; state: ExportState }[];
  /** Files that exist, differ from what would be written and are not as the last export left them. */
  changedByHand: string[];
}

const MANIFEST = ".github/gsd-async/export-manifest.json";
const sha = (t: string) => nodeCrypto().createHash("sha256").update(t).digest("hex");

/** The repository the project is in: the nearest directory at or above it with `.git`; else the project itself. */
export function repositoryRoot(projectRoot: string): string {
  let dir = resolve(projectRoot);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(projectRoot);
    dir = up;
  }
}

/** `a` relative to `b` with forward slashes, `.` when equal. */
export function relativeSlash(from: string, to: string): string {
  const rel = relative(from, to).split(sep).join("/");
  return rel === "" ? "." : rel;
}

function readManifest(repo: string): Map<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(join(repo, MANIFEST), "utf8")) as { files?: { path?: unknown; sha256?: unknown }[] };
    return new Map(
      (parsed.files ?? []).filter((f) => typeof f.path === "string" && typeof f.sha256 === "string").map((f) => [f.path as string, f.sha256 as string]),
    );
  } catch {
    return new Map();
  }
}

/** What writing would do, and which files a person changed since the last export. */
export function checkExport(repo: string, writes: readonly ExportWrite[]): ExportCheck {
  const ours = readManifest(repo);
  const files: ExportCheck["files"] = [];
  const changedByHand: string[] = [];
  for (const w of writes) {
    const abs = join(repo, w.path);
    if (!existsSync(abs)) {
      files.push({ path: w.path, state: "new" });
      continue;
    }
    const now = sha(readFileSync(abs, "utf8"));
    if (now === sha(w.text)) files.push({ path: w.path, state: "unchanged" });
    else {
      files.push({ path: w.path, state: "replaced" });
      if (now !== ours.get(w.path)) changedByHand.push(w.path);
    }
  }
  return { files, changedByHand };
}

/** Writes the files atomically and records their hashes for the next export's check. */
export async function writeExport(repo: string, writes: readonly ExportWrite[]): Promise<void> {
  const manifest = readManifest(repo);
  for (const w of writes) {
    const abs = join(repo, w.path);
    mkdirSync(dirname(abs), { recursive: true });
    await atomicWrite(abs, w.text, w.mode === undefined ? undefined : { mode: w.mode });
    manifest.set(w.path, sha(w.text));
  }
  const files = [...manifest.entries()].sort(([a], [b]) => compareText(a, b)).map(([path, sha256]) => ({ path, sha256 }));
  mkdirSync(dirname(join(repo, MANIFEST)), { recursive: true });
  await atomicWrite(join(repo, MANIFEST), JSON.stringify({ version: 1, files }, null, 2) + "\n");
}

/** The helper bundle this process runs from, to copy beside the workflow. */
export function readHelperBundle(helper: readonly string[]): { ok: true; text: string } | { ok: false; file: string } {
  const file = resolve(helper[1] ?? "dist/cli.js");
  try {
    return { ok: true, text: readFileSync(file, "utf8") };
  } catch {
    return { ok: false, file };
  }
}
