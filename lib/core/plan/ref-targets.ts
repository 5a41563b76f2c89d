import { parsePlanFileName } from "./plan-name";
import { type PhaseListing, type PlanFileRef, type PlanningTree, expectedSummaryPath, phaseFiles } from "./planning-tree";

export interface RefTarget {
  summary: boolean;
  /** Id of a plan in the phase under analysis. */
  local?: string;
  /** A plan of another phase. */
  plan?: PlanFileRef;
  phase?: PhaseListing;
}

/**
 * Maps an @-referenced path to the plan it names: a PLAN.md, or a SUMMARY.md that exists or
 * will exist (a dependent usually refers to its prerequisite's summary before it is written).
 */
export function refTargets(local: readonly { id: string; ref: PlanFileRef }[], tree: PlanningTree) {
  const localPaths = new Map<string, RefTarget>();
  const localByFile = new Map<string, string>();
  for (const { id, ref } of local) {
    localByFile.set(ref.file, id);
    localPaths.set(ref.file, { summary: false, local: id });
    localPaths.set(expectedSummaryPath(ref.file), { summary: true, local: id });
  }
  const phaseByDir = new Map(tree.phases.map((p) => [p.dir, p]));
  return {
    lookup(path: string): RefTarget | undefined {
      const hit = localPaths.get(path);
      if (hit) return hit;
      if (!/-(PLAN|SUMMARY)\.md$/.test(path)) return undefined;
      const slash = path.lastIndexOf("/");
      const phase = phaseByDir.get(path.slice(0, slash));
      if (!phase) return undefined;
      const name = parsePlanFileName(path.slice(slash + 1), phase.number);
      if (!name) return undefined;
      const { plans } = phaseFiles(phase);
      const plan = plans.find((p) => p.stem === name.stem) ?? plans.find((p) => p.id === name.id);
      if (!plan) return undefined;
      // A summary named differently from its plan (`26-slug-01-SUMMARY.md` for `26-01-PLAN.md`)
      // in the phase under analysis is still a same-phase reference, not a cross-phase one.
      const localId = localByFile.get(plan.file);
      if (localId !== undefined) return { summary: name.kind === "summary", local: localId };
      return { summary: name.kind === "summary", plan, phase };
    },
  };
}
