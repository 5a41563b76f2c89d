import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PhaseAnalysis } from "../core/graph/analysis";
import type { Ledger } from "../core/budget/budget-schema";
import { budgetCheck, budgetLevelNote, settleStep } from "../core/budget/budget-gate";
import { parsePlanDoc } from "../core/plan/plan-doc";
import type { QueueOptions } from "../core/queue/queue";
import type { StatusView } from "../core/queue/status-view";
import { type PlanSize, type TokenEstimate, calibration, estimateTokens, planSize } from "../core/budget/token-estimate";
import { budgetPath, readBudget, withBudgetLock, writeBudget } from "./budget-store";

/** Size of each unfinished plan of the phase, from its file (unreadable: empty, the minimum). */
export function planSizes(root: string, analysis: PhaseAnalysis): Map<string, PlanSize> {
  const out = new Map<string, PlanSize>();
  for (const p of analysis.plans) {
    if (p.status === "complete") continue;
    let text = "";
    try {
      text = readFileSync(join(root, p.file), "utf8");
    } catch {
      // An unreadable plan is refused by `start` anyway; the minimum estimate stands in.
    }
    out.set(p.id, planSize(parsePlanDoc(text, p.file, root), text));
  }
  return out;
}

/** Token estimates for the phase's unfinished plans, calibrated by the ledger's recorded use. */
export function planEstimates(root: string, analysis: PhaseAnalysis, ledger: Ledger | null): Map<string, TokenEstimate> {
  const cal = calibration(ledger?.usage ?? []);
  return new Map([...planSizes(root, analysis)].map(([id, size]) => [id, estimateTokens(size, cal)]));
}

/**
 * One queue step under the token budget. With no ledger file this is exactly `step(o)`.
 * Otherwise, holding the ledger lock for the whole step (so two `status` calls cannot both
 * spend the same tokens): read the ledger, give the scheduler the budget check, run the step,
 * then (when `write`) turn finished plans' reservations into use and reserve for every plan
 * handed out to start. Lock order is always ledger, then history; nothing takes them the other
 * way round. A corrupt ledger throws BudgetFileError and stays as it is.
 */
export async function budgetedStep(
  root: string,
  analysis: PhaseAnalysis,
  o: QueueOptions,
  step: (o: QueueOptions) => Promise<StatusView>,
  write = true,
): Promise<StatusView> {
  if (!existsSync(budgetPath(root))) return step(o);
  const run = async (): Promise<StatusView> => {
    const ledger = readBudget(root);
    if (!ledger) return step(o);
    const estimates = planEstimates(root, analysis, ledger);
    const check = budgetCheck(ledger, new Map([...estimates].map(([id, e]) => [id, e.tokens])));
    const view = await step(check ? { ...o, budget: check } : o);
    let after = ledger;
    const notes = [view.budgetNote];
    if (write) {
      const finished = view.plans.filter((p) => p.state === "completed" || p.state === "failed").map((p) => p.id);
      const dispatched = view.spawn.map((s) => ({ plan: s.plan, planFile: s.planFile, runId: s.runId }));
      const settled = settleStep(ledger, finished, dispatched, estimates, o.now);
      if (settled.changed) {
        await writeBudget(root, settled.ledger);
        after = settled.ledger;
      }
      if (settled.refused.length > 0) notes.push(`token budget: could not reserve for ${settled.refused.join(", ")}`);
    }
    notes.push(budgetLevelNote(after));
    const note = notes.filter((n): n is string => n !== undefined).join("; ");
    const out = note === "" ? view : { ...view, budgetNote: note };
    // Refused by the budget with nothing running or starting: nothing will move until someone
    // records use or releases a reservation, so the run is stopped, not in progress.
    const moving = view.plans.some((p) => p.state === "running" || p.state === "starting");
    if (view.budgetNote !== undefined && !moving && view.spawn.length === 0 && view.outcome === "in-progress") out.outcome = "stopped";
    return out;
  };
  return write ? withBudgetLock(root, run) : run();
}
