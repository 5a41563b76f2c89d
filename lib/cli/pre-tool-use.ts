import { appendFileSync } from "node:fs";
import { type HookDecision, judgeHelperCall } from "../core/queue/helper-command";
import { helperFacts } from "../shell/helper-facts";

/**
 * The PreToolUse hook on Bash, shared by `gsd-async hook pre-tool-use` and the small bundle
 * hooks.json runs (dist/hook-pre-tool-use.js, see hook-pre-tool-use-main.ts). It reads the
 * payload, judges the command and returns what to print: a permission decision for Claude Code
 * on stdout (allow or deny), or nothing, which leaves the call to Claude Code's own rules.
 */
export interface PreToolUseContext {
  /** The helper's path (dist/cli.js beside this code). */
  helper: string;
  env: NodeJS.ProcessEnv;
  /** The node running the hook (process.execPath). */
  execPath: string;
  /** Used when the payload has no cwd. */
  cwd: string;
}

export interface PreToolUseAnswer {
  stdout: string;
  /** One line for the hook log (stderr and GSD_ASYNC_HOOK_LOG); `quiet` ones go to the file only. */
  log: string;
  quiet: boolean;
}

export function preToolUseAnswer(text: string, c: PreToolUseContext): PreToolUseAnswer {
  let payload: { tool_name?: unknown; tool_input?: { command?: unknown }; cwd?: unknown };
  try {
    payload = JSON.parse(text) as typeof payload;
  } catch {
    return { stdout: "", log: "ignored (not JSON)", quiet: false };
  }
  const command = payload?.tool_input?.command;
  if (payload?.tool_name !== "Bash" || typeof command !== "string") return { stdout: "", log: "ignored (not a Bash call)", quiet: true };
  const cwd = typeof payload.cwd === "string" && payload.cwd !== "" ? payload.cwd : (c.env.CLAUDE_PROJECT_DIR ?? c.cwd);
  const decision: HookDecision = judgeHelperCall(command, helperFacts({ helper: c.helper, cwd, path: c.env.PATH, execPath: c.execPath }));
  const shown = command.slice(0, 200).replace(/\r?\n/g, "\\n");
  if (decision.kind === "pass") return { stdout: "", log: `passed (${decision.why}): ${shown}`, quiet: true };
  const out = { hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: decision.kind, permissionDecisionReason: decision.reason } };
  return { stdout: JSON.stringify(out) + "\n", log: `${decision.kind === "allow" ? "allowed" : "denied"}: ${shown}`, quiet: false };
}

/** Writes a hook log line to stderr (unless quiet) and appends it to GSD_ASYNC_HOOK_LOG when set. */
export function hookLog(env: NodeJS.ProcessEnv, err: (s: string) => void, now: Date, event: string, msg: string, quiet = false): void {
  const line = `${now.toISOString()} hook ${event}: ${msg}\n`;
  if (!quiet) err(line);
  const file = env.GSD_ASYNC_HOOK_LOG;
  if (file) {
    try {
      appendFileSync(file, line);
    } catch {
      // Logging is best effort.
    }
  }
}
