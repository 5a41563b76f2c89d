import type { PlanDoc } from "./plan-doc";

/**
 * Minutes a plan is expected to take when no SUMMARY.md records how long it took. A plan's
 * size is its tasks and the files it touches; checkpoints add a person's wait that an agent
 * cannot shorten. Documented in the README; the constants are fitted to real summaries
 * (see bench/estimate-fit.mjs) and clamped so one odd plan cannot dominate a schedule.
 */
export const ESTIMATE = {
  base: 3,
  perTask: 3,
  perFile: 0.5,
  perCheckpoint: 5,
  min: 2,
  max: 60,
} as const;

export function estimateMinutes(doc: Pick<PlanDoc, "tasks" | "filesModified" | "checkpoints">): number {
  const tasks = doc.tasks.filter((t) => t.checkpoint === undefined).length;
  const raw =
    ESTIMATE.base +
    ESTIMATE.perTask * Math.max(tasks, 1) +
    ESTIMATE.perFile * doc.filesModified.length +
    ESTIMATE.perCheckpoint * doc.checkpoints.length;
  return Math.round(Math.min(ESTIMATE.max, Math.max(ESTIMATE.min, raw)));
}
