import type { RoadmapAnalysis } from "./roadmap-types";
import type { SimPlan } from "../schedule/simulate";

/**
 * The roadmap's remaining work as the simulator replays it: every phase that is not complete
 * and not blocked by a cycle, with its minutes (the sum of its plans' durations, real where a
 * SUMMARY.md says, estimated otherwise, assumed for unplanned phases) and its level as the
 * barrier policy's wave. Complete prerequisites are already met, so they are not deps.
 */
export interface RoadmapSim {
  plans: SimPlan[];
  skipped: { complete: string[]; blocked: string[] };
}

export function simPhasesOf(a: RoadmapAnalysis): RoadmapSim {
  const work = a.phases.filter((p) => p.status !== "complete" && !p.blocked && p.level !== undefined);
  const ids = new Set(work.map((p) => p.id));
  return {
    plans: work.map((p, i) => ({
      id: p.id,
      order: i,
      deps: p.dependsOn.filter((d) => ids.has(d)),
      // The scheduler needs positive durations to make progress on its fake clock.
      minutes: Math.max(p.minutes, 0.1),
      wave: p.level as number,
    })),
    skipped: {
      complete: a.phases.filter((p) => p.status === "complete").map((p) => p.id),
      blocked: a.phases.filter((p) => p.blocked).map((p) => p.id),
    },
  };
}
