/**
 * How many agents a run may have at once after limits: halve on a limit (rate limit, overload,
 * usage limit), raise by one after RAISE_AFTER clean completions in a row, never above the run's
 * configured cap and never below 1. Plus the delay before the next try when every remaining plan
 * waits on a limit. Pure maths over plain data; the queue step stores the result on the run.
 */

/** Clean completions in a row that earn one more slot: three, so one lucky agent does not undo a limit. */
export const RAISE_AFTER = 3;
/** The first wait after a limit; it doubles with each limit in a row. */
export const BASE_DELAY_SECONDS = 60;
/** The longest wait (also ScheduleWakeup's own ceiling). */
export const MAX_DELAY_SECONDS = 3600;

export interface Throttle {
  /** The cap in force now (1..configured cap). */
  effective: number;
  /** Clean completions since the last change. */
  clean: number;
  /** Limits since the last clean completion: sets the backoff. */
  limitsInARow: number;
  /** Why the cap is below the configured one, or null when it is not. */
  reason: string | null;
}

const clamp = (n: number, cap: number) => Math.max(1, Math.min(Math.max(1, cap), Math.floor(n)));

export function freshThrottle(cap: number): Throttle {
  return { effective: clamp(cap, cap), clean: 0, limitsInARow: 0, reason: null };
}

/** The cap to schedule with: the throttle's, kept inside 1..cap (the cap may have changed since). */
export function effectiveCap(t: Throttle | undefined, cap: number): number {
  return t === undefined ? clamp(cap, cap) : clamp(t.effective, cap);
}

export function onLimit(t: Throttle | undefined, cap: number, reason: string): Throttle {
  const cur = t ?? freshThrottle(cap);
  const effective = clamp(effectiveCap(cur, cap) / 2, cap);
  return { effective, clean: 0, limitsInARow: cur.limitsInARow + 1, reason };
}

export function onClean(t: Throttle | undefined, cap: number): Throttle {
  const cur = t ?? freshThrottle(cap);
  const now = effectiveCap(cur, cap);
  const clean = cur.clean + 1;
  if (now >= cap) return { effective: cap, clean: 0, limitsInARow: 0, reason: null };
  if (clean < RAISE_AFTER) return { ...cur, effective: now, clean, limitsInARow: 0 };
  const effective = now + 1;
  return { effective, clean: 0, limitsInARow: 0, reason: effective >= cap ? null : cur.reason };
}

/** Seconds to wait before trying again after `limitsInARow` limits (at least one): 60, 120, 240 ... up to 3600. */
export function backoffSeconds(limitsInARow: number): number {
  const n = Math.max(1, Math.floor(limitsInARow));
  return Math.min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** Math.min(n - 1, 16));
}
