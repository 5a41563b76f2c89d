/**
 * The one state machine of a plan's run. Status only changes through a named transition;
 * `background_status` is derived from it on every write and never set on its own.
 *
 *   queued --spawn--> spawned --complete--> completed
 *                        |----fail-------> failed      --retry--> queued
 *                        `----interrupt--> interrupted --retry--> queued
 *   queued --block--> blocked --unblock--> queued
 *   queued|blocked --cancel--> cancelled --retry--> queued
 *   queued --complete--> completed   (done outside the queue: its SUMMARY.md appeared)
 */
export const RUN_STATUSES = ["queued", "spawned", "completed", "failed", "interrupted", "blocked", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export type Transition = "spawn" | "complete" | "fail" | "interrupt" | "block" | "unblock" | "cancel" | "retry";

const TABLE: Record<Transition, { from: readonly RunStatus[]; to: RunStatus }> = {
  spawn: { from: ["queued"], to: "spawned" },
  complete: { from: ["spawned", "queued"], to: "completed" },
  fail: { from: ["spawned"], to: "failed" },
  interrupt: { from: ["spawned"], to: "interrupted" },
  block: { from: ["queued"], to: "blocked" },
  unblock: { from: ["blocked"], to: "queued" },
  cancel: { from: ["queued", "blocked"], to: "cancelled" },
  retry: { from: ["failed", "interrupted", "cancelled"], to: "queued" },
};

export type BackgroundStatus = "queued" | "running" | "completed" | "failed" | "interrupted" | "blocked" | "cancelled";

const BACKGROUND: Record<RunStatus, BackgroundStatus> = {
  queued: "queued",
  spawned: "running",
  completed: "completed",
  failed: "failed",
  interrupted: "interrupted",
  blocked: "blocked",
  cancelled: "cancelled",
};

export function backgroundStatusOf(status: RunStatus): BackgroundStatus {
  return BACKGROUND[status];
}

/** The status a transition leads to, or undefined when it is not allowed from `from`. */
export function nextStatus(from: RunStatus, t: Transition): RunStatus | undefined {
  const rule = TABLE[t];
  return rule.from.includes(from) ? rule.to : undefined;
}

export function canTransition(from: RunStatus, t: Transition): boolean {
  return nextStatus(from, t) !== undefined;
}

/** Finished entries are history: retention may drop them, a run with only these is over. */
export function isFinished(status: RunStatus): boolean {
  return status === "completed" || status === "failed" || status === "interrupted" || status === "cancelled";
}

/** An outcome that stops dependents: they become `blocked`, unrelated plans go on. */
export function blocksDependents(status: RunStatus): boolean {
  return status === "failed" || status === "interrupted" || status === "blocked" || status === "cancelled";
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
