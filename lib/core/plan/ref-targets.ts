import { parsePlanFileName } from "./plan-name";
import { type PhaseListing, type PlanFileRef, type PlanningTree, expectedSummaryPath, phaseFiles } from "./planning-tree";

export interface RefTarget {
  summary: boolean;
  /** Id of a plan in the phase under analysis. */
  local?: string;
  /** A plan of another phase. */
  plan?: PlanFileRef;
  phase?: PhaseListing;
  /**
   * Set when the written directory does not exist and the reference was read in the phase
   * directory of the same name under another phase root (the phase was moved or archived).
   */
  movedTo?: string;
}

/** A reference to a missing directory whose name several phase directories carry. */
export interface RefAmbiguity {
  ambiguous: string[];
}

export type RefLookup = RefTarget | RefAmbiguity | undefined;

export function isAmbiguity(r: RefLookup): r is RefAmbiguity {
  return r !== undefined && "ambiguous" in r;
}

/**
 * Maps an @-referenced path to the plan it names: a PLAN.md, or a SUMMARY.md that exists or
 * will exist (a dependent usually refers to its prerequisite's summary before it is written).
 *
 * Phases move: GSD archives `phases/04-x/` into `milestones/v2.0-phases/04-x/`, and the plans
 * inside keep saying `@.planning/phases/04-x/04-01-SUMMARY.md`. A reference whose directory is
 * not in the tree is read in the phase directory of the same name: the phase under analysis
 * first, else the one in the same phase root, else the only one in the tree. Several candidates
 * and none of those: ambiguous, nothing is guessed.
 */
export function refTargets(local: readonly { id: string; ref: PlanFileRef }[], tree: PlanningTree, current?: PhaseListing) {
  const localPaths = new Map<string, RefTarget>();
  const localByFile = new Map<string, string>();
  for (const { id, ref } of local) {
    localByFile.set(ref.file, id);
    localPaths.set(ref.file, { summary: false, local: id });
    localPaths.set(expectedSummaryPath(ref.file), { summary: true, local: id });
  }
  const phaseByDir = new Map(tree.phases.map((p) => [p.dir, p]));
  const phasesByName = new Map<string, PhaseListing[]>();
  for (const p of tree.phases) phasesByName.set(p.name, [...(phasesByName.get(p.name) ?? []), p]);

  const inPhase = (phase: PhaseListing, fileName: string, path: string): RefTarget | undefined => {
    const hit = localPaths.get(path);
    if (hit) return hit;
    const name = parsePlanFileName(fileName, phase.number);
    if (!name) return undefined;
    const { plans } = phaseFiles(phase);
    const plan = plans.find((p) => p.stem === name.stem) ?? plans.find((p) => p.id === name.id);
    if (!plan) return undefined;
    // A summary named differently from its plan (`26-slug-01-SUMMARY.md` for `26-01-PLAN.md`)
    // in the phase under analysis is still a same-phase reference, not a cross-phase one.
    const localId = localByFile.get(plan.file);
    if (localId !== undefined) return { summary: name.kind === "summary", local: localId };
    return { summary: name.kind === "summary", plan, phase };
  };

  const movedPhase = (dir: string): PhaseListing | RefAmbiguity | undefined => {
    if (!dir.startsWith(`${tree.root}/`)) return undefined;
    const name = dir.slice(dir.lastIndexOf("/") + 1);
    const candidates = phasesByName.get(name) ?? [];
    if (candidates.length === 0) return undefined;
    if (current && current.name === name) return current;
    if (candidates.length === 1) return candidates[0];
    const sameRoot = candidates.filter((p) => current !== undefined && p.container === current.container);
    if (sameRoot.length === 1) return sameRoot[0];
    return { ambiguous: candidates.map((p) => p.dir) };
  };

  return {
    lookup(path: string): RefLookup {
      const hit = localPaths.get(path);
      if (hit) return hit;
      if (!/-(PLAN|SUMMARY)\.md$/.test(path)) return undefined;
      const slash = path.lastIndexOf("/");
      const dir = path.slice(0, slash);
      const fileName = path.slice(slash + 1);
      const phase = phaseByDir.get(dir);
      if (phase) return inPhase(phase, fileName, path);
      const moved = movedPhase(dir);
      if (moved === undefined) return undefined;
      if ("ambiguous" in moved) return parsePlanFileName(fileName) ? moved : undefined;
      const t = inPhase(moved, fileName, `${moved.dir}/${fileName}`);
      return t && { ...t, movedTo: moved.dir };
    },
  };
}
