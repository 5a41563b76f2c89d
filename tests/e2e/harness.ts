import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CORPUS } from "../helpers/corpus-path";
import { MockApi, type ScriptedModel } from "./mock-api";

/**
 * Runs the real Claude Code CLI headless against a scripted mock of the Messages API on
 * 127.0.0.1, in a sandbox of throwaway directories: HOME (with `{}` in .claude.json, since
 * every claude invocation writes that file), TMPDIR (background task output goes there) and a
 * fresh copy of examples/demo as the project. Every process it starts runs in its own process
 * group and is killed with its children on timeout and on cleanup; every directory is removed
 * on cleanup, also when a test fails (set GSD_E2E_KEEP=1 to keep them for debugging).
 */

export const REPO_ROOT = resolve(__dirname, "../..");
export const HELPER = join(REPO_ROOT, "dist", "cli.js");
/** The plugin as the marketplace ships it (built by scripts/build-plugin.mjs); `--plugin-dir` points here. */
export const PLUGIN_ROOT = join(REPO_ROOT, "plugin");
/**
 * The Claude Code version this jest run drives: $GSD_E2E_CLAUDE_VERSION, one of those named in
 * versions.json ("oldest" and "newest" are accepted too); the newest by default.
 */
export const CLAUDE_VERSION = pickVersion(process.env.GSD_E2E_CLAUDE_VERSION);

function pickVersion(wanted: string | undefined): string {
  const v = JSON.parse(readFileSync(join(__dirname, "versions.json"), "utf8")) as { oldest: string; newest: string; all: string[] };
  if (wanted === undefined || wanted === "" || wanted === "newest") return v.newest;
  if (wanted === "oldest") return v.oldest;
  if (!v.all.includes(wanted)) throw new Error(`GSD_E2E_CLAUDE_VERSION=${wanted}: the e2e suite supports ${v.all.join(", ")} (tests/e2e/versions.json)`);
  return wanted;
}

/** The pinned Claude Code binary: $CLAUDE_BIN, else the cache that scripts/ensure-claude-code.sh fills. */
export function claudeBin(version: string = CLAUDE_VERSION): string {
  const fromEnv = version === CLAUDE_VERSION ? process.env.CLAUDE_BIN : undefined;
  const bin =
    fromEnv && fromEnv.length > 0
      ? fromEnv
      : join(REPO_ROOT, ".cache", `claude-code-${version}`, "node_modules", "@anthropic-ai", "claude-code", "bin", "claude.exe");
  if (!existsSync(bin) || statSync(bin).size < 10_000_000) {
    throw new Error(
      `Claude Code ${version} is not installed at ${bin}.\n` +
        `Run \`bash scripts/ensure-claude-code.sh ${version}\` (it installs that version into .cache/claude-code-${version} once), ` +
        `or point CLAUDE_BIN at a claude ${version} binary. The e2e tests do not skip without it.`,
    );
  }
  if (!existsSync(HELPER)) throw new Error(`${HELPER} is missing: run \`npm run build\` first`);
  return bin;
}

export interface Sandbox {
  root: string;
  home: string;
  tmp: string;
  project: string;
}

const live = new Set<ChildProcess>();
const sandboxes = new Set<string>();
const mocks = new Set<MockApi>();

export function makeSandbox(name: string, demo = true): Sandbox {
  const root = mkdtempSync(join(tmpdir(), `gsd-e2e-${name}-`));
  sandboxes.add(root);
  const home = join(root, "home");
  const tmp = join(root, "tmp");
  const project = join(root, "project");
  mkdirSync(home, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(home, ".claude.json"), "{}\n");
  if (demo) cpSync(join(REPO_ROOT, "examples", "demo"), project, { recursive: true });
  else mkdirSync(project, { recursive: true });
  return { root, home, tmp, project };
}

/** A phase of a real project in the corpus: the project's folder and the phase's directory name. */
export interface CorpusPhase {
  project: string;
  dir: string;
}

/**
 * A sandbox whose project is a copy of one corpus project's `.planning/` tree (never the
 * repository's), with the chosen phase's SUMMARY.md files removed so that the whole phase is
 * still to do, and `mode: yolo` in its config. Other phases keep their summaries, so a plan's
 * prerequisites in earlier phases are complete.
 */
export function makeCorpusSandbox(name: string, phase: CorpusPhase): Sandbox & { phaseDir: string } {
  const sb = makeSandbox(name, false);
  const from = join(CORPUS, phase.project, ".planning");
  if (!existsSync(join(from, "phases", phase.dir)))
    throw new Error(`corpus phase ${phase.project}/.planning/phases/${phase.dir} is missing (corpus at ${CORPUS})`);
  cpSync(from, join(sb.project, ".planning"), { recursive: true });
  const phaseDir = join(sb.project, ".planning", "phases", phase.dir);
  for (const f of readdirSync(phaseDir)) if (/SUMMARY\.md$/.test(f)) rmSync(join(phaseDir, f));
  const configFile = join(sb.project, ".planning", "config.json");
  const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, "utf8")) as Record<string, unknown>) : {};
  writeFileSync(configFile, JSON.stringify({ ...config, mode: "yolo" }, null, 2) + "\n");
  return { ...sb, phaseDir };
}

export async function startMock(model: ScriptedModel, sandbox: Sandbox): Promise<MockApi> {
  const mock = new MockApi(model, join(sandbox.root, "requests.jsonl"));
  mocks.add(mock);
  await mock.start();
  return mock;
}

/** The environment for claude: the parent's, minus anything that would reach out or leak in. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(ANTHROPIC_|CLAUDE|IS_SANDBOX|NODE_OPTIONS|GSD_ASYNC_|XDG_|npm_)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

export function claudeEnv(sandbox: Sandbox, mockUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...baseEnv(),
    HOME: sandbox.home,
    TMPDIR: sandbox.tmp,
    XDG_CONFIG_HOME: join(sandbox.home, ".config"),
    XDG_CACHE_HOME: join(sandbox.home, ".cache"),
    XDG_DATA_HOME: join(sandbox.home, ".local", "share"),
    XDG_STATE_HOME: join(sandbox.home, ".local", "state"),
    ANTHROPIC_BASE_URL: mockUrl,
    ANTHROPIC_API_KEY: "dummy",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
    DISABLE_BUG_COMMAND: "1",
    // The plugin's hooks append what they did here (see lib/cli/hook-commands.ts).
    GSD_ASYNC_HOOK_LOG: join(sandbox.root, "hooks.log"),
    ...extra,
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** The `--output-format json` result, when stdout was one. */
  json: { result?: string; is_error?: boolean; num_turns?: number; session_id?: string; permission_denials?: unknown[]; [k: string]: unknown } | undefined;
  debugLog: string;
  /** `[ERROR]` lines of the debug log, minus known benign ones. */
  errors: string[];
  ms: number;
}

export interface RunOptions {
  /** Arguments after the binary, e.g. ["-p", "/gsd:status"]. */
  args: string[];
  mock: MockApi;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Called once the process is running (e.g. to kill it at the right moment). */
  onStart?: (child: ChildProcess) => void;
  /** The Claude Code version to run (default CLAUDE_VERSION). */
  version?: string;
}

/**
 * `claude -p <prompt>` with this repository as the plugin, JSON output, and the least
 * permission that lets a run finish. We run as root, where --dangerously-skip-permissions
 * would also need IS_SANDBOX=1; we use neither. What allows what:
 * - a command's own `allowed-tools` (the helper's command lines, Agent, ...) covers the helper calls of the
 *   command's turn and of the agents started in it;
 * - in task-notification turns (and agents started from them) nothing does, except the
 *   plugin's PreToolUse hook, which allows exactly the helper's own commands;
 * - `Edit(./.planning/**)` lets the agents write their SUMMARY.md (Edit rules cover Write) and
 *   nothing else. `--permission-mode acceptEdits` would work too, but it also auto-approves
 *   file-changing shell commands such as `touch` in the project (see hostile-input.test.ts).
 */
export function gsdArgs(prompt: string, ...extra: string[]): string[] {
  return ["-p", prompt, "--plugin-dir", PLUGIN_ROOT, "--output-format", "json", "--allowedTools", "Edit(./.planning/**)", ...extra];
}

let runs = 0;

/** Kills a process group: TERM, then KILL if anything in it is still alive after a grace period. */
async function killGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    return;
  }
  const until = Date.now() + graceMs;
  while (alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** Kills a running claude and everything it started at once (SIGKILL), as a crash would. */
export function crashRun(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Ends a running claude (and everything it started), as closing its terminal would. */
export function stopRun(child: ChildProcess): Promise<void> {
  return killGroup(child);
}

export async function runClaude(sandbox: Sandbox, o: RunOptions): Promise<RunResult> {
  const bin = claudeBin(o.version);
  const n = ++runs;
  const debugFile = join(sandbox.root, `debug-${n}.log`);
  const args = [...o.args, "--debug-file", debugFile];
  const started = Date.now();
  const child = spawn(bin, args, {
    cwd: sandbox.project,
    env: claudeEnv(sandbox, o.mock.url, o.env),
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so hooks, Bash tool shells and anything else it starts die with it.
    detached: true,
  });
  live.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void killGroup(child);
  }, o.timeoutMs ?? 120_000);
  o.onStart?.(child);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => {
    child.on("error", (err) => {
      stderr += `\nspawn error: ${err.message}`;
      res([null, null]);
    });
    child.on("close", (c, s) => res([c, s]));
  });
  clearTimeout(timer);
  // Anything the run left behind in its group (it should be nothing) goes too.
  await killGroup(child, 500);
  live.delete(child);
  writeFileSync(join(sandbox.root, `stdout-${n}.txt`), stdout);
  writeFileSync(join(sandbox.root, `stderr-${n}.txt`), stderr);
  let json: RunResult["json"];
  try {
    json = JSON.parse(stdout) as RunResult["json"];
  } catch {
    json = undefined;
  }
  const debugLog = existsSync(debugFile) ? readFileSync(debugFile, "utf8") : "";
  const errors = debugLog.split("\n").filter((l) => l.includes("[ERROR]"));
  return { code, signal, timedOut, stdout, stderr, json, debugLog, errors, ms: Date.now() - started };
}

/** Runs a claude subcommand that needs no model (e.g. `plugin validate`) in the sandbox. */
export function runClaudeCli(
  sandbox: Sandbox,
  args: string[],
  mockUrl: string,
  timeoutMs = 60_000,
  version: string = CLAUDE_VERSION,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const bin = claudeBin(version);
  return new Promise((res) => {
    const child = spawn(bin, args, { cwd: sandbox.project, env: claudeEnv(sandbox, mockUrl, env), stdio: ["ignore", "pipe", "pipe"], detached: true });
    live.add(child);
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (out += d));
    const timer = setTimeout(() => void killGroup(child), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      live.delete(child);
      res({ code, out });
    });
  });
}

/** Kills every process still running, stops every mock, removes every sandbox. */
export async function cleanupAll(): Promise<void> {
  await Promise.all([...live].map((c) => killGroup(c, 1000)));
  live.clear();
  await Promise.all([...mocks].map((m) => m.close()));
  mocks.clear();
  if (process.env.GSD_E2E_KEEP !== "1") for (const d of sandboxes) rmSync(d, { recursive: true, force: true });
  else for (const d of sandboxes) process.stderr.write(`gsd e2e: kept ${d}\n`);
  sandboxes.clear();
}

/** Every file under `dir` whose name matches, recursively (symlinks are not followed). */
export function findFiles(dir: string, name: RegExp): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (name.test(e.name)) out.push(p);
    if (e.isDirectory() && !e.isSymbolicLink()) out.push(...findFiles(p, name));
  }
  return out;
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** Runs the helper directly (as a person in a terminal would), with the sandbox's HOME. */
export function helper(sandbox: Sandbox, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [HELPER, ...args], {
      cwd: sandbox.project,
      env: { ...baseEnv(), HOME: sandbox.home, TMPDIR: sandbox.tmp, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (code) => res({ code, stdout, stderr }));
  });
}
