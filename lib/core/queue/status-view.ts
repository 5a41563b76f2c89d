import { unreachable } from "../common/unreachable";
import type { AnalyzedPlan, PhaseAnalysis } from "../graph/analysis";
import type { Schedule } from "../schedule/scheduler";
import type { HistoryEntry, RunRecord } from "./history-schema";
import type { SpawnInstruction } from "./spawn";
import type { AgentKind } from "./queue-event";
import { LIMIT_WORDS, type LimitKind, waitsOnLimit } from "./limit-kind";
import { effectiveCap } from "../schedule/concurrency-backoff";
import type { WorkflowItem } from "../workflow/engine";

/** What `status` shows for one plan, derived from its stored status, its SUMMARY.md and the schedule. */
export const PLAN_STATES = [
  "completed",
  "running",
  /** Its agent counts as alive but its output has not moved for `parallelization.stall_minutes`. */
  "stalled",
  "starting",
  "queued",
  "waiting",
  "blocked",
  "failed",
  "interrupted",
  "cancelled",
  "needs-person",
  "not-started",
  /** Its SUMMARY.md says `status: halted`: not done, its dependents are blocked, a person decides. */
  "halted",
  /** Its SUMMARY.md says `status: superseded`: retired, counts as done, blocks nothing. */
  "superseded",
  /** Its last attempt met a rate, overload or usage limit: queued again, handed out from `limit.retryAt`. */
  "limited",
] as const;
export type PlanState = (typeof PLAN_STATES)[number];

export interface PlanStatusView {
  id: string;
  file: string;
  state: PlanState;
  agentId: string | null;
  outputFile: string | null;
  attempt: number | null;
  waitsFor: string[];
  blockedBy: string[];
  queuePosition: number | null;
  /** Has checkpoints and checkpoints are not run in the background: it will need the foreground. */
  needsPerson: boolean;
  /** When its spawn instruction was handed out, while no agent has been recorded for it. */
  handedOutAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Minutes from spawn to finish (or to now while running). */
  minutes: number | null;
  error: string | null;
  /** What limited its last attempt, while it waits to be tried again. */
  limit: { kind: LimitKind; message: string; at: string; retryAt: string } | null;
  /** Minutes its agent has shown nothing, while it is stalled. */
  stalledMinutes: number | null;
  /** Worktree mode: the kept worktree of a plan whose merge failed (a conflict, or uncommitted changes), for a person. */
  worktree?: string;
}

/** An agent the orchestrator should end (it stalled; its plan was already retried as a new attempt). */
export interface StopInstruction {
  plan: string;
  agentId: string;
  tool: "TaskStop";
  input: { task_id: string };
}

/**
 * - `done`: every plan is complete.
 * - `in-progress`: something runs, starts, or waits for something that runs.
 * - `stopped`: nothing can move without the user (failures, blocked plans, checkpoints, the budget).
 * - `idle`: no run has been started for this phase.
 */
export type Outcome = "done" | "in-progress" | "stopped" | "idle";

export interface QueueChange {
  plan: string;
  transition: string;
  reason: string;
}

export interface StatusView {
  phase: PhaseAnalysis["phase"];
  run: RunRecord | null;
  progress: { done: number; total: number; percent: number };
  plans: PlanStatusView[];
  spawn: SpawnInstruction[];
  needsForeground: string[];
  changes: QueueChange[];
  /** Stalled agents to end with TaskStop. */
  stop: StopInstruction[];
  outcome: Outcome;
  budgetNote?: string;
  /** The run's cap: configured, in force after limits, and why they differ. */
  concurrency: { cap: number; effective: number; reason: string | null } | null;
  /** Every remaining plan waits on a limit: when to look again (the earliest retry time). */
  resume?: { at: string; inSeconds: number; reason: string };
  /** What the run's agents are started as, and where their fixed instructions come from. */
  agents: AgentsView | null;
  /** Engine `workflow`, on `start`: the one Workflow call that runs every plan left. */
  workflow?: WorkflowItem;
}

/**
 * `agent-definition`: a plugin agent type whose definition holds the instructions; `file`: a
 * general-purpose agent told to read the plugin's agent file; `prompt`: everything in the prompt.
 */
export interface AgentsView {
  subagentType: string;
  instructions: "agent-definition" | "file" | "prompt";
  file: string | null;
}

export function agentsView(a: AgentKind): AgentsView {
  switch (a.kind) {
    case "plugin-agent":
      return { subagentType: a.subagentType, instructions: "agent-definition", file: null };
    case "general-purpose":
      return a.instructionsFile !== null
        ? { subagentType: "general-purpose", instructions: "file", file: a.instructionsFile }
        : { subagentType: "general-purpose", instructions: "prompt", file: null };
    default:
      return unreachable(a);
  }
}

const lastAt = (e: HistoryEntry, to: string) => [...e.transitions].reverse().find((t) => t.to === to)?.at ?? null;

interface Seen {
  waiting: ReadonlyMap<string, { waitsFor: string[] }>;
  blocked: ReadonlyMap<string, string[]>;
  foreground: ReadonlySet<string>;
  now: string;
  stalled?: ReadonlyMap<string, number>;
}

/** The view state of one plan: the stored status decides, then the SUMMARY.md, then the schedule. */
export function planState(p: AnalyzedPlan, e: HistoryEntry | undefined, seen: Seen): PlanState {
  if (e === undefined) {
    if (p.status === "complete") return "completed";
    if (p.status === "halted" || p.status === "superseded") return p.status;
    if (seen.foreground.has(p.id)) return "needs-person";
    return "not-started";
  }
  switch (e.status) {
    case "completed":
      return "completed";
    case "spawned":
      return seen.stalled?.has(p.id) === true ? "stalled" : "running";
    case "dispatched":
      return p.status === "complete" ? "completed" : p.status === "superseded" ? "superseded" : "starting";
    case "failed":
    case "interrupted":
    case "cancelled":
      return e.status;
    case "blocked":
      return "blocked";
    case "queued":
      if (p.status === "complete") return "completed";
      if (p.status === "superseded") return "superseded";
      if (seen.blocked.has(p.id)) return "blocked";
      if (seen.foreground.has(p.id)) return "needs-person";
      if (waitsOnLimit(e, seen.now)) return "limited";
      return (seen.waiting.get(p.id)?.waitsFor.length ?? 0) > 0 ? "waiting" : "queued";
    default:
      return unreachable(e.status);
  }
}

export interface ViewInput {
  analysis: PhaseAnalysis;
  run: RunRecord | undefined;
  /** The run's latest attempt of each plan. */
  entries: readonly HistoryEntry[];
  schedule: Schedule;
  spawn: SpawnInstruction[];
  changes: QueueChange[];
  now: string;
  /** Minutes of silence of stalled agents, by plan id. */
  stalled?: ReadonlyMap<string, number>;
  stop?: StopInstruction[];
  /** The agent kind hand-outs use; absent where nothing is handed out. */
  agent?: AgentKind;
}

export function statusView(i: ViewInput): StatusView {
  const byFile = new Map(i.entries.map((e) => [e.plan_file, e]));
  const s = i.schedule;
  const seen: Seen = {
    waiting: new Map(s.waiting.map((w) => [w.id, w])),
    blocked: new Map(s.blocked.map((b) => [b.id, b.blockedBy])),
    foreground: new Set(s.needsForeground),
    now: i.now,
    stalled: i.stalled ?? new Map(),
  };
  const positions = new Map(s.waiting.map((w) => [w.id, w.position]));
  const plans = i.analysis.plans.map((p): PlanStatusView => {
    const e = byFile.get(p.file);
    const state = planState(p, e, seen);
    const startedAt = e ? lastAt(e, "spawned") : null;
    const finishedAt = e?.completion_timestamp ?? null;
    const end = finishedAt ?? (state === "running" || state === "stalled" ? i.now : null);
    return {
      id: p.id,
      file: p.file,
      state,
      agentId: e?.agent_id ?? null,
      outputFile: e?.output_file ?? null,
      attempt: e?.attempt ?? null,
      waitsFor: seen.waiting.get(p.id)?.waitsFor ?? [],
      blockedBy: seen.blocked.get(p.id) ?? e?.blocked_by ?? [],
      queuePosition: positions.get(p.id) ?? null,
      needsPerson: !p.autonomous && !(i.run?.include_checkpoints ?? false),
      handedOutAt: e?.status === "dispatched" ? e.dispatched_at : null,
      startedAt,
      finishedAt,
      minutes: startedAt && end ? Math.max(0, Math.round((Date.parse(end) - Date.parse(startedAt)) / 6000) / 10) : null,
      error: e?.error ?? null,
      limit: state === "limited" && e?.limited ? { kind: e.limited.kind, message: e.limited.message, at: e.limited.at, retryAt: e.limited.retry_at } : null,
      stalledMinutes: state === "stalled" ? Math.round((seen.stalled?.get(p.id) ?? 0) * 10) / 10 : null,
      ...keptWorktree(e, i.run),
    };
  });
  const done = plans.filter((p) => p.state === "completed" || p.state === "superseded").length;
  const total = plans.length;
  const byId = new Map(plans.map((p) => [p.id, p]));
  const moving = plans.some(
    (p) =>
      p.state === "running" ||
      p.state === "stalled" ||
      p.state === "starting" ||
      p.state === "queued" ||
      p.state === "limited" ||
      (p.state === "waiting" && !p.waitsFor.every((d) => byId.get(d)?.state === "needs-person")),
  );
  const outcome: Outcome = done === total ? "done" : !i.run ? "idle" : moving ? "in-progress" : "stopped";
  const view: StatusView = {
    phase: i.analysis.phase,
    run: i.run ?? null,
    progress: { done, total, percent: total === 0 ? 100 : Math.round((done / total) * 100) },
    plans,
    spawn: i.spawn,
    needsForeground: s.needsForeground,
    changes: i.changes,
    stop: i.stop ?? [],
    outcome,
    agents: i.agent ? agentsView(i.agent) : null,
    concurrency: concurrencyOf(i.run),
  };
  if (s.budgetNote !== undefined) view.budgetNote = s.budgetNote;
  const resume = resumeAfterLimits(plans, i.spawn.length, i.now);
  if (resume) view.resume = resume;
  return view;
}

function concurrencyOf(run: RunRecord | undefined): StatusView["concurrency"] {
  if (!run) return null;
  return { cap: run.max_concurrent, effective: effectiveCap(run.throttle, run.max_concurrent), reason: run.throttle?.reason ?? null };
}

/** Nothing runs, starts or can start, and some plan waits on a limit: the run rests until the earliest retry time. */
function resumeAfterLimits(plans: readonly PlanStatusView[], spawned: number, now: string): StatusView["resume"] {
  if (spawned > 0 || plans.some((p) => p.state === "running" || p.state === "stalled" || p.state === "starting" || p.state === "queued")) return undefined;
  const limited = plans.filter((p) => p.limit !== null);
  if (limited.length === 0) return undefined;
  const first = limited.reduce((a, b) => (Date.parse(b.limit?.retryAt ?? "") < Date.parse(a.limit?.retryAt ?? "") ? b : a));
  const at = first.limit?.retryAt ?? now;
  const kinds = [...new Set(limited.map((p) => (p.limit ? LIMIT_WORDS[p.limit.kind] : "")))].join(", ");
  return {
    at,
    inSeconds: Math.max(0, Math.ceil((Date.parse(at) - Date.parse(now)) / 1000)),
    reason: `${limited.length} plan(s) wait on a ${kinds}: ${limited.map((p) => p.id).join(", ")}`,
  };
}

/** The absolute path of a failed merge's kept worktree (recorded on the entry repository-relative). */
function keptWorktree(e: HistoryEntry | undefined, run: RunRecord | undefined): { worktree?: string } {
  if (e?.status !== "failed" || run?.repo_top === undefined) return {};
  const x = e as Record<string, unknown>;
  const kept = (x.merge_conflict ?? x.uncommitted) as { worktree?: unknown } | undefined;
  return typeof kept?.worktree === "string" ? { worktree: `${run.repo_top.replace(/\/+$/, "")}/${kept.worktree}` } : {};
}
