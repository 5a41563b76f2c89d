import * as z from "zod/mini";
import { AuditJson } from "./audit-json";
import { DiagnosticJson, JSON_SCHEMA_VERSION, PhaseJson } from "./analysis-json";
import { EntrySchema, RunSchema } from "../core/queue/history-schema";
import { PLAN_STATES } from "../core/queue/status-view";
import { LIMIT_KINDS } from "../core/queue/limit-kind";
import { ENGINES } from "../core/workflow/engine";

/**
 * The documented `--json` shapes of `check`, `graph`, `start`, `status`, `simulate`, `spawned`,
 * `complete` and `fail` (the README lists them). Output is parsed with these before it is
 * printed, so a field cannot appear, vanish or change type without a change here.
 */
const version = z.literal(JSON_SCHEMA_VERSION);
const nonNegInt = z.int().check(z.nonnegative());
const minutes = z.number().check(z.nonnegative());

export const CheckJson = z.object({
  schemaVersion: version,
  command: z.literal("check"),
  phase: PhaseJson,
  strict: z.boolean(),
  ok: z.boolean(),
  problems: z.array(DiagnosticJson),
  diagnostics: z.array(DiagnosticJson),
  /** With `--audit`. */
  audit: z.optional(AuditJson),
});

export const GraphJson = z.object({
  schemaVersion: version,
  command: z.literal("graph"),
  phase: PhaseJson,
  nodes: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      status: z.enum(["complete", "pending", "checkpoint", "external-complete", "external-pending"]),
      wave: z.optional(z.int()),
      external: z.boolean(),
    }),
  ),
  edges: z.array(z.object({ from: z.string(), to: z.string(), reasons: z.array(z.string()), implied: z.boolean(), external: z.boolean() })),
});

const AgentInputJson = z.object({ description: z.string(), prompt: z.string(), subagent_type: z.string(), run_in_background: z.literal(true) });
const SpawnJson = z.object({
  plan: z.string(),
  planFile: z.string(),
  runId: z.string(),
  attempt: z.int().check(z.positive()),
  key: z.string(),
  agentInput: AgentInputJson,
});
const ChangeJson = z.object({ plan: z.string(), transition: z.string(), reason: z.string() });

export const StartRefusedJson = z.object({
  schemaVersion: version,
  command: z.literal("start"),
  phase: PhaseJson,
  refused: z.literal(true),
  reasons: z.array(z.string()),
  diagnostics: z.array(DiagnosticJson),
});

/** The Workflow call of a workflow run: the plugin's script by name, and its args (lib/core/workflow/workflow-args.ts). */
const WorkflowItemJson = z.object({
  tool: z.literal("Workflow"),
  input: z.object({
    name: z.string(),
    args: z.object({
      run: z.string(),
      launch: z.string(),
      phase: z.string(),
      cap: z.int().check(z.positive()),
      order: z.array(z.string()),
      complete: z.array(z.string()),
      plans: z.array(z.object({ id: z.string(), label: z.string(), prompt: z.string(), agentType: z.optional(z.string()), after: z.array(z.string()) })),
    }),
  }),
});

export const StartJson = z.object({
  schemaVersion: version,
  command: z.literal("start"),
  dryRun: z.boolean(),
  mode: z.enum(["yolo", "interactive"]),
  phase: PhaseJson,
  run: z.nullable(RunSchema),
  spawn: z.array(SpawnJson),
  workflow: z.optional(WorkflowItemJson),
  queued: z.array(z.object({ id: z.string(), waitsFor: z.array(z.string()), position: z.nullable(z.int()) })),
  needsForeground: z.array(z.string()),
  blocked: z.array(z.object({ id: z.string(), blockedBy: z.array(z.string()) })),
  budgetNote: z.nullable(z.string()),
  diagnostics: z.array(DiagnosticJson),
});

const PlanStatusJson = z.object({
  id: z.string(),
  file: z.string(),
  state: z.enum(PLAN_STATES),
  agentId: z.nullable(z.string()),
  outputFile: z.nullable(z.string()),
  attempt: z.nullable(z.int()),
  waitsFor: z.array(z.string()),
  blockedBy: z.array(z.string()),
  queuePosition: z.nullable(z.int()),
  needsPerson: z.boolean(),
  handedOutAt: z.nullable(z.string()),
  startedAt: z.nullable(z.string()),
  finishedAt: z.nullable(z.string()),
  minutes: z.nullable(minutes),
  error: z.nullable(z.string()),
  limit: z.nullable(z.object({ kind: z.enum(LIMIT_KINDS), message: z.string(), at: z.string(), retryAt: z.string() })),
  stalledMinutes: z.nullable(minutes),
  worktree: z.optional(z.string()),
});

const ConcurrencyJson = z.nullable(z.object({ cap: z.int().check(z.positive()), effective: z.int().check(z.positive()), reason: z.nullable(z.string()) }));
const ResumeJson = z.optional(z.object({ at: z.string(), inSeconds: nonNegInt, reason: z.string() }));

/** A stalled agent the orchestrator ends: `tool` called with `input` (its plan was already retried). */
const StopJson = z.object({ plan: z.string(), agentId: z.string(), tool: z.literal("TaskStop"), input: z.object({ task_id: z.string() }) });

export const StatusJson = z.object({
  schemaVersion: version,
  command: z.literal("status"),
  mode: z.enum(["yolo", "interactive"]),
  phase: PhaseJson,
  run: z.nullable(RunSchema),
  progress: z.object({ done: nonNegInt, total: nonNegInt, percent: z.number().check(z.gte(0), z.lte(100)) }),
  plans: z.array(PlanStatusJson),
  spawn: z.array(SpawnJson),
  needsForeground: z.array(z.string()),
  changes: z.array(ChangeJson),
  stop: z.array(StopJson),
  outcome: z.enum(["done", "in-progress", "stopped", "idle"]),
  budgetNote: z.optional(z.string()),
  concurrency: ConcurrencyJson,
  resume: ResumeJson,
  agents: z.nullable(z.object({ subagentType: z.string(), instructions: z.enum(["agent-definition", "file", "prompt"]), file: z.nullable(z.string()) })),
  /** Other phases with a run in progress (status follows one phase at a time). */
  otherRuns: z.array(z.object({ phaseDir: z.string(), runId: z.string(), completed: nonNegInt, running: nonNegInt, total: nonNegInt })),
});

export const AgentStatusJson = z.object({ schemaVersion: version, command: z.literal("status"), agent: PlanStatusJson });

export const SimulateJson = z.object({
  schemaVersion: version,
  command: z.literal("simulate"),
  phase: PhaseJson,
  maxConcurrent: z.int().check(z.positive()),
  makespan: z.object({ sequential: minutes, waveBarrier: minutes, scheduler: minutes, lowerBound: minutes }),
  criticalPath: minutes,
  totalWork: minutes,
  plans: z.array(
    z.object({
      id: z.string(),
      durationMinutes: minutes,
      source: z.enum(["summary", "estimate"]),
      /** `superseded` plans are left out of the replay; `halted` ones are replayed as work still to do. */
      outcome: z.enum(["complete", "pending", "halted", "superseded"]),
    }),
  ),
  timeline: z.array(z.object({ id: z.string(), start: minutes, end: minutes, lane: nonNegInt })),
});

export const RecordJson = z.object({
  schemaVersion: version,
  command: z.enum(["spawned", "complete", "fail"]),
  entry: EntrySchema,
  warning: z.nullable(z.string()),
});

/** Validates `value` against `schema` and renders it; a mismatch is a bug, so it throws. */
export function jsonOutput<T>(schema: { parse(v: unknown): T }, value: unknown): string {
  return JSON.stringify(schema.parse(value), null, 2) + "\n";
}

export const RepairJson = z.object({
  schemaVersion: version,
  command: z.literal("repair"),
  repaired: z.boolean(),
  reason: z.optional(z.enum(["missing", "valid"])),
  backup: z.optional(z.string()),
  kept: z.optional(nonNegInt),
  dropped: z.optional(z.array(z.object({ index: z.int(), reason: z.string() }))),
  /** The token ledger's repair: moved aside when broken (it is not rebuilt: its sums cannot be partly trusted). */
  ledger: z.optional(
    z.object({
      file: z.string(),
      repaired: z.boolean(),
      reason: z.optional(z.enum(["missing", "valid"])),
      backup: z.optional(z.string()),
      kept: z.optional(nonNegInt),
      dropped: z.optional(z.array(z.object({ index: z.int(), reason: z.string() }))),
    }),
  ),
});

export const InstallJson = z.object({
  schemaVersion: version,
  command: z.literal("install"),
  target: z.string(),
  files: z.array(z.string()),
  hooks: z.array(z.string()),
});

export const UninstallJson = z.object({
  schemaVersion: version,
  command: z.literal("uninstall"),
  target: z.string(),
  removed: nonNegInt,
  kept: z.array(z.string()),
  /** Hook entries changed since install, out of which gsd-async's command was taken. */
  hooksChanged: z.array(z.string()),
  /** Hook commands left in settings.json that still name the removed helper. */
  hooksLeft: z.array(z.string()),
});

export const CancelJson = z.object({
  schemaVersion: version,
  command: z.literal("cancel"),
  phase: PhaseJson,
  runId: z.string(),
  cancelled: z.array(z.string()),
  stillRunning: z.array(z.object({ plan: z.string(), agentId: z.nullable(z.string()) })),
});

const BriefSpawnJson = z.object({ plan: z.string(), key: z.string(), agentInput: AgentInputJson });
const Counts = z.optional(z.int().check(z.positive()));

/** `start --brief` / `status --brief`: what the orchestrating model reads (see lib/core/queue/brief-view.ts). */
export const BriefJson = z.object({
  schemaVersion: version,
  command: z.enum(["start", "status"]),
  dryRun: z.optional(z.literal(true)),
  mode: z.enum(["yolo", "interactive"]),
  outcome: z.enum(["done", "in-progress", "stopped", "idle"]),
  phase: z.string(),
  run: z.nullable(z.string()),
  engine: z.enum(ENGINES),
  cap: z.nullable(z.int().check(z.positive())),
  concurrency: ConcurrencyJson,
  resume: ResumeJson,
  progress: z.object({ done: nonNegInt, total: nonNegInt }),
  spawn: z.array(BriefSpawnJson),
  workflow: z.optional(WorkflowItemJson),
  running: z.array(z.string()),
  stalled: z.array(z.object({ id: z.string(), minutes: minutes })),
  stop: z.array(z.object({ plan: z.string(), tool: z.literal("TaskStop"), input: z.object({ task_id: z.string() }) })),
  waiting: z.array(z.object({ id: z.string(), waitsFor: z.array(z.string()) })),
  problems: z.array(z.object({ id: z.string(), state: z.string(), error: z.nullable(z.string()), blockedBy: z.array(z.string()) })),
  needsPerson: z.array(z.string()),
  more: z.optional(z.object({ running: Counts, waiting: Counts, problems: Counts, needsPerson: Counts })),
  note: z.optional(z.string()),
  /** `status --wait` on a Claude Code that wakes up: the ScheduleWakeup input to pass, field for field. */
  wakeUp: z.optional(z.object({ delaySeconds: z.int().check(z.positive()), reason: z.string(), prompt: z.string() })),
  next: z.string(),
});

export const BriefRefusedJson = z.object({
  schemaVersion: version,
  command: z.literal("start"),
  refused: z.literal(true),
  phase: z.string(),
  reasons: z.array(z.string()),
  next: z.string(),
});

/** One line, for the model: no indentation to pay for. */
export function briefOutput<T>(schema: { parse(v: unknown): T }, value: unknown): string {
  return JSON.stringify(schema.parse(value)) + "\n";
}
