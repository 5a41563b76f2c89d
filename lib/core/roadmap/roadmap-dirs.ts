import { isPhaseNumber, normalizePhaseNumber } from "../plan/phase-number";
import { type PhaseListing, type PlanningTree, phaseFiles, summaryFor } from "../plan/planning-tree";

/**
 * Which phase directory a roadmap phase is. Numbers repeat across milestones and workstreams
 * (`milestones/v1.0-phases/01-x` and `phases/01-y`), so a number is looked up in tiers and the
 * first tier with any match decides: the roadmap's own containers (an archived
 * `milestones/v1.0-ROADMAP.md` describes `milestones/v1.0-phases`), then the live `phases/`,
 * then live workstreams, then every archive. Two matches in the deciding tier are ambiguous:
 * the directory is not used, and the roadmap's own marks decide the phase's status.
 */
export type DirMatch = { dir: PhaseListing } | { ambiguous: string[] } | undefined;

export interface DirStatus {
  status: "complete" | "in-progress" | "pending";
  plans: number;
  complete: number;
}

export class PhaseDirIndex {
  private readonly byNumber = new Map<string, PhaseListing[]>();

  constructor(
    tree: PlanningTree,
    private readonly preferred: readonly string[] = [],
  ) {
    for (const p of tree.phases) {
      if (p.number === undefined || !isPhaseNumber(p.number)) continue;
      const key = normalizePhaseNumber(p.number);
      const list = this.byNumber.get(key);
      if (list) list.push(p);
      else this.byNumber.set(key, [p]);
    }
  }

  match(id: string): DirMatch {
    const all = this.byNumber.get(id);
    if (!all) return undefined;
    const tiers: ((p: PhaseListing) => boolean)[] = [(p) => this.preferred.includes(p.container), (p) => p.container === "phases", (p) => p.active, () => true];
    for (const inTier of tiers) {
      const hits = all.filter(inTier);
      if (hits.length === 1) return { dir: hits[0] as PhaseListing };
      if (hits.length > 1) return { ambiguous: hits.map((h) => h.dir) };
    }
    return undefined;
  }
}

/** A phase directory's state: complete when every plan has a SUMMARY.md, pending when none does. */
export function dirStatus(listing: PhaseListing): DirStatus {
  const files = phaseFiles(listing);
  const complete = files.plans.filter((p) => summaryFor(p, files.summaries) !== undefined).length;
  const plans = files.plans.length;
  const status = plans > 0 && complete === plans ? "complete" : complete > 0 ? "in-progress" : "pending";
  return { status, plans, complete };
}
