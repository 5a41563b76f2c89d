export { DEFAULT_STALL_POLICY, type StallPolicy } from "../plan/config";
import type { HistoryEntry } from "./history-schema";
import type { AgentEvidence } from "./queue-event";

/**
 * Whether a spawned agent is still at work, from evidence only. A background agent lives inside
 * the Claude Code process that started it, so that process running (same pid AND start time) or
 * gone is the strongest evidence; its output or transcript file still changing is the next. A
 * different session id proves nothing: a second window and `claude --continue` are normal use.
 * A time in the future (a clock stepped back) is not fresh news: it is distrusted like old news.
 */
export type Liveness =
  /** `working`: positive evidence that it is busy right now (its output moved, or its process runs and it had news lately). */
  | { kind: "alive"; working: boolean }
  | { kind: "dead"; why: string }
  /** No process evidence and no news for too long. */
  | { kind: "silent"; why: string };

/** The error an attempt stopped for stalling carries; counting these bounds the restarts. */
export const STALLED_PREFIX = "stalled:";

/** Minutes as people read them: to a tenth below 10 (a `stall_minutes` of 0.2 is not "0 min"), whole above. */
export const readableMinutes = (m: number): number => (m < 10 ? Math.round(m * 10) / 10 : Math.round(m));

export const minutesBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 60000;

export function lastNewsAt(e: HistoryEntry): string {
  return e.transitions[e.transitions.length - 1]?.at ?? e.timestamp;
}

/** Minutes since `at`, or Infinity when `at` lies in the future or cannot be read. */
export function ageMinutes(at: string, now: string): number {
  const m = minutesBetween(at, now);
  return Number.isFinite(m) && m >= -1 ? Math.max(0, m) : Infinity;
}

/** The evidence key of an entry: its agent id, else its run, plan and attempt. */
export const evidenceKey = (e: Pick<HistoryEntry, "agent_id" | "run_id" | "plan_file" | "plan" | "attempt">): string =>
  e.agent_id ?? `${e.run_id}/${e.plan_file ?? e.plan}#${e.attempt}`;

/** Minutes since the agent last showed anything: its output file when there is one, else its last recorded news. */
export function idleMinutesOf(e: HistoryEntry, ev: AgentEvidence | undefined, now: string): number {
  return ev?.outputIdleMinutes ?? ageMinutes(lastNewsAt(e), now);
}

/** How long a spawned agent that still counts as alive has been silent, when that is at least the policy's minutes. */
export function stalledFor(l: Liveness, e: HistoryEntry, ev: AgentEvidence | undefined, now: string, minutes: number): number | null {
  if (l.kind !== "alive" || e.agent_id === null) return null;
  const idle = idleMinutesOf(e, ev, now);
  return Number.isFinite(idle) && idle >= minutes ? idle : null;
}

export function liveness(e: HistoryEntry, ev: AgentEvidence | undefined, now: string, o: { staleMinutes: number; settleMinutes: number }): Liveness {
  const idle = idleMinutesOf(e, ev, now);
  const process = ev?.process ?? "unknown";
  const working = ev?.outputIdleMinutes !== undefined ? ev.outputIdleMinutes <= o.settleMinutes : process === "alive" && idle <= o.settleMinutes;
  switch (process) {
    case "alive":
      return { kind: "alive", working };
    case "dead":
      return { kind: "dead", why: "the Claude Code process it ran in has ended" };
    case "unknown":
      return idle > o.staleMinutes ? { kind: "silent", why: `no sign of it for more than ${o.staleMinutes} minutes` } : { kind: "alive", working };
  }
}
