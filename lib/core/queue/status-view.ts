import { unreachable } from "../common/unreachable";
import type { AnalyzedPlan, PhaseAnalysis } from "../graph/analysis";
import type { Schedule } from "../schedule/scheduler";
import type { HistoryEntry, RunRecord } from "./history-schema";
import type { SpawnInstruction } from "./spawn";

/** What `status` shows for one plan, derived from its stored status, its SUMMARY.md and the schedule. */
export const PLAN_STATES = [
  "completed",
  "running",
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
  outcome: Outcome;
  budgetNote?: string;
}

const lastAt = (e: HistoryEntry, to: string) => [...e.transitions].reverse().find((t) => t.to === to)?.at ?? null;

interface Seen {
  waiting: ReadonlyMap<string, { waitsFor: string[] }>;
  blocked: ReadonlyMap<string, string[]>;
  foreground: ReadonlySet<string>;
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
      return "running";
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
}

export function statusView(i: ViewInput): StatusView {
  const byFile = new Map(i.entries.map((e) => [e.plan_file, e]));
  const s = i.schedule;
  const seen: Seen = {
    waiting: new Map(s.waiting.map((w) => [w.id, w])),
    blocked: new Map(s.blocked.map((b) => [b.id, b.blockedBy])),
    foreground: new Set(s.needsForeground),
  };
  const positions = new Map(s.waiting.map((w) => [w.id, w.position]));
  const plans = i.analysis.plans.map((p): PlanStatusView => {
    const e = byFile.get(p.file);
    const state = planState(p, e, seen);
    const startedAt = e ? lastAt(e, "spawned") : null;
    const finishedAt = e?.completion_timestamp ?? null;
    const end = finishedAt ?? (state === "running" ? i.now : null);
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
    };
  });
  const done = plans.filter((p) => p.state === "completed" || p.state === "superseded").length;
  const total = plans.length;
  const byId = new Map(plans.map((p) => [p.id, p]));
  const moving = plans.some(
    (p) =>
      p.state === "running" ||
      p.state === "starting" ||
      p.state === "queued" ||
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
    outcome,
  };
  if (s.budgetNote !== undefined) view.budgetNote = s.budgetNote;
  return view;
}
