import { readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { History } from "../core/queue/history-schema";
import { type WorkflowReport, findReport } from "../core/workflow/workflow-report";
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
  const sessions = new Set<string>();
  for (const e of h.entries) {
    if (e.workflow_launch == null || (e.status !== "dispatched" && e.status !== "spawned")) continue;
    if (e.dispatched_session) sessions.add(e.dispatched_session);
    if (e.session_id) sessions.add(e.session_id);
  }
  if (sessions.size === 0) return [];
  const config = env.CLAUDE_CONFIG_DIR ?? join(env.HOME ?? homedir(), ".claude");
  const projects = join(config, "projects");
  const reports: WorkflowReport[] = [];
  for (const project of entriesOf(projects)) {
    for (const session of sessions) {
      const dir = join(projects, project, session, "workflows");
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
  }
  return reports;
}

function mtimeOf(f: string): number {
  try {
    return statSync(f).mtimeMs;
  } catch {
    return 0;
  }
}
