import type { UsageRecord } from "./budget-schema";
import type { PlanSize } from "../plan/plan-size";

/**
 * Tokens one plan is expected to use, from its content, before anything has been measured.
 *
 *   tokens = base + perTask * tasks + perCheckpoint * checkpoints + perFile * files_modified
 *          + perContextRef * files only read + plan characters / charsPerToken
 *
 * - base: the spawn prompt, the GSD execute workflow, STATE.md and writing SUMMARY.md; paid by
 *   every plan however small.
 * - tasks: each is reasoning, tool calls, and a verification run; the biggest term. A
 *   checkpoint task is not done by the agent (it is noted for a person), so it costs less.
 * - files_modified: each is read, edited, and shown back as a diff.
 * - context references (`@path` in `<context>`, `<files>` and `<read_first>` of tasks) that
 *   are not also modified: each is read once; a typical source file is ~8 KB, ~2k tokens.
 * - the plan's own text enters the context once, at ~4 characters per token.
 * The content estimate is clamped to [min, max] so one odd plan (an empty stub, a plan
 * pasting a whole spec) cannot dominate. Then calibration scales it by what plans really used.
 */
export const TOKEN_ESTIMATE = {
  base: 8_000,
  perTask: 6_000,
  perCheckpoint: 1_500,
  perFile: 2_500,
  perContextRef: 2_000,
  charsPerToken: 4,
  min: 12_000,
  max: 120_000,
} as const;

export { type PlanSize, planSize } from "../plan/plan-size";

/** The uncalibrated content estimate (the `basis` stored with a reservation). */
export function contentEstimate(s: PlanSize): number {
  const e = TOKEN_ESTIMATE;
  const raw =
    e.base + e.perTask * s.tasks + e.perCheckpoint * s.checkpoints + e.perFile * s.filesModified + e.perContextRef * s.contextRefs + s.chars / e.charsPerToken;
  return Math.round(Math.min(e.max, Math.max(e.min, raw)));
}

/**
 * How far content estimates were off, from recorded use. Samples are usage records with a
 * reported count whose reservation came from a content estimate (`basis`): the factor is
 * sum(actual) / sum(basis), so big plans weigh more than small ones, as they do in the budget.
 * It is clamped to [1/4, 4]: one runaway or aborted plan must not make every estimate absurd.
 * With no samples the factor is 1.
 */
export interface Calibration {
  factor: number;
  samples: number;
  actual: number;
  estimated: number;
}

export const CALIBRATION_CLAMP = { min: 0.25, max: 4 } as const;

export function calibration(usage: readonly UsageRecord[]): Calibration {
  let actual = 0;
  let estimated = 0;
  let samples = 0;
  for (const u of usage) {
    if (u.source !== "reported" || u.basis === undefined || u.basis <= 0) continue;
    actual += u.tokens;
    estimated += u.basis;
    samples++;
  }
  if (samples === 0) return { factor: 1, samples, actual, estimated };
  const factor = Math.min(CALIBRATION_CLAMP.max, Math.max(CALIBRATION_CLAMP.min, actual / estimated));
  return { factor: Math.round(factor * 1000) / 1000, samples, actual, estimated };
}

export interface TokenEstimate {
  /** What the scheduler reserves: the basis scaled by the calibration factor. */
  tokens: number;
  basis: number;
}

export function estimateTokens(size: PlanSize, cal: Pick<Calibration, "factor"> = { factor: 1 }): TokenEstimate {
  const basis = contentEstimate(size);
  return { basis, tokens: Math.max(1, Math.round(basis * cal.factor)) };
}
