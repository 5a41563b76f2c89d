import * as z from "zod/mini";
import { JSON_SCHEMA_VERSION } from "./analysis-json";

/** `gsd-async commit --json`. */
export const CommitJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("commit"),
  outcome: z.enum(["committed", "refused", "hook-failed"]),
  plan: z.string(),
  sha: z.nullable(z.string()),
  branch: z.nullable(z.string()),
  paths: z.array(z.string()),
  /** Whether the commit was recorded on the plan's entry in agent-history.json. */
  recorded: z.boolean(),
  problems: z.array(z.string()),
  /** Other agents' files a hook reset to HEAD while it ran; written back from `savedBlob`, saved before the hooks. */
  revertedByHook: z.array(z.object({ path: z.string(), savedBlob: z.string() })),
  output: z.string(),
});
export type CommitJsonType = z.infer<typeof CommitJson>;

/** `gsd-async worktree --json`: the plan's worktree, made or found. */
export const WorktreeJson = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  command: z.literal("worktree"),
  plan: z.string(),
  /** The project inside the worktree: where the agent works. */
  project: z.string(),
  branch: z.string(),
  /** The commit the plan's branch starts from on the integration branch. */
  base: z.string(),
});
