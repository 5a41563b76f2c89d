import type { PhaseAnalysis } from "../graph/analysis";
import type { SimPlan } from "./simulate";

/**
 * The whole phase replayed from scratch: every plan runs, with its duration from SUMMARY.md or
 * the estimate, and only prerequisites inside the phase count (other phases are already done
 * or out of scope for a phase-level comparison).
 */
export function simPlansOf(a: PhaseAnalysis): SimPlan[] {
  const local = new Set(a.plans.map((p) => p.id));
  return a.plans.map((p, i) => ({
    id: p.id,
    order: i,
    deps: p.dependsOn.filter((d) => local.has(d)),
    minutes: Math.max(p.durationMinutes, 0.1),
    wave: p.wave,
  }));
}
