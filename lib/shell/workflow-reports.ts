import { readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { History } from "../core/queue/history-schema";
import { type WorkflowAgent, type WorkflowReport, findReport } from "../core/workflow/workflow-report";
import { parseMarkers } from "../core/queue/spawn";
import { readTextCapped } from "./read-text";

/** A saved workflow run bigger than this is not ours: the script's return value is small. */
const MAX_RUN_FILE_BYTES = 4 * 1024 * 1024;
/** The newest saved runs of a session looked at; older ones answered earlier launches. */
const MAX_RUN_FILES = 40;

const entriesOf = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/**
 * What ended workflows returned, for the sessions that hold a claim: Claude Code saves each run as
 * `<config dir>/projects/<project>/<session>/workflows/<run id>.json` (the script's return value
 * among its fields). Read only while some plan is claimed by a workflow, so the agents engine pays
 * nothing. A file that is missing, unreadable or someone else's is simply not a report.
 */
export function readWorkflowReports(env: NodeJS.ProcessEnv, h: History): WorkflowReport[] {
  const reports: WorkflowReport[] = [];
  for (const session of sessionDirs(env, h)) {
    const dir = join(session, "workflows");
    const files = entriesOf(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => join(dir, f))
      .map((f) => ({ f, at: mtimeOf(f) }))
      .sort((a, b) => b.at - a.at)
      .slice(0, MAX_RUN_FILES);
    for (const { f } of files) {
      const text = readTextCapped(f, MAX_RUN_FILE_BYTES);
      if (!text || text.truncated || !text.text.includes("gsdAsyncRun")) continue;
      try {
        const r = findReport(JSON.parse(text.text) as unknown);
        if (r) reports.push(r);
      } catch {
        // Being written, or not JSON: not a report yet.
      }
    }
  }
  return reports;
}

/**
 * The workflow agents that have started, with the plan their prompt names: Claude Code writes a
 * `started` line (agent id, label) to `<session>/subagents/workflows/<run id>/journal.jsonl`, and
 * the agent's transcript `agent-<id>.jsonl` opens with its prompt and its marker lines. This is
 * what `status` shows as running while the workflow is at work (hooks carry no label).
 */
export function readWorkflowAgents(env: NodeJS.ProcessEnv, h: History): WorkflowAgent[] {
  const out: WorkflowAgent[] = [];
  for (const session of sessionDirs(env, h)) {
    const runs = join(session, "subagents", "workflows");
    for (const run of entriesOf(runs)) {
      const journal = readTextCapped(join(runs, run, "journal.jsonl"), MAX_RUN_FILE_BYTES);
      if (!journal) continue;
      for (const line of journal.text.split("\n")) {
        const agentId = /"type":"started".*"agentId":"([A-Za-z0-9_-]+)"/.exec(line)?.[1];
        if (!agentId) continue;
        const head = readTextCapped(join(runs, run, `agent-${agentId}.jsonl`), 65_536);
        const first = head?.text.split("\n")[0];
        if (!first) continue;
        try {
          const m = parseMarkers(stringsOf(JSON.parse(first) as unknown).join("\n"));
          if (m.runId !== undefined && m.planFile !== undefined && m.attempt !== undefined)
            out.push({ agentId, runId: m.runId, planFile: m.planFile, attempt: m.attempt });
        } catch {
          // A transcript being written: seen at the next look.
        }
      }
    }
  }
  return out;
}

/** Every string inside a JSON value (a transcript line holds the prompt somewhere inside). */
function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (v !== null && typeof v === "object") for (const x of Object.values(v)) stringsOf(x, out);
  return out;
}

/** `<config dir>/projects/<project>/<session>` of each session that launched a workflow still holding a claim. */
function sessionDirs(env: NodeJS.ProcessEnv, h: History): string[] {
  const sessions = new Set<string>();
  for (const e of h.entries) {
    if (e.workflow_launch == null || (e.status !== "dispatched" && e.status !== "spawned")) continue;
    if (e.dispatched_session) sessions.add(e.dispatched_session);
    if (e.session_id) sessions.add(e.session_id);
  }
  if (sessions.size === 0) return [];
  const projects = join(env.CLAUDE_CONFIG_DIR ?? join(env.HOME ?? homedir(), ".claude"), "projects");
  const out: string[] = [];
  for (const project of entriesOf(projects))
    for (const session of sessions) if (entriesOf(join(projects, project, session)).length > 0) out.push(join(projects, project, session));
  return out;
}

function mtimeOf(f: string): number {
  try {
    return statSync(f).mtimeMs;
  } catch {
    return 0;
  }
}
