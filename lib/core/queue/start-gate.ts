import type { Diagnostic } from "../common/diagnostic";
import type { PhaseAnalysis } from "../graph/analysis";
import type { RunRecord } from "./history-schema";
import { singlePlanGate } from "./single-plan";

/** Diagnostics that make a phase unsafe to run. An undeclared write conflict is not one: it is ordered. */
export const REFUSE = new Set([
  "cycle",
  "depends-unresolved",
  "depends-unreadable",
  "files-unreadable",
  "plan-unreadable",
  "file-too-large",
  "name-unsafe",
  "link-outside-project",
  "frontmatter-invalid",
  "frontmatter-unsafe-engine",
]);

export type Gate = { ok: true } | { ok: false; reasons: string[]; diagnostics: Diagnostic[] };

/**
 * Whether `start` may go ahead: no refusing diagnostics; for a single plan, the plan may run on
 * its own; and it does not collide with the run already active in the phase (a single plan is
 * part of an active whole-phase run already). Decided inside the queue transaction, on the
 * history it is about to change.
 */
export function startGate(a: PhaseAnalysis, active: RunRecord | undefined, scope: readonly string[] | undefined, includeCheckpoints: boolean): Gate {
  const refuse = a.diagnostics.filter((d) => d.severity === "error" && REFUSE.has(d.code));
  if (refuse.length > 0) return { ok: false, reasons: refuse.map((d) => d.message), diagnostics: refuse };
  if (scope === undefined) return { ok: true };
  for (const file of scope) {
    const g = singlePlanGate(a, file, includeCheckpoints);
    if (!g.ok) return { ok: false, reasons: g.reasons, diagnostics: [] };
  }
  if (active && active.scope === undefined) {
    return {
      ok: false,
      reasons: [`run ${active.run_id} is already active in ${a.phase.dir} (the whole phase, which includes this plan): follow it with status`],
      diagnostics: [],
    };
  }
  return { ok: true };
}
