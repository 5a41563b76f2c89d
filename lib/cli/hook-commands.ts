import { appendFileSync, closeSync, existsSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { type HookEvent, parsePostToolUse, parsePreAgent, parseStopFailure, parseSubagentStop } from "../core/queue/hook-payload";
import type { QueueEvent } from "../core/queue/queue-event";
import { queueStep } from "../core/queue/queue-step";
import { parseMarkers } from "../core/queue/spawn";
import { expectedSummaryPath } from "../core/plan/planning-tree";
import { HISTORY_FILE, readHistory } from "../shell/history-store";
import { findProjectRoot } from "../shell/planning-root";
import { openProject } from "../shell/project";
import { withQueueState } from "../shell/queue-state";
import type { CommandResult } from "./commands";
import type { Io } from "./context";
import { preToolUseAnswer } from "./pre-tool-use";
import { queueFacts } from "./queue-shared";

/** Every string inside a JSON value, depth first (a transcript line holds the prompt somewhere inside). */
function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (v !== null && typeof v === "object") for (const x of Object.values(v)) stringsOf(x, out);
  return out;
}

/** The plan markers in an agent's transcript: its first message is the prompt that carries them. */
function transcriptMarkers(file: string): { runId: string; planFile: string } | undefined {
  try {
    const fd = openSync(file, "r");
    let head: string;
    try {
      const buf = Buffer.alloc(65_536);
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString("utf8");
    } finally {
      closeSync(fd);
    }
    for (const line of head.split("\n").slice(0, 8)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      const m = parseMarkers(stringsOf(parsed).join("\n"));
      if (m.runId !== undefined && m.planFile !== undefined) return { runId: m.runId, planFile: m.planFile };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** The queue event for a hook, with the facts it needs read before the lock (summary on disk, transcript markers). */
function queueEventOf(root: string, ev: Exclude<HookEvent, { kind: "unrelated" }>): QueueEvent {
  switch (ev.kind) {
    case "pre-agent":
      return { kind: "hook-pre-agent", runId: ev.runId, planFile: ev.planFile, ...(ev.attempt !== undefined ? { attempt: ev.attempt } : {}) };
    case "spawned":
      return { kind: "hook-spawned", runId: ev.runId, planFile: ev.planFile, agentId: ev.agentId, outputFile: ev.outputFile };
    case "limited":
      return { kind: "hook-limited", agentId: ev.agentId, limit: ev.limit, message: ev.message };
    case "stopped": {
      const known = readHistory(root).history.entries.find((e) => e.agent_id === ev.agentId);
      const marker = known ? undefined : ev.transcript ? transcriptMarkers(ev.transcript) : undefined;
      const planFile = known?.plan_file ?? marker?.planFile;
      const summaryPresent = planFile !== undefined && existsSync(join(root, expectedSummaryPath(planFile)));
      return {
        kind: "hook-stopped",
        agentId: ev.agentId,
        lastMessage: ev.lastMessage,
        summaryPresent,
        ...(marker ? { marker } : {}),
        ...(ev.apiError ? { awaitClaim: true as const } : {}),
      };
    }
  }
}

const deny = (reason: string) =>
  JSON.stringify({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: reason } }) + "\n";

/** How long a StopFailure for a not-yet-linked agent waits for its PostToolUse: 40 x 250 ms, well inside the hook's 30 s. */
const STOP_FAILURE_TRIES = 40;
const STOP_FAILURE_PAUSE_MS = 250;

/**
 * `gsd-async hook pre-tool-use|pre-agent|post-tool-use|subagent-stop|stop-failure`: called by Claude Code with
 * the hook payload on stdin. A hook must never disturb the session: every outcome, including bad
 * input and a broken history file, exits 0; what happened goes to stderr and, when
 * GSD_ASYNC_HOOK_LOG names a file, is appended there. Only `pre-agent` ever answers: it denies a
 * second agent for a plan that already has one, or an Agent call for a plan not handed out.
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
      event === "pre-agent"
        ? parsePreAgent(text)
        : event === "post-tool-use"
          ? parsePostToolUse(text)
          : event === "subagent-stop"
            ? parseSubagentStop(text)
            : event === "stop-failure"
              ? parseStopFailure(text)
              : { kind: "unrelated", why: `unknown hook '${event}'` };
    if (ev.kind === "unrelated") {
      log(`ignored (${ev.why})`);
      return "ok";
    }
    const root = findProjectRoot(opts.cwd ?? ev.cwd ?? io.env.CLAUDE_PROJECT_DIR ?? io.cwd);
    if (root === undefined || !existsSync(join(root, HISTORY_FILE))) {
      log("ignored (no gsd-async queue in this project)");
      return "ok";
    }
    const opened = openProject(root);
    if (!opened.ok) return "ok";
    const qev = queueEventOf(root, ev);
    // The payload names the session the agent belongs to; the hook's own environment may not.
    const facts = { ...queueFacts(io, { root, settings: opened.project.settings }), ...(ev.sessionId ? { sessionId: ev.sessionId } : {}) };
    const step = () =>
      withQueueState(root, (state) => {
        const r = queueStep(state, facts, qev);
        return { state: r.state, result: r.outcome };
      });
    let outcome = await step();
    // A StopFailure (a limit, or another API error) reported before PostToolUse linked the agent: ask again while some claim awaits its id.
    for (let tries = 0; outcome.kind === "unknown" && outcome.awaiting === true && tries < STOP_FAILURE_TRIES; tries++) {
      await new Promise((r) => setTimeout(r, STOP_FAILURE_PAUSE_MS));
      outcome = await step();
    }
    if (ev.kind === "pre-agent" && outcome.kind === "illegal") {
      io.out(deny(`gsd-async: ${outcome.message}. This Agent call was not run; do not retry it. Run the helper's status command for what to start.`));
      log(`denied: ${outcome.message}`);
      return "ok";
    }
    const e = outcome.kind === "recorded" ? outcome.entry : undefined;
    const said = e
      ? `${e.plan} ${e.status}${e.agent_id ? ` as agent ${e.agent_id}` : ""}`
      : "message" in outcome
        ? outcome.message
        : "note" in outcome && outcome.note !== undefined
          ? outcome.note
          : outcome.kind;
    log(said);
  } catch (err) {
    log(`error (ignored): ${(err as Error)?.message ?? String(err)}`);
  }
  return "ok";
}

/**
 * PreToolUse on Bash: the same answer as dist/hook-pre-tool-use.js, the small file hooks.json
 * runs (see pre-tool-use.ts): allow for exactly this helper's own calls, deny for a line that
 * calls it mixed with other shell syntax, nothing for every other command.
 */
function preToolUse(io: Io, text: string, log: (m: string) => void): void {
  const helper = io.helper[1];
  if (helper === undefined) return;
  const a = preToolUseAnswer(text, { helper, env: io.env, execPath: io.nodePath ?? "", cwd: io.cwd });
  if (a.stdout) io.out(a.stdout);
  if (!a.quiet) log(a.log);
}
