import * as z from "zod/mini";
import { DiagnosticJson, JSON_SCHEMA_VERSION } from "./analysis-json";
import type { Settings } from "../core/plan/config";
import type { Diagnostic } from "../core/common/diagnostic";

/**
 * `gsd-async parallel config`: the parallelization settings in effect and which key of
 * `.planning/config.json` each came from, so a user can see why 2 agents run instead of 3.
 * GSD users know this command; it reads only, writing config.json stays GSD's job.
 */
export const ParallelConfigJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("parallel-config"),
  file: z.string(),
  found: z.boolean(),
  settings: z.object({
    mode: z.enum(["yolo", "interactive"]),
    enabled: z.boolean(),
    planLevel: z.nullable(z.boolean()),
    maxConcurrent: z.int().check(z.positive()),
    maxConcurrentFrom: z.enum(["async.max_concurrent", "parallelization.max_concurrent_agents", "default"]),
    skipCheckpoints: z.boolean(),
  }),
  diagnostics: z.array(DiagnosticJson),
});
export type ParallelConfigJsonType = z.infer<typeof ParallelConfigJson>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function parallelConfigView(settings: Settings, file: string, found: boolean, diagnostics: readonly Diagnostic[]): ParallelConfigJsonType {
  const raw = settings.raw;
  const par = isRecord(raw.parallelization) ? raw.parallelization : undefined;
  const own = isRecord(raw.async) ? raw.async.max_concurrent : undefined;
  const from =
    own === settings.maxConcurrent
      ? "async.max_concurrent"
      : par?.max_concurrent_agents === settings.maxConcurrent
        ? "parallelization.max_concurrent_agents"
        : "default";
  return ParallelConfigJson.parse({
    schemaVersion: JSON_SCHEMA_VERSION,
    command: "parallel-config",
    file,
    found,
    settings: {
      mode: settings.mode,
      enabled: settings.parallel,
      planLevel: typeof par?.plan_level === "boolean" ? par.plan_level : null,
      maxConcurrent: settings.maxConcurrent,
      maxConcurrentFrom: from,
      skipCheckpoints: settings.skipCheckpoints,
    },
    diagnostics: [...diagnostics],
  });
}
