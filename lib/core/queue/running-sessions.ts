import type { History } from "./history-schema";

/**
 * How many of a run's agents run in `sessionId` and how many elsewhere. A background agent's
 * notification goes only to the session that started it, so a waiting conversation can count on
 * notifications for its own agents and must poll for the others. Without a session id nothing is
 * known to be this session's.
 */
export function runningBySession(h: History, runId: string, sessionId: string | null): { own: number; other: number } {
  let own = 0;
  let other = 0;
  for (const e of h.entries) {
    if (e.run_id !== runId || e.status !== "spawned") continue;
    if (sessionId !== null && e.session_id === sessionId) own++;
    else other++;
  }
  return { own, other };
}
