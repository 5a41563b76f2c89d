import { type FileProblem, parseJsonObject, schemaProblems } from "../common/file-problem";
import * as z from "zod/mini";
import { useEnglishMessages } from "../common/zod-messages";

/**
 * `.planning/token-budget.json`, version 1.0: the token ledger. A reservation is tokens set
 * aside for an owner (a plan id such as `01-03`, or a phase) before it runs; a usage record is
 * what an owner actually used. The limit is the model's context window, the thresholds are
 * fractions of it. Unknown fields are kept, like in agent-history.json.
 */
export const BUDGET_VERSION = "1.0";
export const DEFAULT_CONTEXT_LIMIT = 200_000;
export const DEFAULT_MODEL = "default";
export const DEFAULT_THRESHOLDS = { warn: 0.8, critical: 0.9, stop: 0.95 } as const;

/**
 * Context windows per model, matched against the model name in order (first match wins).
 * Claude Code's `[1m]` suffix (e.g. `sonnet[1m]`) selects the 1M-token window; every current
 * Claude model family otherwise has 200k. `--limit` overrides the table.
 */
export const MODEL_CONTEXT_LIMITS: readonly { pattern: RegExp; limit: number; label: string }[] = [
  { pattern: /\[1m\]$/i, limit: 1_000_000, label: "1M-context variant" },
  { pattern: /opus/i, limit: 200_000, label: "Opus" },
  { pattern: /sonnet/i, limit: 200_000, label: "Sonnet" },
  { pattern: /haiku/i, limit: 200_000, label: "Haiku" },
];

export function contextLimitFor(model: string): number {
  return MODEL_CONTEXT_LIMITS.find((m) => m.pattern.test(model))?.limit ?? DEFAULT_CONTEXT_LIMIT;
}

const isoTime = z.string().check(z.minLength(10));
const tokens = z.int().check(z.nonnegative());
const fraction = z.number().check(z.gt(0), z.lte(1));

export const OWNER_KINDS = ["plan", "phase", "other"] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

/** Where an owner's tokens go: optional, for people reading the ledger and for reconciling. */
const ownerMeta = {
  kind: z.enum(OWNER_KINDS),
  plan_file: z.optional(z.string()),
  run_id: z.optional(z.string()),
};

export const ReservationSchema = z.looseObject({
  tokens: z.int().check(z.positive()),
  /** The uncalibrated content estimate behind this reservation, when the scheduler made it. */
  basis: z.optional(z.int().check(z.positive())),
  reserved_at: isoTime,
  ...ownerMeta,
});

export const UsageRecordSchema = z.looseObject({
  owner: z.string().check(z.minLength(1)),
  tokens,
  /** The reservation this record replaced; null when the owner had none. */
  estimate: z.nullable(tokens),
  basis: z.optional(z.int().check(z.positive())),
  /**
   * `reported`: a real count (`budget record`). `reservation`: the plan finished and nobody
   * reported a count, so its reservation is taken as spent. Only reported counts calibrate.
   */
  source: z.enum(["reported", "reservation"]),
  recorded_at: isoTime,
  ...ownerMeta,
});

export const ThresholdsSchema = z
  .object({ warn: fraction, critical: fraction, stop: fraction })
  .check(z.refine((t) => t.warn <= t.critical && t.critical <= t.stop, "thresholds must be ordered: warn <= critical <= stop"));

export const BudgetSchema = z.looseObject({
  version: z.literal(BUDGET_VERSION),
  model: z.string().check(z.minLength(1)),
  context_limit: z.int().check(z.positive()),
  thresholds: ThresholdsSchema,
  reservations: z.record(z.string().check(z.minLength(1)), ReservationSchema),
  usage: z.array(UsageRecordSchema),
  created_at: isoTime,
  updated_at: isoTime,
});

export type Reservation = z.infer<typeof ReservationSchema>;
export type UsageRecord = z.infer<typeof UsageRecordSchema>;
export type Thresholds = z.infer<typeof ThresholdsSchema>;
export type Ledger = z.infer<typeof BudgetSchema>;

/** Why a ledger file cannot be used. The file is never rewritten when this happens. */
export type BudgetProblem = FileProblem;

export type ParsedBudget = { ok: true; ledger: Ledger } | { ok: false; problems: BudgetProblem[] };

/** Parses and validates ledger text. Pure: never touches the file. */
export function parseBudgetText(text: string): ParsedBudget {
  const read = parseJsonObject(text);
  if (!read.ok) return read;
  const json = read.json;
  const version = json.version;
  if (version !== undefined && version !== BUDGET_VERSION) {
    return { ok: false, problems: [{ path: "version", message: `unsupported version '${String(version)}' (this gsd-async reads ${BUDGET_VERSION})` }] };
  }
  useEnglishMessages();
  const parsed = BudgetSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.error.issues) };
  return { ok: true, ledger: parsed.data };
}
