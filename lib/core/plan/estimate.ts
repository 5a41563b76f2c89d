import type { PlanDoc } from "./plan-doc";

/**
 * Minutes a plan is expected to take when no SUMMARY.md records how long it took. A plan's
 * size is its tasks and the files it touches; checkpoints add a person's wait that an agent
 * cannot shorten. Documented in the README. base, perTask and perFile are a least-squares fit
 * to the 3,080 corpus plans whose SUMMARY.md records a duration of up to 4 hours
 * (`node bench/estimate-fit.mjs`: minutes = 8.07 + 1.74 x tasks + 0.61 x files); the result is
 * clamped so one odd plan cannot dominate a schedule.
 */
export const ESTIMATE = {
  base: 8,
  perTask: 1.75,
  perFile: 0.6,
  perCheckpoint: 5,
  min: 2,
  max: 60,
} as const;

export function estimateMinutes(doc: Pick<PlanDoc, "tasks" | "filesModified" | "checkpoints">): number {
  const tasks = doc.tasks.filter((t) => t.checkpoint === undefined).length;
  const raw =
    ESTIMATE.base + ESTIMATE.perTask * Math.max(tasks, 1) + ESTIMATE.perFile * doc.filesModified.length + ESTIMATE.perCheckpoint * doc.checkpoints.length;
  return Math.round(Math.min(ESTIMATE.max, Math.max(ESTIMATE.min, raw)));
}
