import type { PhaseAnalysis } from "../graph/analysis";
import type { SimPlan } from "./simulate";

/**
 * The whole phase replayed from scratch: every plan runs, with its duration from SUMMARY.md or
 * the estimate, and only prerequisites inside the phase count (other phases are already done
 * or out of scope for a phase-level comparison). A superseded plan is not work: it is left out,
 * and nothing waits for it. A halted plan is work still to do and is replayed like the others.
 */
export function simPlansOf(a: PhaseAnalysis): SimPlan[] {
  const work = a.plans.filter((p) => p.status !== "superseded");
  const local = new Set(work.map((p) => p.id));
  return work.map((p, i) => ({
    id: p.id,
    order: i,
    deps: p.dependsOn.filter((d) => local.has(d)),
    minutes: Math.max(p.durationMinutes, 0.1),
    wave: p.wave,
  }));
}
