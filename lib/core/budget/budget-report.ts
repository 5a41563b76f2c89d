import type { Ledger, OwnerKind, Thresholds } from "./budget-schema";
import { type BudgetLevel, availableTokens, ceiling, levelOf, reservedTokens, usedTokens } from "./budget";

/** One owner's line in the report: what it holds now and what it has used so far. */
export interface OwnerLine {
  owner: string;
  kind: OwnerKind;
  reserved: number;
  used: number;
  /** How many usage records the owner has (a retried plan records more than once). */
  records: number;
  planFile: string | null;
  runId: string | null;
}

export interface BudgetReport {
  model: string;
  contextLimit: number;
  thresholds: Thresholds;
  /** floor(stop * limit): reservations never go past it. */
  ceiling: number;
  used: number;
  reserved: number;
  committed: number;
  /** What can still be reserved; 0 when recorded use went past the ceiling. */
  available: number;
  /** Shares of the context limit, in percent with one decimal. */
  percent: { used: number; reserved: number; committed: number };
  level: BudgetLevel;
  /** What the level means for the queue, in one sentence. */
  message: string;
  owners: OwnerLine[];
  updatedAt: string;
}

const pct = (n: number, of: number) => Math.round((n / of) * 1000) / 10;

const MESSAGE: Record<BudgetLevel, (r: { committed: number; stop: number }) => string> = {
  ok: () => "within budget",
  warn: (r) => `${r.committed}% committed: past the warning threshold`,
  critical: (r) => `${r.committed}% committed: past the critical threshold; parallel groups may be started one at a time`,
  stop: (r) => `${r.committed}% committed: at the ${r.stop}% stop threshold; nothing more can be reserved or started`,
};

export function budgetReport(l: Ledger): BudgetReport {
  const used = usedTokens(l);
  const reserved = reservedTokens(l);
  const committed = used + reserved;
  const byOwner = new Map<string, OwnerLine>();
  const line = (owner: string, kind: OwnerKind, planFile?: string, runId?: string): OwnerLine => {
    let o = byOwner.get(owner);
    if (!o) byOwner.set(owner, (o = { owner, kind, reserved: 0, used: 0, records: 0, planFile: null, runId: null }));
    if (planFile !== undefined) o.planFile = planFile;
    if (runId !== undefined) o.runId = runId;
    return o;
  };
  for (const u of l.usage) {
    const o = line(u.owner, u.kind, u.plan_file, u.run_id);
    o.used += u.tokens;
    o.records++;
  }
  for (const [owner, r] of Object.entries(l.reservations)) line(owner, r.kind, r.plan_file, r.run_id).reserved += r.tokens;
  const level = levelOf(committed / l.context_limit, l.thresholds);
  const percent = { used: pct(used, l.context_limit), reserved: pct(reserved, l.context_limit), committed: pct(committed, l.context_limit) };
  return {
    model: l.model,
    contextLimit: l.context_limit,
    thresholds: l.thresholds,
    ceiling: ceiling(l),
    used,
    reserved,
    committed,
    available: Math.max(0, availableTokens(l)),
    percent,
    level,
    message: MESSAGE[level]({ committed: percent.committed, stop: pct(l.thresholds.stop, 1) }),
    owners: [...byOwner.values()].sort((a, b) => b.reserved + b.used - (a.reserved + a.used) || (a.owner < b.owner ? -1 : 1)),
    updatedAt: l.updated_at,
  };
}
