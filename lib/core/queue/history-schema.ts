import * as z from "zod/mini";
import { LIMIT_KINDS } from "./limit-kind";
import { RUN_STATUSES } from "./run-status";
import { ISOLATIONS } from "../repo/isolation";
import { ENGINES } from "../workflow/engine";

/**
 * `.planning/agent-history.json`, version 2.1 (2.0 and the seed's 1.0 are migrated on read). The seed's field names (`agent_id`,
 * `task_description`, `phase`, `plan`, `segment`, `timestamp`, `status`, `completion_timestamp`,
 * `execution_mode`, `output_file`, `background_status`, `queue_position`) are kept so existing
 * GSD tooling still reads the file; the rest is what a real queue needs. Unknown fields are kept.
 */
export const HISTORY_VERSION = "2.1";
export const DEFAULT_MAX_ENTRIES = 50;

const isoTime = z.string().check(z.minLength(10));
const status = z.enum(RUN_STATUSES);

export const TransitionRecord = z.object({
  to: status,
  at: isoTime,
  via: z.string(),
});

/** A process as it can be recognised again later: pid plus start time, so a reused pid is not mistaken for it. */
export const ProcessRecord = z.object({ pid: z.int().check(z.positive()), start: z.nullable(z.string()), host: z.string() });

export const EntrySchema = z.looseObject({
  agent_id: z.nullable(z.string()),
  task_description: z.string(),
  phase: z.string(),
  plan: z.string(),
  segment: z.nullable(z.number()),
  timestamp: isoTime,
  status,
  completion_timestamp: z.nullable(isoTime),
  execution_mode: z.enum(["background", "foreground"]),
  output_file: z.nullable(z.string()),
  background_status: z.enum(["queued", "running", "completed", "failed", "interrupted", "blocked", "cancelled"]),
  queue_position: z.nullable(z.int().check(z.positive())),
  plan_file: z.nullable(z.string()),
  phase_dir: z.nullable(z.string()),
  depends_on: z.array(z.string()),
  run_id: z.string(),
  attempt: z.int().check(z.positive()),
  session_id: z.nullable(z.string()),
  error: z.nullable(z.string()),
  /** While `dispatched`: when its spawn instruction was last handed out (the lease). */
  dispatched_at: z.nullable(isoTime),
  /** The Claude Code session the spawn instruction was handed to, when known. */
  dispatched_session: z.optional(z.nullable(z.string())),
  /** The Claude Code process the agent runs in (agents live inside it): liveness evidence. */
  agent_process: z.optional(z.nullable(ProcessRecord)),
  blocked_by: z.array(z.string()),
  /**
   * Its SUMMARY.md already existed when its agent reported the failure (written, then the tests
   * failed): that summary is no proof of completion, so only an explicit `complete` completes it.
   */
  summary_at_failure: z.optional(z.boolean()),
  /** Claimed by a Workflow run (engine `workflow`): the `launch` of its args. No agent of the queue starts it meanwhile. */
  workflow_launch: z.optional(z.nullable(isoTime)),
  /** While `queued` after a limit: what limited its last attempt and when it may be tried again. */
  limited: z.optional(z.nullable(z.object({ kind: z.enum(LIMIT_KINDS), at: isoTime, message: z.string(), retry_at: isoTime }))),
  transitions: z.array(TransitionRecord),
});

export const RunSchema = z.looseObject({
  run_id: z.string(),
  phase_dir: z.string(),
  started_at: isoTime,
  max_concurrent: z.int().check(z.positive()),
  strategy: z.enum(["critical-path", "fifo"]),
  include_checkpoints: z.boolean(),
  session_id: z.nullable(z.string()),
  /** Plan files of a single-plan run (`/gsd:execute-async`); absent for a whole phase. */
  scope: z.optional(z.array(z.string())),
  /** A plugin hook reported on this run: hand-outs not acted on can be offered again at once (the hooks refuse a second agent). */
  hooks_seen: z.optional(z.boolean()),
  /** The plugin's agent type the run's agents are started as (`subagent_type`); absent: general-purpose. */
  agent_type: z.optional(z.string()),
  /** How the run's plans are run (see lib/core/workflow/engine.ts); absent: agents. */
  engine: z.optional(z.enum(ENGINES)),
  /** The cap in force after limits (see concurrency-backoff.ts); absent: the configured cap. */
  throttle: z.optional(z.object({ effective: z.int().check(z.positive()), clean: z.int(), limitsInARow: z.int(), reason: z.nullable(z.string()) })),
  /** How the run's agents share the repository; absent: shared (runs from before worktree mode). */
  isolation: z.optional(z.enum(ISOLATIONS)),
  /** Worktree mode: the repository's top directory, under which `.gsd-worktrees/` holds the plans' worktrees. */
  repo_top: z.optional(z.string()),
});

export const HistorySchema = z.looseObject({
  version: z.literal(HISTORY_VERSION),
  max_entries: z.int().check(z.positive()),
  entries: z.array(EntrySchema),
  runs: z.array(RunSchema),
});

export type HistoryEntry = z.infer<typeof EntrySchema>;
export type RunRecord = z.infer<typeof RunSchema>;
export type History = z.infer<typeof HistorySchema>;
export type ProcessInfo = z.infer<typeof ProcessRecord>;

export function emptyHistory(maxEntries = DEFAULT_MAX_ENTRIES): History {
  return { version: HISTORY_VERSION, max_entries: maxEntries, entries: [], runs: [] };
}
