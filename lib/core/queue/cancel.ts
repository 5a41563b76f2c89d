import type { History } from "./history-schema";
import { replaceEntry, runEntries, transition } from "./history-ops";

export interface CancelResult {
  history: History;
  cancelled: string[];
  /** Agents already running are not stopped by the queue; the caller says how to stop them. */
  stillRunning: { plan: string; agentId: string | null }[];
}

/**
 * Cancels what has not started in a run: queued, handed-out-but-unclaimed and blocked entries
 * become `cancelled`; a later `start` retries them. `only` limits it to one plan file or id.
 */
export function cancelRun(h: History, runId: string, at: string, only?: string): CancelResult {
  let history = h;
  const cancelled: string[] = [];
  const stillRunning: CancelResult["stillRunning"] = [];
  for (const e of runEntries(h, runId)) {
    if (only !== undefined && e.plan_file !== only && e.plan !== only) continue;
    if (e.status === "queued" || e.status === "dispatched" || e.status === "blocked") {
      history = replaceEntry(history, transition(e, "cancel", at, { error: "cancelled by the user" }));
      cancelled.push(e.plan);
    } else if (e.status === "spawned") {
      stillRunning.push({ plan: e.plan, agentId: e.agent_id });
    }
  }
  return { history, cancelled, stillRunning };
}
