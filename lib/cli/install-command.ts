import { parseJsonObject } from "../core/common/file-problem";
import { InstallJson, UninstallJson, jsonOutput } from "../json/queue-json";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, rmdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { atomicWrite, nodeCrypto } from "../shell/lazy-deps";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { type HookSettings, MANIFEST_NAME, MARK, type SourceFile, mergeHooks, planInstall, unmergeHooks } from "../core/install/install-plan";
import { checkManifestFiles, describeChar, unsafePathChar } from "../core/install/install-safety";
import type { CommandResult } from "./commands";
import type { Io } from "./context";

interface Manifest {
  version: 1;
  root: string;
  files: { path: string; sha256: string }[];
  hooks: HookSettings;
}

const sha = (t: string) => nodeCrypto().createHash("sha256").update(t).digest("hex");

function claudeDir(io: Io, flags: { global?: boolean; local?: boolean; cwd?: string }): string {
  if (flags.global) return join(io.env.HOME ?? homedir(), ".claude");
  return join(resolve(flags.cwd ?? io.cwd), ".claude");
}

/**
 * The package this helper was started from: `<root>/dist/cli.js`, after following links (a global
 * npm install starts it through `<prefix>/bin/gsd-async`, a link to the package's file).
 */
function packageRoot(io: Io): string {
  const script = resolve(io.helper[1] ?? "dist/cli.js");
  return dirname(dirname(existsSync(script) ? realpathSync(script) : script));
}

function readSources(pkg: string): { sources: SourceFile[]; hooks: { hooks: HookSettings } } {
  const sources: SourceFile[] = [];
  for (const dir of ["commands", "workflows", "agents"]) {
    if (!existsSync(join(pkg, dir))) continue;
    for (const name of readdirSync(join(pkg, dir))
      .filter((n) => n.endsWith(".md"))
      .sort()) {
      sources.push({ rel: `${dir}/${name}`, text: readFileSync(join(pkg, dir, name), "utf8") });
    }
  }
  for (const f of ["cli.js", "hook-pre-tool-use.js"]) sources.push({ rel: `dist/${f}`, text: readFileSync(join(pkg, "dist", f), "utf8") });
  return { sources, hooks: JSON.parse(readFileSync(join(pkg, "hooks", "hooks.json"), "utf8")) as { hooks: HookSettings } };
}

/** A JSON object file: `{}` when it does not exist, undefined when it is not a JSON object. */
function readJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return {};
  const parsed = parseJsonObject(readFileSync(file, "utf8"));
  return parsed.ok ? parsed.json : undefined;
}

/**
 * `gsd-async install [--global|--local]`: commands, workflow, hooks and a copy of the helper
 * into `~/.claude` or `./.claude`. Files that exist and differ from ours are not overwritten
 * (the install stops and says which); settings.json is merged, never replaced.
 */
export async function installCommand(io: Io, flags: { global?: boolean; local?: boolean; cwd?: string; json?: boolean }): Promise<CommandResult> {
  if (flags.global && flags.local) return { kind: "usage", message: "choose one of --global and --local" };
  const target = claudeDir(io, flags);
  const root = join(target, MARK);
  const bad = unsafePathChar(root);
  if (bad !== undefined)
    return {
      kind: "usage",
      message: `cannot install into ${JSON.stringify(root)}: its path holds ${describeChar(bad)}, which would have to be quoted in the hook commands and command files (nothing was installed)`,
      hint: "install into a directory whose path has only letters, digits, spaces and / . _ + - @ ~ % =, or use the plugin (/plugin install gsd@gsd-async)",
    };
  const { sources, hooks } = readSources(packageRoot(io));
  const plan = planInstall(sources, hooks, root);
  const previous = readJson(join(root, MANIFEST_NAME)) as Manifest | undefined;
  const ours = new Map((previous?.files ?? []).map((f) => [f.path, f.sha256]));
  const clashes = plan.writes.filter((w) => {
    const abs = join(target, w.path);
    if (!existsSync(abs)) return false;
    const now = sha(readFileSync(abs, "utf8"));
    return now !== sha(w.text) && now !== ours.get(w.path);
  });
  if (clashes.length > 0)
    return { kind: "usage", message: `not overwriting files that are not gsd-async's: ${clashes.map((c) => join(target, c.path)).join(", ")}` };
  const settingsFile = join(target, "settings.json");
  const settings = readJson(settingsFile);
  if (settings === undefined) return { kind: "state", message: `${settingsFile} is not a JSON object; fix it first (nothing was installed)` };
  const outside = plan.writes.map((w) => join(target, w.path)).filter((abs) => !insideReal(target, abs));
  if (outside.length > 0)
    return { kind: "usage", message: `not writing through a symbolic link that leads out of ${target}: ${outside.join(", ")} (nothing was installed)` };
  for (const w of plan.writes) {
    mkdirSync(dirname(join(target, w.path)), { recursive: true });
    await atomicWrite(join(target, w.path), w.text);
  }
  await atomicWrite(settingsFile, JSON.stringify(mergeHooks(settings, plan.hooks), null, 2) + "\n");
  const manifest: Manifest = { version: 1, root, files: plan.writes.map((w) => ({ path: w.path, sha256: sha(w.text) })), hooks: plan.hooks };
  await atomicWrite(join(root, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + "\n");
  const summary = { schemaVersion: JSON_SCHEMA_VERSION, command: "install", target, files: manifest.files.map((f) => f.path), hooks: Object.keys(plan.hooks) };
  io.out(
    flags.json
      ? jsonOutput(InstallJson, summary)
      : `Installed gsd-async into ${target}: ${manifest.files.length} files, hooks ${summary.hooks.join(", ")}.\nRestart Claude Code, then run /gsd:execute-phase-async.\n`,
  );
  return "ok";
}

/**
 * Whether `abs` (a path under `target`, which may not exist yet) stays inside `target` once every
 * symbolic link on the way that exists is followed.
 */
function insideReal(target: string, abs: string): boolean {
  if (!existsSync(target)) return true;
  const base = realpathSync(target);
  let dir = dirname(abs);
  while (!existsSync(dir)) dir = dirname(dir);
  const real = realpathSync(dir);
  const rel = relative(base, real);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && rel !== "..");
}

/**
 * `gsd-async uninstall`: removes what the manifest lists (files changed since are kept and named)
 * and our hooks. Nothing is removed when the manifest names a path outside the install folders,
 * or when settings.json cannot be read as a JSON object: the hooks in it would be left pointing
 * at a helper that is gone.
 */
export async function uninstallCommand(io: Io, flags: { global?: boolean; local?: boolean; cwd?: string; json?: boolean }): Promise<CommandResult> {
  if (flags.global && flags.local) return { kind: "usage", message: "choose one of --global and --local" };
  const target = claudeDir(io, flags);
  const root = join(target, MARK);
  const manifestFile = join(root, MANIFEST_NAME);
  if (!existsSync(manifestFile)) return { kind: "usage", message: `no gsd-async installation in ${target}` };
  const manifest = readJson(manifestFile) as Partial<Manifest> | undefined;
  if (manifest === undefined) return { kind: "state", message: `${manifestFile} is not a JSON object (nothing was removed)` };
  const checked = checkManifestFiles(manifest.files);
  if (!checked.ok)
    return { kind: "state", message: `${manifestFile} lists files uninstall may not remove (nothing was removed): ${checked.problems.join("; ")}` };
  const settingsFile = join(target, "settings.json");
  const settings = readJson(settingsFile);
  if (settings === undefined) return { kind: "state", message: `${settingsFile} is not a JSON object; fix it first (nothing was removed)` };
  const kept: string[] = [];
  let removed = 0;
  for (const f of checked.files) {
    const abs = join(target, f.path);
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (st === undefined) continue;
    if (!st.isFile() || !insideReal(target, abs) || sha(readFileSync(abs, "utf8")) !== f.sha256) kept.push(abs);
    else {
      rmSync(abs);
      removed++;
    }
  }
  const installed: HookSettings = { ...(typeof manifest.hooks === "object" && manifest.hooks !== null ? manifest.hooks : {}) };
  const current = readSources(packageRoot(io));
  for (const [event, entries] of Object.entries(planInstall(current.sources, current.hooks, root).hooks))
    installed[event] = [...(installed[event] ?? []), ...entries];
  const unmerged = unmergeHooks(settings, installed, root);
  if (existsSync(settingsFile)) await atomicWrite(settingsFile, JSON.stringify(unmerged.settings, null, 2) + "\n");
  rmSync(manifestFile, { force: true });
  for (const d of [join(root, "dist"), join(root, "workflows"), join(root, "agents"), root, join(target, "commands", "gsd")]) {
    try {
      rmdirSync(d);
    } catch {
      // Not empty (the user keeps something there) or already gone: leave it.
    }
  }
  const out = {
    schemaVersion: JSON_SCHEMA_VERSION,
    command: "uninstall",
    target,
    removed,
    kept,
    hooksChanged: unmerged.changed,
    hooksLeft: unmerged.left,
  } as const;
  const lines = [`Removed gsd-async from ${target}.`];
  if (kept.length > 0) lines.push(`Kept (changed since install): ${kept.join(", ")}`);
  if (unmerged.changed.length > 0)
    lines.push(`Hook entries you had changed: gsd-async's command was taken out of ${unmerged.changed.join(", ")}; the rest of each is kept.`);
  if (unmerged.left.length > 0) lines.push(`Still in ${settingsFile}, naming the removed helper (edit or delete them): ${unmerged.left.join("; ")}`);
  io.out(flags.json ? jsonOutput(UninstallJson, out) : lines.join("\n") + "\n");
  return "ok";
}
