import type { SchedState } from "../schedule/scheduler";

/**
 * The one state machine of a plan's run. A stored status only changes through a named
 * transition (applied by `transition()` in history-ops, called only from the queue step);
 * `background_status` and everything the scheduler and `status` show are derived from it
 * through STATUS below, never stored on their own.
 *
 *   queued --dispatch--> dispatched --spawn--> spawned --complete--> completed
 *     ^  |                  | `--expire-->queued  |----fail-------> failed      --retry--> queued
 *     |  |                  `--complete           |----interrupt--> interrupted --retry--> queued
 *     |  `--spawn (an agent recorded without a hand-out)  `--relaunch--> queued (the launch never happened)
 *   dispatched|spawned --limit--> queued (a new attempt, not before its retry time: the agent met a rate, overload or usage limit)
 *   queued --block--> blocked --unblock--> queued
 *   queued|dispatched|blocked --cancel--> cancelled --retry--> queued
 *   any unfinished or failed state --complete--> completed (its SUMMARY.md appeared, or its agent said so)
 */
export type { SchedState };

export const RUN_STATUSES = ["queued", "dispatched", "spawned", "completed", "failed", "interrupted", "blocked", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TRANSITIONS = [
  "dispatch",
  "expire",
  "spawn",
  "relaunch",
  "complete",
  "fail",
  "interrupt",
  "block",
  "unblock",
  "cancel",
  "retry",
  "limit",
] as const;
export type Transition = (typeof TRANSITIONS)[number];

const TABLE: Record<Transition, { from: readonly RunStatus[]; to: RunStatus }> = {
  dispatch: { from: ["queued"], to: "dispatched" },
  expire: { from: ["dispatched"], to: "queued" },
  spawn: { from: ["queued", "dispatched"], to: "spawned" },
  relaunch: { from: ["spawned"], to: "queued" },
  // An outcome from the agent itself is always accepted, even after the queue gave up on it.
  complete: { from: ["queued", "dispatched", "spawned", "failed", "interrupted", "blocked", "cancelled"], to: "completed" },
  fail: { from: ["dispatched", "spawned", "interrupted"], to: "failed" },
  interrupt: { from: ["spawned"], to: "interrupted" },
  block: { from: ["queued"], to: "blocked" },
  unblock: { from: ["blocked"], to: "queued" },
  cancel: { from: ["queued", "dispatched", "blocked"], to: "cancelled" },
  retry: { from: ["failed", "interrupted", "cancelled"], to: "queued" },
  // A limit is not the plan's fault: it goes back to the queue as a new attempt, its dependents wait on.
  limit: { from: ["dispatched", "spawned"], to: "queued" },
};

export type BackgroundStatus = "queued" | "running" | "completed" | "failed" | "interrupted" | "blocked" | "cancelled";

interface StatusFacts {
  /** The seed format's `background_status`. */
  background: BackgroundStatus;
  sched: SchedState;
  /** Nothing more will happen to this attempt by itself: retention may drop it, a run of only these is over. */
  finished: boolean;
  /** An agent may be working on it (or about to): never hand it out again. */
  live: boolean;
}

/** The one table from stored status to everything derived from it. */
export const STATUS: Record<RunStatus, StatusFacts> = {
  queued: { background: "queued", sched: "pending", finished: false, live: false },
  dispatched: { background: "queued", sched: "running", finished: false, live: true },
  spawned: { background: "running", sched: "running", finished: false, live: true },
  completed: { background: "completed", sched: "completed", finished: true, live: false },
  failed: { background: "failed", sched: "failed", finished: true, live: false },
  interrupted: { background: "interrupted", sched: "failed", finished: true, live: false },
  blocked: { background: "blocked", sched: "pending", finished: false, live: false },
  cancelled: { background: "cancelled", sched: "failed", finished: true, live: false },
};

export function backgroundStatusOf(status: RunStatus): BackgroundStatus {
  return STATUS[status].background;
}

/** The status a transition leads to, or undefined when it is not allowed from `from`. */
export function nextStatus(from: RunStatus, t: Transition): RunStatus | undefined {
  const rule = TABLE[t];
  return rule.from.includes(from) ? rule.to : undefined;
}

export function canTransition(from: RunStatus, t: Transition): boolean {
  return nextStatus(from, t) !== undefined;
}

export function isFinished(status: RunStatus): boolean {
  return STATUS[status].finished;
}

export class IllegalTransition extends Error {
  constructor(
    readonly plan: string,
    readonly from: RunStatus,
    readonly transition: Transition,
  ) {
    super(`cannot ${transition} ${plan}: it is ${from}`);
  }
}
