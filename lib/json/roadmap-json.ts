import * as z from "zod/mini";
import { DiagnosticJson, JSON_SCHEMA_VERSION } from "./analysis-json";
import type { RoadmapAnalysis } from "../core/roadmap/roadmap-analysis";

/**
 * The documented `--json` shapes of `roadmap analyze|check|simulate` (and their `parallel`
 * aliases, which print the same). Same conventions as the plan level: `schemaVersion`,
 * `command`, nulls rather than missing fields for per-phase values, and every output is
 * validated here before it is printed.
 */
const positive = () => z.int().check(z.positive());
const count = () => z.int().check(z.nonnegative());

export const RoadmapAnalysisJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("roadmap-analyze"),
  projectRoot: z.string(),
  roadmap: z.string(),
  phases: z.array(
    z.object({
      id: z.string(),
      written: z.string(),
      name: z.string(),
      line: positive(),
      inserted: z.boolean(),
      dir: z.nullable(z.string()),
      plans: z.object({ total: count(), complete: count() }),
      status: z.enum(["complete", "in-progress", "pending"]),
      statusSource: z.enum(["directory", "roadmap", "none"]),
      checkbox: z.nullable(z.boolean()),
      progressStatus: z.nullable(z.string()),
      level: z.nullable(positive()),
      blocked: z.boolean(),
      onCycle: z.boolean(),
      dependsOn: z.array(z.string()),
      declaredDependsOn: z.array(z.string()),
      minutes: z.number().check(z.nonnegative()),
      durationSource: z.enum(["summary", "estimate", "mixed", "assumed"]),
    }),
  ),
  edges: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      external: z.boolean(),
      fromDir: z.nullable(z.string()),
      satisfied: z.boolean(),
      reasons: z.array(z.object({ kind: z.enum(["declared", "range", "note"]), line: positive() })).check(z.minLength(1)),
    }),
  ),
  levels: z.array(z.array(z.string())),
  criticalPath: z.array(z.string()),
  criticalPathMinutes: z.number().check(z.nonnegative()),
  cycles: z.array(z.array(z.string())),
  diagnostics: z.array(DiagnosticJson),
  counts: z.object({
    phases: count(),
    complete: count(),
    inProgress: count(),
    pending: count(),
    blocked: count(),
    edges: count(),
    levels: count(),
    errors: count(),
    warnings: count(),
  }),
});
export type RoadmapAnalysisJsonType = z.infer<typeof RoadmapAnalysisJson>;

/** `--archived`: the live roadmap (when there is one) and every archived one, in order. */
export const RoadmapSetJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("roadmap-analyze"),
  projectRoot: z.string(),
  roadmaps: z.array(RoadmapAnalysisJson),
});

const CheckEntry = z.object({ roadmap: z.string(), ok: z.boolean(), problems: z.array(DiagnosticJson), diagnostics: z.array(DiagnosticJson) });
export const RoadmapCheckJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("roadmap-check"),
  strict: z.boolean(),
  ok: z.boolean(),
  roadmaps: z.array(CheckEntry),
});

export const RoadmapSimulateJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("roadmap-simulate"),
  roadmap: z.string(),
  maxConcurrent: positive(),
  makespan: z.object({ sequential: z.number(), levelBarrier: z.number(), scheduler: z.number(), lowerBound: z.number() }),
  criticalPath: z.number(),
  totalWork: z.number(),
  phases: z.array(z.object({ id: z.string(), minutes: z.number(), source: z.enum(["summary", "estimate", "mixed", "assumed"]), level: positive() })),
  skipped: z.object({ complete: z.array(z.string()), blocked: z.array(z.string()) }),
  timeline: z.array(z.object({ id: z.string(), start: z.number(), end: z.number(), lane: count() })),
});

export function roadmapToJson(a: RoadmapAnalysis, projectRoot: string): RoadmapAnalysisJsonType {
  const n = (s: string) => a.phases.filter((p) => p.status === s).length;
  return RoadmapAnalysisJson.parse({
    schemaVersion: JSON_SCHEMA_VERSION,
    command: "roadmap-analyze",
    projectRoot,
    roadmap: a.file,
    phases: a.phases.map((p) => ({
      id: p.id,
      written: p.written,
      name: p.name,
      line: p.line,
      inserted: p.inserted,
      dir: p.dir ?? null,
      plans: p.plans,
      status: p.status,
      statusSource: p.statusSource,
      checkbox: p.checkbox ?? null,
      progressStatus: p.progressStatus ?? null,
      level: p.level ?? null,
      blocked: p.blocked,
      onCycle: p.onCycle,
      dependsOn: p.dependsOn,
      declaredDependsOn: p.declaredDependsOn,
      minutes: p.minutes,
      durationSource: p.durationSource,
    })),
    edges: a.edges.map((e) => ({ from: e.from, to: e.to, external: e.external, fromDir: e.fromDir ?? null, satisfied: e.satisfied, reasons: e.reasons })),
    levels: a.levels,
    criticalPath: a.criticalPath,
    criticalPathMinutes: a.criticalPathMinutes,
    cycles: a.cycles,
    diagnostics: a.diagnostics,
    counts: {
      phases: a.phases.length,
      complete: n("complete"),
      inProgress: n("in-progress"),
      pending: n("pending"),
      blocked: a.phases.filter((p) => p.blocked).length,
      edges: a.edges.length,
      levels: a.levels.length,
      errors: a.diagnostics.filter((d) => d.severity === "error").length,
      warnings: a.diagnostics.filter((d) => d.severity === "warning").length,
    },
  });
}

/** `roadmap graph --json`: the drawable graph, nodes named `Phase N: Name`. */
export const RoadmapGraphJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("roadmap-graph"),
  roadmap: z.string(),
  nodes: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      status: z.enum(["complete", "pending", "checkpoint", "external-complete", "external-pending"]),
      wave: z.optional(positive()),
      external: z.boolean(),
    }),
  ),
  edges: z.array(z.object({ from: z.string(), to: z.string(), reasons: z.array(z.string()), implied: z.boolean(), external: z.boolean() })),
});
