import { type PhaseAnalysis, isSettled } from "../graph/analysis";

/**
 * Whether one plan may be started on its own (`/gsd:execute-async PLAN.md`): it must not be
 * complete, every prerequisite (in this phase or another) must be complete, and a plan that
 * needs a person only goes to the background when the user opted in.
 */
export function singlePlanGate(a: PhaseAnalysis, planFile: string, includeCheckpoints: boolean): { ok: true } | { ok: false; reasons: string[] } {
  const plan = a.plans.find((p) => p.file === planFile);
  if (!plan) return { ok: false, reasons: [`${planFile} is not a plan of ${a.phase.dir}`] };
  const reasons: string[] = [];
  if (plan.status === "complete") reasons.push(`${plan.id} is already complete (${plan.summaryFile ?? "its SUMMARY.md exists"})`);
  if (plan.status === "halted" || plan.status === "superseded")
    reasons.push(`${plan.id} is ${plan.status} (${plan.summaryFile ?? "its SUMMARY.md says so"}): change its SUMMARY.md to run it again`);
  const done = new Set(a.plans.filter(isSettled).map((p) => p.id));
  for (const e of a.edges) {
    if (e.to !== plan.id) continue;
    const why = e.reasons.map((r) => r.kind).join(", ");
    if (e.external && !e.satisfied) reasons.push(`it needs ${e.from} (${e.fromFile}) from another phase, which is not complete (${why})`);
    if (!e.external && !done.has(e.from)) reasons.push(`it needs ${e.from}, which is not complete (${why})`);
  }
  if (!plan.autonomous && !includeCheckpoints) {
    reasons.push(
      `it has checkpoints (${plan.checkpoints.join(", ") || "autonomous: false"}) that need a person: run it in the foreground, or pass --include-checkpoints`,
    );
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}
