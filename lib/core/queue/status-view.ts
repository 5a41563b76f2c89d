import type { PhaseAnalysis } from "../graph/analysis";
import type { HistoryEntry, RunRecord } from "./history-schema";
import type { QueueChange, QueueStep } from "./queue";
import type { SpawnInstruction } from "./spawn";

/** What `status` shows for one plan. `state` merges the run's status with SUMMARY files. */
export interface PlanStatusView {
  id: string;
  file: string;
  state: "completed" | "running" | "starting" | "queued" | "waiting" | "blocked" | "failed" | "interrupted" | "cancelled" | "needs-person" | "not-started";
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
 * - `stopped`: nothing can move without the user (failures, blocked plans, checkpoints).
 * - `idle`: no run has been started for this phase.
 */
export type Outcome = "done" | "in-progress" | "stopped" | "idle";

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

const at = (e: HistoryEntry, to: string) => [...e.transitions].reverse().find((t) => t.to === to)?.at ?? null;

export function statusView(analysis: PhaseAnalysis, step: QueueStep, now: string): StatusView {
  const byFile = new Map(step.entries.map((e) => [e.plan_file, e]));
  const s = step.schedule;
  const waiting = new Map(s.waiting.map((w) => [w.id, w]));
  const blocked = new Map(s.blocked.map((b) => [b.id, b.blockedBy]));
  const starting = new Set(s.start);
  const foreground = new Set(s.needsForeground);
  const plans = analysis.plans.map((p): PlanStatusView => {
    const e = byFile.get(p.file);
    const w = waiting.get(p.id);
    let state: PlanStatusView["state"];
    if (p.status === "complete" || e?.status === "completed") state = "completed";
    else if (e?.status === "spawned") state = "running";
    else if (e?.status === "failed" || e?.status === "interrupted" || e?.status === "cancelled") state = e.status;
    else if (blocked.has(p.id) || e?.status === "blocked") state = "blocked";
    else if (foreground.has(p.id)) state = "needs-person";
    else if (!e) state = "not-started";
    else if (starting.has(p.id) || e.dispatched_at !== null) state = "starting";
    else if (w && w.waitsFor.length > 0) state = "waiting";
    else state = "queued";
    const startedAt = e ? at(e, "spawned") : null;
    const finishedAt = e?.completion_timestamp ?? null;
    const end = finishedAt ?? (state === "running" ? now : null);
    return {
      id: p.id,
      file: p.file,
      state,
      agentId: e?.agent_id ?? null,
      outputFile: e?.output_file ?? null,
      attempt: e?.attempt ?? null,
      waitsFor: w?.waitsFor ?? [],
      blockedBy: blocked.get(p.id) ?? e?.blocked_by ?? [],
      queuePosition: w?.position ?? null,
      needsPerson: !p.autonomous && !(step.run?.include_checkpoints ?? false),
      handedOutAt: e?.status === "queued" ? e.dispatched_at : null,
      startedAt,
      finishedAt,
      minutes: startedAt && end ? Math.max(0, Math.round((Date.parse(end) - Date.parse(startedAt)) / 6000) / 10) : null,
      error: e?.error ?? null,
    };
  });
  const done = plans.filter((p) => p.state === "completed").length;
  const total = plans.length;
  const moving = plans.some(
    (p) =>
      p.state === "running" ||
      p.state === "starting" ||
      p.state === "queued" ||
      (p.state === "waiting" && !p.waitsFor.every((d) => plans.find((q) => q.id === d)?.state === "needs-person")),
  );
  const outcome: Outcome = done === total ? "done" : !step.run ? "idle" : moving ? "in-progress" : "stopped";
  const view: StatusView = {
    phase: analysis.phase,
    run: step.run ?? null,
    progress: { done, total, percent: total === 0 ? 100 : Math.round((done / total) * 100) },
    plans,
    spawn: step.spawn,
    needsForeground: s.needsForeground,
    changes: step.changes,
    outcome,
  };
  if (s.budgetNote !== undefined) view.budgetNote = s.budgetNote;
  return view;
}
