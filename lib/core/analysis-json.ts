import { z } from "zod";
import type { PhaseAnalysis } from "./analysis";
import { DIAGNOSTIC_CODES } from "./diagnostic";

/**
 * The documented `--json` shapes. Every command validates its output against these before
 * printing, so a field can only change here (and in the README), never by accident.
 */
export const JSON_SCHEMA_VERSION = 1;

export const DiagnosticJson = z.object({
  severity: z.enum(["error", "warning", "info"]),
  code: z.enum(DIAGNOSTIC_CODES),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
});

const ReasonJson = z.object({
  kind: z.enum(["declared", "plan-ref", "summary-ref", "read-after-write", "write-conflict", "cross-phase"]),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
});

export const PhaseJson = z.object({
  dir: z.string(),
  name: z.string(),
  number: z.string().optional(),
  container: z.string(),
  active: z.boolean(),
});

export const AnalysisJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("analyze"),
  projectRoot: z.string(),
  phase: PhaseJson,
  note: z.string().optional(),
  plans: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      status: z.enum(["complete", "pending"]),
      wave: z.number().int().positive(),
      declaredWave: z.number().int().nonnegative().nullable(),
      dependsOn: z.array(z.string()),
      declaredDependsOn: z.array(z.string()),
      autonomous: z.boolean(),
      checkpoints: z.array(z.string()),
      durationMinutes: z.number().nonnegative(),
      durationSource: z.enum(["summary", "estimate"]),
      taskCount: z.number().int().nonnegative(),
      filesModified: z.array(z.string()),
      summaryFile: z.string().nullable(),
    }),
  ),
  edges: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      fromFile: z.string(),
      toFile: z.string(),
      external: z.boolean(),
      satisfied: z.boolean().optional(),
      reasons: z.array(ReasonJson).min(1),
    }),
  ),
  waves: z.array(z.array(z.string())),
  criticalPath: z.array(z.string()),
  criticalPathMinutes: z.number().nonnegative(),
  cycles: z.array(z.array(z.string())),
  diagnostics: z.array(DiagnosticJson),
  counts: z.object({
    plans: z.number().int(),
    complete: z.number().int(),
    pending: z.number().int(),
    edges: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
  }),
});

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
      status: p.status,
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
      complete: a.plans.filter((p) => p.status === "complete").length,
      pending: a.plans.filter((p) => p.status === "pending").length,
      edges: a.edges.length,
      errors: a.diagnostics.filter((d) => d.severity === "error").length,
      warnings: a.diagnostics.filter((d) => d.severity === "warning").length,
    },
  };
  if (note !== undefined) out.note = note;
  return AnalysisJson.parse(out);
}
