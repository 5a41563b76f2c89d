import * as z from "zod/mini";
import { JSON_SCHEMA_VERSION } from "./analysis-json";
import { OWNER_KINDS } from "../core/budget/budget-schema";

/**
 * `gsd-async budget ... --json` output. Every document is validated against these schemas
 * before it is printed, so scripts can rely on the shape; a mismatch is a bug (exit 70).
 */
const int = z.int().check(z.nonnegative());
const nullableStr = z.nullable(z.string());

export const BudgetReportJson = z.object({
  model: z.string(),
  contextLimit: z.int().check(z.positive()),
  thresholds: z.object({ warn: z.number(), critical: z.number(), stop: z.number() }),
  ceiling: int,
  used: int,
  reserved: int,
  committed: int,
  available: int,
  percent: z.object({ used: z.number(), reserved: z.number(), committed: z.number() }),
  level: z.enum(["ok", "warn", "critical", "stop"]),
  message: z.string(),
  owners: z.array(
    z.object({ owner: z.string(), kind: z.enum(OWNER_KINDS), reserved: int, used: int, records: int, planFile: nullableStr, runId: nullableStr }),
  ),
  updatedAt: z.string(),
});

export const CalibrationJson = z.object({ factor: z.number(), samples: int, actual: int, estimated: int });

const head = { schemaVersion: z.literal(JSON_SCHEMA_VERSION), command: z.literal("budget"), file: z.string() };

export const BudgetJson = z.discriminatedUnion("action", [
  z.object({ ...head, action: z.literal("init"), created: z.boolean(), reason: nullableStr, report: BudgetReportJson }),
  z.object({ ...head, action: z.literal("report"), report: BudgetReportJson, calibration: CalibrationJson }),
  z.object({
    ...head,
    action: z.literal("reserve"),
    owner: z.string(),
    tokens: int,
    granted: z.boolean(),
    reason: nullableStr,
    replaced: z.nullable(int),
    available: z.int(),
    report: BudgetReportJson,
  }),
  z.object({ ...head, action: z.literal("record"), owner: z.string(), tokens: int, replaced: z.nullable(int), warning: nullableStr, report: BudgetReportJson }),
  z.object({ ...head, action: z.literal("release"), owner: z.string(), released: z.boolean(), tokens: int, reason: nullableStr, report: BudgetReportJson }),
  z.object({
    ...head,
    action: z.literal("estimate"),
    phase: z.object({ dir: z.string(), name: z.string() }),
    plans: z.array(
      z.object({
        id: z.string(),
        file: z.string(),
        tokens: int,
        basis: int,
        reserved: int,
        size: z.object({ tasks: int, checkpoints: int, filesModified: int, contextRefs: int, chars: int }),
      }),
    ),
    total: int,
    available: z.nullable(z.int()),
    atOnce: z.nullable(int),
    calibration: CalibrationJson,
  }),
]);

export type BudgetJsonDoc = z.infer<typeof BudgetJson>;

/** Validates and serialises one output document; throws (a bug) when it does not match. */
export function budgetJsonText(doc: BudgetJsonDoc): string {
  return JSON.stringify(BudgetJson.parse(doc), null, 2) + "\n";
}
