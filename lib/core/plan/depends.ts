import { isPhaseNumber, samePhaseNumber } from "./phase-number";
import { normalizePlanToken, parsePlanFileName } from "./plan-name";
import { type PhaseListing, type PlanFileRef, type PlanningTree, phaseFiles } from "./planning-tree";

/** Where a `depends_on` entry points. */
export type Resolution =
  | { kind: "same"; id: string }
  | { kind: "cross"; plan: PlanFileRef; phase: PhaseListing }
  | { kind: "self" }
  | { kind: "ambiguous"; ids: string[] }
  | { kind: "unresolved" };

/** A plan of the phase under analysis, as the resolver needs it. */
export interface LocalPlan {
  id: string;
  stem: string;
  planToken?: string;
}

/**
 * `"02-01 (schema first)"`, `02-01  # note`, `./02-01-PLAN.md`, `.planning/phases/02-x/02-01-PLAN.md`:
 * the token that names the plan, without quotes, notes, suffixes or directories. Returns the
 * directory part separately (`37-docs/01` names phase directory `37-docs`).
 */
export function cleanDependsValue(value: string): { token: string; dir?: string } {
  let v = value.trim().replace(/^["'`]+|["'`]+$/g, "");
  v = v.split(/\s+#|\s+\(|\s+[\u2014\u2013]\s|\s+-\s|:\s/)[0] ?? v;
  v = v
    .trim()
    .replace(/[,;:]+$/, "")
    .replace(/^\.\//, "");
  v = v.replace(/-(PLAN|SUMMARY)\.md$/i, "").replace(/\.md$/i, "");
  const slash = v.lastIndexOf("/");
  if (slash < 0) return { token: v };
  const parts = v.split("/").filter((s) => s !== "");
  const token = parts[parts.length - 1] ?? v;
  const dir = parts[parts.length - 2];
  return dir === undefined ? { token } : { token, dir };
}

const LEAD_TOKEN = /^(\d+[A-Za-z]?)(?=$|-)/;

interface LocalIndex {
  byId: Map<string, string[]>;
  byStem: Map<string, string[]>;
  byToken: Map<string, string[]>;
}

// One index per plan list (memoised): resolving every entry of a 10,000-plan phase by scanning
// the list each time would be quadratic.
const indexes = new WeakMap<readonly LocalPlan[], LocalIndex>();

function indexOf(plans: readonly LocalPlan[]): LocalIndex {
  let idx = indexes.get(plans);
  if (idx) return idx;
  idx = { byId: new Map(), byStem: new Map(), byToken: new Map() };
  const add = (m: Map<string, string[]>, k: string, id: string) => m.set(k, [...(m.get(k) ?? []), id]);
  for (const p of plans) {
    add(idx.byId, p.id, p.id);
    add(idx.byStem, p.stem, p.id);
    if (p.planToken !== undefined) add(idx.byToken, normalizePlanToken(p.planToken), p.id);
  }
  indexes.set(plans, idx);
  return idx;
}

function matchLocal(token: string, plans: readonly LocalPlan[]): string[] {
  const idx = indexOf(plans);
  const exact = idx.byId.get(token);
  if (exact) return exact;
  const stem = idx.byStem.get(token);
  if (stem) return stem;
  if (/^\d+[A-Za-z]?$/.test(token)) {
    const n = normalizePlanToken(token);
    const byToken = idx.byToken.get(n);
    if (byToken) return byToken;
    // In phase 01, `01-PLAN.md` and `01-slug-PLAN.md` read as the phase number with no plan number
    // (`02-PLAN.md`, `02-slug-PLAN.md` beside them are plans 02); a bare `01` still names them.
    return plans
      .filter((p) => {
        const lead = LEAD_TOKEN.exec(p.stem)?.[1];
        return (p.planToken === undefined || !/^\d/.test(p.planToken)) && lead !== undefined && normalizePlanToken(lead) === n;
      })
      .map((p) => p.id);
  }
  return [];
}

/** Plans whose id is `<phase>-<plan token>` with both numbers equal to the given ones in any padding. */
function matchLocalNumber(phaseNumber: string, planToken: string, plans: readonly LocalPlan[]): string[] {
  if (!/^\d+[A-Za-z]?$/.test(planToken)) return [];
  const n = normalizePlanToken(planToken);
  return plans
    .filter((p) => {
      const t = p.planToken;
      if (t === undefined || normalizePlanToken(t) !== n || !p.id.endsWith(`-${t}`)) return false;
      return samePhaseNumber(p.id.slice(0, p.id.length - t.length - 1), phaseNumber);
    })
    .map((p) => p.id);
}

/** Phases that could hold `phaseNumber`, nearest first: same container, then active, then archives. */
function phasesNumbered(tree: PlanningTree, phaseNumber: string, from: PhaseListing): PhaseListing[] {
  const all = tree.phases.filter((p) => p.number !== undefined && samePhaseNumber(p.number, phaseNumber));
  const rank = (p: PhaseListing) => (p.container === from.container ? 0 : p.active ? 1 : 2);
  return all.sort((a, b) => rank(a) - rank(b));
}

function findInPhase(phase: PhaseListing, token: string, planToken: string | undefined): PlanFileRef | undefined {
  const { plans } = phaseFiles(phase);
  return (
    plans.find((p) => p.id === token || p.stem === token) ??
    (planToken === undefined ? undefined : plans.find((p) => p.planToken !== undefined && normalizePlanToken(p.planToken) === normalizePlanToken(planToken)))
  );
}

/**
 * Resolves one entry: by exact id, by file stem, by bare plan number within the phase, by file
 * name; then against other phases (`11-02` from phase 12, `37-docs/01`). Never guesses: two
 * local matches are ambiguous, nothing found is unresolved.
 */
export function resolveDependency(value: string, self: LocalPlan, plans: readonly LocalPlan[], phase: PhaseListing, tree: PlanningTree): Resolution {
  const { token, dir } = cleanDependsValue(value);
  if (token === "") return { kind: "unresolved" };
  if (dir !== undefined && dir !== phase.name) {
    const target = tree.phases.find((p) => p.name === dir) ?? tree.phases.find((p) => p.dir.endsWith(`/${dir}`));
    if (target) {
      const parsed = parsePlanFileName(`${token}-PLAN.md`, target.number);
      const plan = findInPhase(target, parsed?.id ?? token, parsed?.planToken ?? token);
      if (plan) return { kind: "cross", plan, phase: target };
    }
    return { kind: "unresolved" };
  }
  const local = matchLocal(token, plans);
  if (local.length === 1) return local[0] === self.id ? { kind: "self" } : { kind: "same", id: local[0] as string };
  if (local.length > 1) return { kind: "ambiguous", ids: local };

  const lead = /^(\d+(?:\.\d+)*[A-Za-z]?)-(.+)$/.exec(token);
  if (lead && lead[1] !== undefined && isPhaseNumber(lead[1])) {
    // `02-1` or `2-01` for this phase's `02-01`: the same plan in another padding.
    const padded = matchLocalNumber(lead[1], lead[2] ?? "", plans);
    if (padded.length === 1) return padded[0] === self.id ? { kind: "self" } : { kind: "same", id: padded[0] as string };
    if (padded.length > 1) return { kind: "ambiguous", ids: padded };
    for (const target of phasesNumbered(tree, lead[1], phase)) {
      if (target.dir === phase.dir) continue;
      const parsed = parsePlanFileName(`${token}-PLAN.md`, target.number);
      const plan = findInPhase(target, token, parsed?.planToken);
      if (plan) return { kind: "cross", plan, phase: target };
    }
  }
  return { kind: "unresolved" };
}
