import { compareNatural } from "./phase-number";
import { type PlanName, parsePlanFileName } from "./plan-name";

/** The planning directory at the project root: the one place its name is spelled. */
export const PLANNING_DIR = ".planning";

/**
 * What the shell found on disk, as plain data: every phase directory of the tree with the
 * names of its files. Plan identity is a file path; phase numbers can repeat across
 * milestones and workstreams, so a phase is identified by its directory.
 */
export interface PhaseListing {
  /** Project-relative POSIX path, e.g. `.planning/phases/02-core`. */
  dir: string;
  name: string;
  /** Phase number as written in the directory name (`02.1`, `36B`); absent for `tools-x`. */
  number?: string;
  /** Container path inside `.planning`: `phases`, `milestones/v1.0-phases`, `workstreams/w/phases`. */
  container: string;
  /** In a live `phases/` container (top level or a workstream's), not a milestone archive. */
  active: boolean;
  files: string[];
  /** Files that are symbolic links to somewhere outside the project: listed, never read. */
  outsideLinks?: string[];
}

export interface PlanningTree {
  /** Project-relative path of the planning directory, normally `.planning`. */
  root: string;
  phases: PhaseListing[];
  /** Containers and phase directories that are links to outside the project: not followed. */
  outsideLinks?: string[];
}

export interface PlanFileRef extends PlanName {
  file: string;
  phaseDir: string;
}

/** A container is active when it is `phases` itself or `workstreams/<name>/phases`. */
export function isActiveContainer(container: string): boolean {
  return container === "phases" || /^workstreams\/[^/]+\/phases$/.test(container);
}

export function isPhaseContainerName(name: string): boolean {
  return name === "phases" || name.endsWith("-phases");
}

export interface PhaseFiles {
  plans: PlanFileRef[];
  summaries: PlanFileRef[];
}

// Listings are immutable data, so the parse of a directory's names is memoised per listing:
// cross-phase lookups would otherwise re-read the same directory for every reference.
const filesCache = new WeakMap<PhaseListing, PhaseFiles>();

/** Plans and summaries of one phase directory, in plan order. */
export function phaseFiles(phase: PhaseListing): PhaseFiles {
  const cached = filesCache.get(phase);
  if (cached) return cached;
  const plans: PlanFileRef[] = [];
  const summaries: PlanFileRef[] = [];
  for (const name of [...phase.files].sort(compareNatural)) {
    const parsed = parsePlanFileName(name, phase.number);
    if (!parsed) continue;
    const ref = { ...parsed, file: `${phase.dir}/${name}`, phaseDir: phase.dir };
    (parsed.kind === "plan" ? plans : summaries).push(ref);
  }
  const result = { plans, summaries };
  filesCache.set(phase, result);
  return result;
}

// Summaries indexed by stem and by id, once per list: looking each plan up by scanning would
// make large phases quadratic.
const summaryIndexes = new WeakMap<readonly PlanFileRef[], { byStem: Map<string, PlanFileRef>; byId: Map<string, PlanFileRef> }>();

/** The summary that marks `plan` done: same stem first, else the same short id. */
export function summaryFor(plan: PlanFileRef, summaries: readonly PlanFileRef[]): PlanFileRef | undefined {
  let idx = summaryIndexes.get(summaries);
  if (!idx) {
    idx = { byStem: new Map(), byId: new Map() };
    for (const s of summaries) {
      if (!idx.byStem.has(s.stem)) idx.byStem.set(s.stem, s);
      if (!idx.byId.has(s.id)) idx.byId.set(s.id, s);
    }
    summaryIndexes.set(summaries, idx);
  }
  return idx.byStem.get(plan.stem) ?? idx.byId.get(plan.id);
}

/** Where a plan's SUMMARY.md is (or will be): same directory, `-PLAN.md` replaced by `-SUMMARY.md`. */
export function expectedSummaryPath(planFile: string): string {
  return planFile.replace(/(^|\/)PLAN\.md$/, "$1SUMMARY.md").replace(/-PLAN\.md$/, "-SUMMARY.md");
}
