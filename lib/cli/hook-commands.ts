import { expectedSummaryPath } from "../core/plan/planning-tree";
import { appendFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { isOwnHelperCall } from "../core/queue/helper-command";
import type { HistoryEntry } from "../core/queue/history-schema";
import { replaceEntry, transition } from "../core/queue/history-ops";
import { type HookEvent, parsePostToolUse, parseSubagentStop } from "../core/queue/hook-payload";
import { updateHistory } from "../shell/history-store";
import { findProjectRoot } from "../shell/planning-root";
import type { CommandResult } from "./commands";
import type { Io } from "./context";

/**
 * `gsd-async hook post-tool-use|subagent-stop`: called by Claude Code with the hook payload on
 * stdin. A hook must never disturb the session: every outcome, including bad input and a broken
 * history file, exits 0; what happened goes to stderr and, when GSD_ASYNC_HOOK_LOG names a file,
 * is appended there.
 */
export async function hookCommand(io: Io, event: string, opts: { cwd?: string }): Promise<CommandResult> {
  const log = (msg: string) => {
    const line = `${io.now().toISOString()} hook ${event}: ${msg}\n`;
    io.err(line);
    const file = io.env.GSD_ASYNC_HOOK_LOG;
    if (file) {
      try {
        appendFileSync(file, line);
      } catch {
        // Logging is best effort.
      }
    }
  };
  try {
    const text = await io.readStdin();
    if (event === "pre-tool-use") {
      preToolUse(io, text, log);
      return "ok";
    }
    const ev: HookEvent =
      event === "post-tool-use"
        ? parsePostToolUse(text)
        : event === "subagent-stop"
          ? parseSubagentStop(text)
          : { kind: "unrelated", why: `unknown hook '${event}'` };
    if (ev.kind === "unrelated") {
      log(`ignored (${ev.why})`);
      return "ok";
    }
    const root = findProjectRoot(opts.cwd ?? ev.cwd ?? io.env.CLAUDE_PROJECT_DIR ?? io.cwd);
    if (root === undefined || !existsSync(join(root, ".planning", "agent-history.json"))) {
      log("ignored (no gsd-async queue in this project)");
      return "ok";
    }
    const now = io.now().toISOString();
    const msg = await updateHistory<string>(root, (h) => {
      if (ev.kind === "spawned") {
        const e = h.entries.find((x) => x.run_id === ev.runId && x.plan_file === ev.planFile && (x.status === "queued" || x.status === "spawned"));
        if (!e) return { history: h, result: `no queued entry for ${ev.planFile} in run ${ev.runId}` };
        const patch: Partial<HistoryEntry> = { agent_id: ev.agentId, output_file: ev.outputFile };
        if (ev.sessionId) patch.session_id = ev.sessionId;
        const next = e.status === "queued" ? transition(e, "spawn", now, patch) : { ...e, ...patch };
        return { history: replaceEntry(h, next), result: `${e.plan} spawned as agent ${ev.agentId}` };
      }
      const e = h.entries.find((x) => x.agent_id === ev.agentId);
      if (!e) return { history: h, result: `agent ${ev.agentId} is not one of gsd-async's` };
      if (e.status !== "spawned") return { history: h, result: `${e.plan} already ${e.status}` };
      // The agent stopped without reporting: its SUMMARY.md decides.
      const summary = expectedSummaryPath(e.plan_file ?? "");
      if (e.plan_file && existsSync(join(root, summary))) {
        return { history: replaceEntry(h, transition(e, "complete", now)), result: `${e.plan} completed (SUMMARY.md present)` };
      }
      const last = (ev.lastMessage ?? "").replace(/\s+/g, " ").trim().slice(0, 300);
      const error = `agent stopped without reporting and without ${summary || "a SUMMARY.md"}${last ? `; its last words: ${last}` : ""}`;
      return { history: replaceEntry(h, transition(e, "fail", now, { error })), result: `${e.plan} failed: ${error}` };
    });
    log(msg);
  } catch (err) {
    log(`error (ignored): ${(err as Error)?.message ?? String(err)}`);
  }
  return "ok";
}

/**
 * PreToolUse on Bash: answers "allow" for exactly this helper's own read/record commands,
 * "deny" for a command line that calls the helper mixed with other shell syntax, and nothing
 * for every other command, so Claude Code's normal permission rules decide those.
 */
function preToolUse(io: Io, text: string, log: (m: string) => void): void {
  let payload: { tool_name?: unknown; tool_input?: { command?: unknown } };
  try {
    payload = JSON.parse(text) as typeof payload;
  } catch {
    log("ignored (not JSON)");
    return;
  }
  const command = payload?.tool_input?.command;
  if (payload?.tool_name !== "Bash" || typeof command !== "string") return;
  const helper = io.helper[1];
  if (helper === undefined) return;
  if (!isOwnHelperCall(command, helper, (p) => resolve(p))) {
    // The helper together with other shell syntax is what an argument that broke out of its
    // quotes looks like (`-- '1'; touch x; echo ''`). Permission modes such as acceptEdits
    // would let parts of it run unasked, so it is refused whatever the mode.
    if (command.includes(helper)) {
      io.out(
        JSON.stringify({
          hookSpecificOutput: {
            hookEventName: "PreToolUse",
            permissionDecision: "deny",
            permissionDecisionReason:
              "gsd-async: the helper must be run on its own, with plain arguments (one phase or plan path in single quotes after --). This command line adds other shell syntax, as an argument breaking out of its quotes would; it was not run.",
          },
        }) + "\n",
      );
      log(`denied: ${command.slice(0, 200)}`);
    }
    return;
  }
  io.out(
    JSON.stringify({
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: "allow",
        permissionDecisionReason: "gsd-async helper: reads the plans and records agent progress only",
      },
    }) + "\n",
  );
  log(`allowed: ${command.slice(0, 200)}`);
}
