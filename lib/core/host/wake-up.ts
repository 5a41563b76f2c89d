/** ScheduleWakeup's own bounds: it clamps any delay to these. */
export const WAKE_MIN_SECONDS = 60;
export const WAKE_MAX_SECONDS = 3600;
/**
 * Watching agents of another session (no notification will reach this one): look again within
 * the prompt cache's five minutes, as ScheduleWakeup's own guidance advises for polling.
 */
export const POLL_SECONDS = 270;

/** What `/gsd:status --wait` asks the model to pass to ScheduleWakeup, field for field. */
export interface WakeUp {
  delaySeconds: number;
  reason: string;
  prompt: string;
}

export interface WakeUpInput {
  /** Running plans whose agents this session started: their notifications wake it. */
  ownRunning: number;
  /** Running plans of other sessions (another window, a crashed process's survivors). */
  otherRunning: number;
  stallMinutes: number;
  /** When every remaining plan waits on a limit: the seconds until the next try. */
  resumeInSeconds?: number;
  /** When some plan waits on a limit while others run: the seconds until it may start again. */
  retryInSeconds?: number;
  /** The helper's status line the woken model runs. */
  statusLine: string;
}

/** A delay ScheduleWakeup accepts: whole seconds between its least and its most. */
export const wakeDelaySeconds = (s: number) => Math.round(Math.min(WAKE_MAX_SECONDS, Math.max(WAKE_MIN_SECONDS, s)));
const clamp = wakeDelaySeconds;

/**
 * The wake-up of a non-blocking wait. With only this session's agents running, a notification
 * comes first and the wake-up is the fallback for a lost one or a stall, so it is due when an
 * agent would count as stalled; with other sessions' agents running, nothing notifies this one,
 * so it polls.
 */
export function wakeUpFor(i: WakeUpInput): WakeUp {
  const stall = i.stallMinutes * 60;
  let delaySeconds: number;
  let reason: string;
  if (i.resumeInSeconds !== undefined) {
    delaySeconds = clamp(i.resumeInSeconds);
    reason = "gsd-async: every remaining plan waits on a limit; looking again when it is due";
  } else if (i.otherRunning > 0) {
    delaySeconds = clamp(Math.min(POLL_SECONDS, stall));
    reason = `gsd-async: ${i.otherRunning} plan(s) run in another session, which will not notify this one; checking on them`;
  } else {
    delaySeconds = clamp(stall);
    reason = `gsd-async: ${i.ownRunning} agent(s) of this session running; their notifications come first, this is the fallback`;
  }
  // A limited plan due sooner is handed out then, not at the next notification.
  if (i.resumeInSeconds === undefined && i.retryInSeconds !== undefined && clamp(i.retryInSeconds) < delaySeconds) {
    delaySeconds = clamp(i.retryInSeconds);
    reason = "gsd-async: a plan that met a limit may start again then";
  }
  const prompt = `gsd-async: time to look at the run again. Run \`${i.statusLine}\` and act on it as /gsd:status --wait says.`;
  return { delaySeconds, reason, prompt };
}
