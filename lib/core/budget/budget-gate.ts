import type { Ledger } from "./budget-schema";
import { availableTokens, recordUse, reserveTokens, reservedTokens, usedTokens } from "./budget";
import { budgetReport } from "./budget-report";
import type { BudgetCheck } from "../schedule/scheduler";
import { TOKEN_ESTIMATE, type TokenEstimate } from "./token-estimate";

/**
 * The token budget as the scheduler sees it. Plans own reservations under their plan id.
 *
 * A candidate needs its estimate minus what it already holds (a plan whose spawn lease ran out
 * keeps its reservation). The group being started in one step must fit in what is available:
 * when it does not, the candidate waits (the step starts fewer at once, down to one); when the
 * candidate does not fit even alone, the refusal is hard and nothing crosses the stop
 * threshold. With no ledger there is no check at all: nothing changes.
 */
const fmt = (n: number) => n.toLocaleString("en-US");
const pct = (n: number, of: number) => Math.round((n / of) * 1000) / 10;

export function budgetCheck(ledger: Ledger | null, estimates: ReadonlyMap<string, number>): BudgetCheck | undefined {
  if (!ledger) return undefined;
  const available = availableTokens(ledger);
  const stop = pct(ledger.thresholds.stop, 1);
  const need = (id: string) => Math.max(0, (estimates.get(id) ?? TOKEN_ESTIMATE.min) - (ledger.reservations[id]?.tokens ?? 0));
  return (candidate, starting) => {
    const group = starting.reduce((n, id) => n + need(id), 0);
    const mine = need(candidate);
    if (group + mine <= available) return { ok: true };
    if (starting.length === 0) {
      const committed = pct(usedTokens(ledger) + reservedTokens(ledger), ledger.context_limit);
      return {
        ok: false,
        hard: true,
        reason: `token budget: ${candidate} needs ~${fmt(mine)} tokens but ${fmt(Math.max(0, available))} are left under the ${stop}% stop threshold (${committed}% of ${fmt(ledger.context_limit)} committed): not started until tokens are freed (budget record or release; see gsd-async budget report)`,
      };
    }
    return {
      ok: false,
      reason: `token budget: ${fmt(Math.max(0, available))} tokens left under the ${stop}% stop threshold cover ${starting.join(", ")} (~${fmt(group)}) but not ${candidate} as well (~${fmt(mine)}): starting fewer plans at once`,
    };
  };
}

export interface Dispatched {
  plan: string;
  planFile: string;
  runId: string;
}

export interface AfterStep {
  ledger: Ledger;
  changed: boolean;
  /** Dispatched plans whose reservation was refused (the ledger changed under the check). */
  refused: string[];
}

/**
 * The ledger side of one queue step: plans that finished turn their reservation into use (no
 * count was reported, so the reservation is taken as spent; a later `budget record` for the
 * plan replaces that stand-in with the real count), and plans handed out to start reserve their estimate,
 * keeping a larger reservation they already hold.
 */
export function settleStep(
  ledger: Ledger,
  finished: readonly string[],
  dispatched: readonly Dispatched[],
  estimates: ReadonlyMap<string, TokenEstimate>,
  now: string,
): AfterStep {
  let l = ledger;
  let changed = false;
  const refused: string[] = [];
  for (const plan of finished) {
    if (!l.reservations[plan]) continue;
    l = recordUse(l, l.reservations[plan].tokens, plan, {}, now, "reservation").ledger;
    changed = true;
  }
  for (const d of dispatched) {
    const est = estimates.get(d.plan) ?? { tokens: TOKEN_ESTIMATE.min, basis: TOKEN_ESTIMATE.min };
    const held = l.reservations[d.plan];
    if (held && held.tokens >= est.tokens && held.run_id === d.runId) continue;
    const r = reserveTokens(
      l,
      Math.max(est.tokens, held?.tokens ?? 0),
      d.plan,
      { kind: "plan", plan_file: d.planFile, run_id: d.runId, basis: est.basis },
      now,
    );
    if (r.ok) {
      l = r.ledger;
      changed = true;
    } else refused.push(d.plan);
  }
  return { ledger: l, changed, refused };
}

/** A line for `start`/`status` when the budget is past a threshold, else undefined. */
export function budgetLevelNote(ledger: Ledger | null): string | undefined {
  if (!ledger) return undefined;
  const r = budgetReport(ledger);
  return r.level === "ok" ? undefined : `token budget ${r.level}: ${r.message}`;
}
