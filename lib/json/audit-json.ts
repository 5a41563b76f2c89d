import * as z from "zod/mini";
import { ReasonJson } from "./analysis-json";

/** The `audit` part of `check --audit --json` (see PhaseAudit in core/graph/audit). */
const AuditEdgeJson = z.object({
  from: z.string(),
  to: z.string(),
  fromFile: z.string(),
  toFile: z.string(),
  reasons: z.array(ReasonJson),
});

const ScheduleJson = z.object({
  criticalPath: z.array(z.string()),
  criticalPathMinutes: z.number().check(z.nonnegative()),
  makespan: z.number().check(z.nonnegative()),
  waves: z.int().check(z.nonnegative()),
});

export const AuditJson = z.object({
  maxConcurrent: z.int().check(z.positive()),
  declared: z.int().check(z.nonnegative()),
  supported: z.int().check(z.nonnegative()),
  unsupported: z.array(AuditEdgeJson),
  inferred: z.array(AuditEdgeJson),
  inferredImplied: z.int().check(z.nonnegative()),
  before: ScheduleJson,
  after: ScheduleJson,
});
