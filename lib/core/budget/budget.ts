import {
  BUDGET_VERSION,
  DEFAULT_THRESHOLDS,
  type Ledger,
  type OwnerKind,
  type Reservation,
  type Thresholds,
  type UsageRecord,
  contextLimitFor,
} from "./budget-schema";

/**
 * Ledger maths. Pure: every operation takes the ledger and the time and returns a new ledger.
 *
 * Rules:
 * - The ceiling is `floor(stop * limit)`; `available = ceiling - used - reserved`.
 * - A reservation is granted only when it fits under the ceiling, so reservations alone never
 *   cross the stop threshold. Reserving again for the same owner replaces its reservation
 *   (the old one does not count against the new one).
 * - Recorded use is what happened: it is always recorded, even past the ceiling (the level then
 *   says `stop` and nothing more can be reserved). It replaces the owner's reservation, or the
 *   stand-in use recorded when the owner's plan finished without a count.
 * - The level compares the committed share `(used + reserved) / limit` with the thresholds:
 *   below warn `ok`, from warn `warn`, from critical `critical`, from stop `stop`.
 */
export type BudgetLevel = "ok" | "warn" | "critical" | "stop";

export interface OwnerMeta {
  kind?: OwnerKind;
  plan_file?: string;
  run_id?: string;
  /** The uncalibrated content estimate, when the scheduler reserves for a plan. */
  basis?: number;
}

export function newLedger(o: { now: string; model?: string; limit?: number; thresholds?: Thresholds }): Ledger {
  const model = o.model ?? "default";
  return {
    version: BUDGET_VERSION,
    model,
    context_limit: o.limit ?? contextLimitFor(model),
    thresholds: o.thresholds ?? { ...DEFAULT_THRESHOLDS },
    reservations: {},
    usage: [],
    created_at: o.now,
    updated_at: o.now,
  };
}

/** `01-03`, `02.1-04`: a plan; `3`, `02.1`, `phase-3`, `01-core`: a phase; anything else: other. */
export function ownerKind(owner: string): OwnerKind {
  if (/^\d+[A-Za-z]?(?:\.\d+)*-\d+[A-Za-z]?$/.test(owner)) return "plan";
  if (/^(?:phase[-_ ]?)?\d+[A-Za-z]?(?:\.\d+)*(?:-[A-Za-z][\w-]*)?$/i.test(owner)) return "phase";
  return "other";
}

export const ceiling = (l: Ledger): number => Math.floor(l.thresholds.stop * l.context_limit);
export const usedTokens = (l: Ledger): number => l.usage.reduce((n, u) => n + u.tokens, 0);

export function reservedTokens(l: Ledger, except?: string): number {
  let n = 0;
  for (const [owner, r] of Object.entries(l.reservations)) if (owner !== except) n += r.tokens;
  return n;
}

/** Tokens that can still be reserved (for `owner`: not counting what it already holds). */
export const availableTokens = (l: Ledger, owner?: string): number => ceiling(l) - usedTokens(l) - reservedTokens(l, owner);

export function levelOf(fraction: number, t: Thresholds): BudgetLevel {
  return fraction >= t.stop ? "stop" : fraction >= t.critical ? "critical" : fraction >= t.warn ? "warn" : "ok";
}

const fmt = (n: number) => n.toLocaleString("en-US");
const pct = (n: number, of: number) => Math.round((n / of) * 1000) / 10;

function metaOf(owner: string, m: OwnerMeta): Pick<Reservation, "kind" | "plan_file" | "run_id"> {
  const out: Pick<Reservation, "kind" | "plan_file" | "run_id"> = { kind: m.kind ?? (m.plan_file !== undefined ? "plan" : ownerKind(owner)) };
  if (m.plan_file !== undefined) out.plan_file = m.plan_file;
  if (m.run_id !== undefined) out.run_id = m.run_id;
  return out;
}

export type ReserveResult = { ok: true; ledger: Ledger; tokens: number; replaced: number | null } | { ok: false; reason: string; available: number };

export function reserveTokens(l: Ledger, tokens: number, owner: string, meta: OwnerMeta, now: string): ReserveResult {
  const available = availableTokens(l, owner);
  if (!Number.isInteger(tokens) || tokens < 1) return { ok: false, reason: `a reservation must be a whole number of tokens above 0, not ${tokens}`, available };
  if (owner.trim() === "") return { ok: false, reason: "a reservation needs an owner (--for ID)", available };
  if (tokens > available) {
    const committed = usedTokens(l) + reservedTokens(l, owner) + tokens;
    return {
      ok: false,
      available,
      reason: `${fmt(tokens)} tokens for ${owner} would bring the budget to ${pct(committed, l.context_limit)}% of ${fmt(l.context_limit)}, past the ${pct(l.thresholds.stop, 1)}% stop threshold: ${fmt(Math.max(0, available))} available (used ${fmt(usedTokens(l))}, reserved by others ${fmt(reservedTokens(l, owner))})`,
    };
  }
  const r: Reservation = { tokens, reserved_at: now, ...metaOf(owner, meta) };
  if (meta.basis !== undefined && meta.basis > 0) r.basis = Math.round(meta.basis);
  const old = l.reservations[owner];
  return { ok: true, tokens, replaced: old?.tokens ?? null, ledger: { ...l, reservations: { ...l.reservations, [owner]: r }, updated_at: now } };
}

export interface RecordResult {
  ledger: Ledger;
  /** The reservation (or the stand-in use of a finished plan) the record replaced, if any. */
  replaced: number | null;
  /** Set when recorded use takes the budget past the stop threshold. */
  warning?: string;
}

export function recordUse(l: Ledger, tokens: number, owner: string, meta: OwnerMeta, now: string, source: UsageRecord["source"] = "reported"): RecordResult {
  const { [owner]: held, ...rest } = l.reservations;
  // A plan that finished with no reported count had its reservation taken as spent; the real
  // count, when it comes, replaces that stand-in instead of being added on top of it.
  let standIn = -1;
  if (!held && source === "reported")
    for (let i = l.usage.length - 1; i >= 0 && standIn < 0; i--) if (l.usage[i]?.owner === owner && l.usage[i]?.source === "reservation") standIn = i;
  const prior = held ?? l.usage[standIn];
  const u: UsageRecord = {
    owner,
    tokens: Math.max(0, Math.round(tokens)),
    estimate: prior?.tokens ?? null,
    source,
    recorded_at: now,
    ...metaOf(owner, { ...prior, ...meta }),
  };
  const basis = meta.basis ?? prior?.basis;
  if (basis !== undefined) u.basis = basis;
  const usage = standIn >= 0 ? l.usage.map((x, i) => (i === standIn ? u : x)) : [...l.usage, u];
  const ledger: Ledger = { ...l, reservations: rest, usage, updated_at: now };
  const out: RecordResult = { ledger, replaced: prior?.tokens ?? null };
  if (availableTokens(ledger) < 0)
    out.warning = `recorded use takes the budget past the ${pct(l.thresholds.stop, 1)}% stop threshold (${pct(usedTokens(ledger) + reservedTokens(ledger), l.context_limit)}% committed): nothing more can be reserved`;
  return out;
}

export type ReleaseResult = { ok: true; ledger: Ledger; released: number } | { ok: false; reason: string };

export function releaseReservation(l: Ledger, owner: string, now: string): ReleaseResult {
  const { [owner]: old, ...rest } = l.reservations;
  if (!old) {
    const owners = Object.keys(l.reservations);
    return {
      ok: false,
      reason: `no reservation for ${owner}${owners.length > 0 ? ` (reservations: ${owners.slice(0, 10).join(", ")}${owners.length > 10 ? ", ..." : ""})` : " (nothing is reserved)"}`,
    };
  }
  return { ok: true, released: old.tokens, ledger: { ...l, reservations: rest, updated_at: now } };
}
