import { samePhaseNumber } from "./phase-number";

/**
 * What a plan's or summary's file name says about it. Real trees use `02-01-PLAN.md`,
 * `02-01-slug-PLAN.md`, `33-slug-01-PLAN.md`, `02-01a-PLAN.md`, `02-FIX-PLAN.md`, `02-PLAN.md`,
 * `05.1-PLAN.md` (plan 1 of phase 05), `07-slug-PLAN.md` (plan 07, phase from the directory),
 * and files whose number differs in padding from the directory (`82-01` in `082-slug`).
 */
export interface PlanName {
  kind: "plan" | "summary";
  /** File name without `-PLAN.md` / `-SUMMARY.md`; `PLAN.md` alone has stem "". */
  stem: string;
  /** The plan's token within its phase (`01`, `3a`, `FIX`); absent for a whole-phase plan. */
  planToken?: string;
  /** Short id used by people and `depends_on`: `02-01`, `02.1-03`, `05.1`, or the stem. */
  id: string;
}

const SUFFIX = /^(.*?)-?(PLAN|SUMMARY)\.md$/;
const LEAD_NUMBER = /^(\d+(?:\.\d+)*[A-Za-z]?)(?=$|[-_])/;
const PLAN_TOKEN = /^\d+[A-Za-z]?$/;

/** Names that end like a summary but describe a whole phase or a process, not one plan. */
const NOT_A_PLAN_SUMMARY = /(^|-)(PHASE|PLANNING|VALIDATION|VERIFICATION)$/i;

export function parsePlanFileName(fileName: string, dirPhase?: string): PlanName | undefined {
  const m = SUFFIX.exec(fileName);
  if (!m || m[1] === undefined) return undefined;
  const kind = m[2] === "PLAN" ? "plan" : "summary";
  const stem = m[1];
  if (fileName !== `${stem}-${m[2]}.md` && fileName !== `${m[2]}.md`) return undefined;
  if (kind === "summary" && NOT_A_PLAN_SUMMARY.test(stem)) return undefined;
  const token = LEAD_NUMBER.exec(stem)?.[1];
  if (token === undefined) return { kind, stem, id: stem === "" ? fileName.replace(/\.md$/, "") : stem };
  const rest = stem.slice(token.length);

  if (dirPhase !== undefined && samePhaseNumber(token, dirPhase)) {
    return withPlan(kind, stem, token, rest);
  }
  if (dirPhase !== undefined && token.includes(".")) {
    // `05.1` inside phase 05: a dotted plan number.
    const head = token.slice(0, token.lastIndexOf("."));
    if (samePhaseNumber(head, dirPhase)) {
      return { kind, stem, planToken: token.slice(head.length + 1), id: token };
    }
  }
  const next = /^-(\d+[A-Za-z]?)(?=$|-)/.exec(rest);
  if (dirPhase === undefined || next) {
    // `06-01` in a directory of another number, or no number on the directory: the file's own
    // leading number is its phase when a plan number follows it.
    if (next) return withPlan(kind, stem, token, rest);
    return { kind, stem, planToken: token, id: stem };
  }
  // `07-slug` in phase 01: the leading number is the plan number within the directory's phase.
  return { kind, stem, planToken: token, id: `${dirPhase}-${token}` };
}

function withPlan(kind: PlanName["kind"], stem: string, phase: string, rest: string): PlanName {
  if (rest === "") return { kind, stem, id: phase };
  const parts = rest.slice(1).split("-");
  const first = parts[0] ?? "";
  if (PLAN_TOKEN.test(first)) return { kind, stem, planToken: first, id: `${phase}-${first}` };
  const last = parts[parts.length - 1] ?? "";
  if (parts.length > 1 && PLAN_TOKEN.test(last)) return { kind, stem, planToken: last, id: `${phase}-${last}` };
  return { kind, stem, planToken: rest.slice(1), id: stem };
}

/** `01` = `1`, `3A` = `3a`: plan tokens compare without padding or case. */
export function normalizePlanToken(token: string): string {
  const m = /^(\d+)([A-Za-z]*)$/.exec(token);
  if (!m) return token.toUpperCase();
  return String(Number(m[1])) + (m[2] ?? "").toLowerCase();
}
