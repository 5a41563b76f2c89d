import * as z from "zod/mini";
import { JSON_SCHEMA_VERSION, PhaseJson } from "./analysis-json";

/** `export github-actions --json`: what was (or, with --dry-run, would be) written, and the job graph. */
export const ExportJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("export github-actions"),
  dryRun: z.boolean(),
  phase: PhaseJson,
  repository: z.string(),
  workflow: z.string(),
  files: z.array(z.object({ path: z.string(), state: z.enum(["new", "unchanged", "replaced"]) })),
  maxConcurrent: z.int(),
  lanes: z.int(),
  runsOn: z.string(),
  secret: z.string(),
  jobs: z.array(
    z.object({
      plan: z.string(),
      job: z.string(),
      lane: z.int(),
      needs: z.array(z.string()),
      after: z.nullable(z.string()),
      gates: z.array(z.string()),
    }),
  ),
  leftOut: z.object({ checkpoints: z.array(z.string()), complete: z.array(z.string()) }),
});

/** `export github-actions --json` when nothing was written: why. */
export const ExportRefusedJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("export github-actions"),
  phase: PhaseJson,
  refused: z.literal(true),
  reasons: z.array(z.string()),
  changedByHand: z.array(z.string()),
});
