import { parseJsonObject } from "../core/common/file-problem";
import { InstallJson, UninstallJson, jsonOutput } from "../json/queue-json";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { atomicWrite, nodeCrypto } from "../shell/lazy-deps";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { type HookSettings, MANIFEST_NAME, MARK, type SourceFile, mergeHooks, planInstall, unmergeHooks } from "../core/install/install-plan";
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

/** The package this helper was started from: `<root>/dist/cli.js`. */
function packageRoot(io: Io): string {
  return dirname(dirname(resolve(io.helper[1] ?? "dist/cli.js")));
}

function readSources(pkg: string): { sources: SourceFile[]; hooks: { hooks: HookSettings } } {
  const sources: SourceFile[] = [];
  for (const dir of ["commands", "workflows"]) {
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
  if (settings === undefined) return { kind: "usage", message: `${settingsFile} is not a JSON object; fix it first (nothing was installed)` };
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

/** `gsd-async uninstall`: removes what the manifest lists; files changed since are kept and named. */
export async function uninstallCommand(io: Io, flags: { global?: boolean; local?: boolean; cwd?: string; json?: boolean }): Promise<CommandResult> {
  if (flags.global && flags.local) return { kind: "usage", message: "choose one of --global and --local" };
  const target = claudeDir(io, flags);
  const root = join(target, MARK);
  const manifest = readJson(join(root, MANIFEST_NAME)) as Manifest | undefined;
  if (!manifest || !Array.isArray(manifest.files)) return { kind: "usage", message: `no gsd-async installation in ${target}` };
  const kept: string[] = [];
  for (const f of manifest.files) {
    const abs = join(target, f.path);
    if (!existsSync(abs)) continue;
    if (sha(readFileSync(abs, "utf8")) !== f.sha256) kept.push(abs);
    else rmSync(abs);
  }
  const settingsFile = join(target, "settings.json");
  const settings = readJson(settingsFile);
  if (settings && existsSync(settingsFile)) await atomicWrite(settingsFile, JSON.stringify(unmergeHooks(settings, manifest.hooks ?? {}), null, 2) + "\n");
  rmSync(join(root, MANIFEST_NAME), { force: true });
  for (const d of [join(root, "dist"), join(root, "workflows"), root, join(target, "commands", "gsd")]) {
    try {
      rmdirSync(d);
    } catch {
      // Not empty (the user keeps something there) or already gone: leave it.
    }
  }
  const out = { schemaVersion: JSON_SCHEMA_VERSION, command: "uninstall", target, removed: manifest.files.length - kept.length, kept };
  io.out(
    flags.json
      ? jsonOutput(UninstallJson, out)
      : `Removed gsd-async from ${target}.${kept.length > 0 ? `\nKept (changed since install): ${kept.join(", ")}` : ""}\n`,
  );
  return "ok";
}
