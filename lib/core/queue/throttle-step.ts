import { type Throttle, onClean, onLimit } from "../schedule/concurrency-backoff";
import type { History, HistoryEntry } from "./history-schema";
import { planKey } from "./history-ops";
import { LIMIT_WORDS } from "./limit-kind";

/**
 * Keeps each run's throttle in step with what one queue step did: every plan that met a limit in
 * this step halves the run's effective cap, every plan that completed counts as a clean completion
 * (see concurrency-backoff.ts). Worked out from the history before and after, so it holds for
 * every path a limit or a completion can take (a hook, `complete`, a SUMMARY found by `status`).
 */
export function updateThrottles(before: History, after: History): History {
  const was = new Map<string, HistoryEntry>();
  for (const e of before.entries) was.set(`${e.run_id}\u0000${planKey(e)}\u0000${e.attempt}`, e);
  const events = new Map<string, ({ kind: "limit"; reason: string } | { kind: "clean" })[]>();
  const push = (run: string, x: { kind: "limit"; reason: string } | { kind: "clean" }) => events.set(run, [...(events.get(run) ?? []), x]);
  for (const e of after.entries) {
    const limit = e.limited;
    if (e.status === "queued" && limit && limit.at === e.transitions[e.transitions.length - 1]?.at) {
      const prev = was.get(`${e.run_id}\u0000${planKey(e)}\u0000${e.attempt - 1}`);
      if (prev && prev.status !== "queued") push(e.run_id, { kind: "limit", reason: `${LIMIT_WORDS[limit.kind]} on ${e.plan} at ${limit.at}` });
    } else if (e.status === "completed") {
      const prev = was.get(`${e.run_id}\u0000${planKey(e)}\u0000${e.attempt}`);
      if (prev && prev.status !== "completed") push(e.run_id, { kind: "clean" });
    }
  }
  if (events.size === 0) return after;
  return {
    ...after,
    runs: after.runs.map((r) => {
      const xs = events.get(r.run_id);
      if (!xs) return r;
      let t: Throttle | undefined = r.throttle;
      for (const x of xs) t = x.kind === "limit" ? onLimit(t, r.max_concurrent, x.reason) : onClean(t, r.max_concurrent);
      return t === undefined ? r : { ...r, throttle: t };
    }),
  };
}
