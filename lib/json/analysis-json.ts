import * as z from "zod/mini";
import { type PhaseAnalysis, isSettled } from "../core/graph/analysis";
import { DIAGNOSTIC_CODES } from "../core/common/diagnostic";

/**
 * The documented `--json` shapes. Every command validates its output against these before
 * printing, so a field can only change here (and in the README), never by accident.
 */
export const JSON_SCHEMA_VERSION = 1;

export const DiagnosticJson = z.object({
  severity: z.enum(["error", "warning", "info"]),
  code: z.enum(DIAGNOSTIC_CODES),
  message: z.string(),
  file: z.optional(z.string()),
  line: z.optional(z.int().check(z.positive())),
});

export const ReasonJson = z.object({
  kind: z.enum(["declared", "plan-ref", "summary-ref", "read-after-write", "write-conflict", "cross-phase", "prose"]),
  file: z.optional(z.string()),
  line: z.optional(z.int().check(z.positive())),
  via: z.optional(z.enum(["moved-phase", "foreign-root", "foreign-path"])),
  text: z.optional(z.string()),
});

export const PhaseJson = z.object({
  dir: z.string(),
  name: z.string(),
  number: z.optional(z.string()),
  container: z.string(),
  active: z.boolean(),
});

export const AnalysisJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("analyze"),
  projectRoot: z.string(),
  phase: PhaseJson,
  note: z.optional(z.string()),
  plans: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      status: z.enum(["complete", "pending"]),
      outcome: z.enum(["complete", "pending", "halted", "superseded"]),
      wave: z.int().check(z.positive()),
      declaredWave: z.nullable(z.int().check(z.nonnegative())),
      dependsOn: z.array(z.string()),
      declaredDependsOn: z.array(z.string()),
      autonomous: z.boolean(),
      checkpoints: z.array(z.string()),
      durationMinutes: z.number().check(z.nonnegative()),
      durationSource: z.enum(["summary", "estimate"]),
      taskCount: z.int().check(z.nonnegative()),
      filesModified: z.array(z.string()),
      summaryFile: z.nullable(z.string()),
    }),
  ),
  edges: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      fromFile: z.string(),
      toFile: z.string(),
      external: z.boolean(),
      satisfied: z.optional(z.boolean()),
      reasons: z.array(ReasonJson).check(z.minLength(1)),
    }),
  ),
  waves: z.array(z.array(z.string())),
  criticalPath: z.array(z.string()),
  criticalPathMinutes: z.number().check(z.nonnegative()),
  cycles: z.array(z.array(z.string())),
  diagnostics: z.array(DiagnosticJson),
  counts: z.object({
    plans: z.int(),
    complete: z.int(),
    pending: z.int(),
    halted: z.int(),
    superseded: z.int(),
    edges: z.int(),
    errors: z.int(),
    warnings: z.int(),
  }),
});

/**
 * `status` keeps its two values for readers written before `outcome` existed: a superseded plan
 * reads as complete (nothing waits for it), a halted one as pending (it is not done).
 */
function jsonStatus(p: PhaseAnalysis["plans"][number]): "complete" | "pending" {
  return isSettled(p) ? "complete" : "pending";
}

export type AnalysisJsonType = z.infer<typeof AnalysisJson>;

export function analysisToJson(a: PhaseAnalysis, projectRoot: string, note?: string): AnalysisJsonType {
  const out: AnalysisJsonType = {
    schemaVersion: JSON_SCHEMA_VERSION,
    command: "analyze",
    projectRoot,
    phase: a.phase,
    plans: a.plans.map((p) => ({
      id: p.id,
      file: p.file,
      status: jsonStatus(p),
      outcome: p.status,
      wave: p.wave,
      declaredWave: p.declaredWave ?? null,
      dependsOn: p.dependsOn,
      declaredDependsOn: p.declaredDependsOn,
      autonomous: p.autonomous,
      checkpoints: p.checkpoints,
      durationMinutes: p.durationMinutes,
      durationSource: p.durationSource,
      taskCount: p.taskCount,
      filesModified: p.filesModified,
      summaryFile: p.summaryFile ?? null,
    })),
    edges: a.edges,
    waves: a.waves,
    criticalPath: a.criticalPath,
    criticalPathMinutes: a.criticalPathMinutes,
    cycles: a.cycles,
    diagnostics: a.diagnostics,
    counts: {
      plans: a.plans.length,
      complete: a.plans.filter((p) => jsonStatus(p) === "complete").length,
      pending: a.plans.filter((p) => jsonStatus(p) === "pending").length,
      halted: a.plans.filter((p) => p.status === "halted").length,
      superseded: a.plans.filter((p) => p.status === "superseded").length,
      edges: a.edges.length,
      errors: a.diagnostics.filter((d) => d.severity === "error").length,
      warnings: a.diagnostics.filter((d) => d.severity === "warning").length,
    },
  };
  if (note !== undefined) out.note = note;
  return AnalysisJson.parse(out);
}
