import { compareText } from "../common/compare-text";
import type { History, HistoryEntry, RunRecord } from "./history-schema";
import { IllegalTransition, type Transition, backgroundStatusOf, isFinished, nextStatus } from "./run-status";

/**
 * Applies a named transition; anything the table does not allow is an IllegalTransition.
 * Fields that only mean something in one status are cleared on the way out of it, so no stale
 * lease, agent or block reason can outlive the status it belonged to.
 */
export function transition(entry: HistoryEntry, t: Transition, at: string, patch: Partial<HistoryEntry> = {}): HistoryEntry {
  const to = nextStatus(entry.status, t);
  if (to === undefined) throw new IllegalTransition(entry.plan, entry.status, t);
  const next: HistoryEntry = { ...entry, ...patch, status: to, transitions: [...entry.transitions, { to, at, via: t }] };
  next.background_status = backgroundStatusOf(to);
  next.completion_timestamp = isFinished(to) ? at : null;
  if (t === "retry") {
    next.attempt = entry.attempt + 1;
    next.error = null;
    next.agent_id = null;
    next.output_file = null;
    next.agent_process = null;
  }
  if (t === "limit") {
    // The same entry becomes the next attempt: the limited agent's late hooks (attempt N) no longer match.
    next.attempt = entry.attempt + 1;
    next.agent_id = null;
    next.output_file = null;
    next.agent_process = null;
  }
  if (to === "completed") {
    // A plan that completed after failing carries no failure: its error and the summary flag go.
    next.error = null;
    delete next.summary_at_failure;
  }
  if (to !== "queued") next.limited = null;
  if (t === "relaunch") {
    next.agent_id = null;
    next.output_file = null;
    next.agent_process = null;
  }
  if (to !== "blocked") next.blocked_by = [];
  // Back in the queue, an attempt is nobody's: a workflow's claim ends with it.
  if (to === "queued" && next.workflow_launch != null) next.workflow_launch = null;
  if (to !== "dispatched") {
    next.dispatched_at = null;
    next.dispatched_session = null;
  }
  return next;
}

export interface NewEntryInput {
  run: RunRecord;
  planId: string;
  planFile: string;
  phase: string;
  phaseDir: string;
  description: string;
  dependsOn: string[];
  at: string;
  foreground: boolean;
}

export function newEntry(i: NewEntryInput): HistoryEntry {
  return {
    agent_id: null,
    task_description: i.description,
    phase: i.phase,
    plan: i.planId,
    segment: null,
    timestamp: i.at,
    status: "queued",
    completion_timestamp: null,
    execution_mode: i.foreground ? "foreground" : "background",
    output_file: null,
    background_status: "queued",
    queue_position: null,
    plan_file: i.planFile,
    phase_dir: i.phaseDir,
    depends_on: i.dependsOn,
    run_id: i.run.run_id,
    attempt: 1,
    session_id: i.run.session_id,
    error: null,
    dispatched_at: null,
    blocked_by: [],
    transitions: [{ to: "queued", at: i.at, via: "create" }],
  };
}

/** The key of a plan within a run: its file (entries of one plan share it across attempts). */
export const planKey = (e: Pick<HistoryEntry, "plan_file" | "plan">): string => e.plan_file ?? e.plan;

/** Entries of one run, the latest attempt of each plan. */
export function runEntries(h: History, runId: string): HistoryEntry[] {
  const latest = new Map<string, HistoryEntry>();
  for (const e of h.entries) if (e.run_id === runId) latest.set(planKey(e), e);
  return [...latest.values()];
}

/** A run is active while the latest attempt of one of its plans is not finished. */
export function isActiveRun(h: History, runId: string): boolean {
  return runEntries(h, runId).some((e) => !isFinished(e.status));
}

/** The latest run of a phase that still has work that is not finished, if any. */
export function activeRun(h: History, phaseDir: string): RunRecord | undefined {
  const runs = h.runs.filter((r) => r.phase_dir === phaseDir);
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i] as RunRecord;
    if (isActiveRun(h, run.run_id)) return run;
  }
  return undefined;
}

/**
 * Keeps the file near `max_entries` by dropping whole finished runs, oldest first. Never dropped:
 * any entry of an active run, the newest run of each phase, and the latest attempt of a plan that
 * is not completed (a failed plan stays failed, with its reason, until it is retried). So the file can exceed the limit while
 * a large run is active; it shrinks again when runs finish and newer ones replace them.
 */
export function retain(h: History): History {
  if (h.entries.length <= h.max_entries) return h;
  const active = new Set(h.runs.filter((r) => isActiveRun(h, r.run_id)).map((r) => r.run_id));
  // The newest attempt of each plan across all runs, unless it completed: that one must stay.
  const newest = new Map<string, HistoryEntry>();
  for (const e of h.entries) newest.set(planKey(e), e);
  const pinnedRuns = new Set([...newest.values()].filter((e) => e.status !== "completed").map((e) => e.run_id));
  // The newest run of each phase is its latest story (what `status` shows): it stays too.
  const newestOfPhase = new Map<string, RunRecord>();
  for (const r of h.runs) {
    const seen = newestOfPhase.get(r.phase_dir);
    if (!seen || compareText(seen.started_at, r.started_at) <= 0) newestOfPhase.set(r.phase_dir, r);
  }
  for (const r of newestOfPhase.values()) pinnedRuns.add(r.run_id);
  const runOrder = [...h.runs].sort((a, b) => compareText(a.started_at, b.started_at)).map((r) => r.run_id);
  const orphanRuns = [...new Set(h.entries.map((e) => e.run_id))].filter((id) => !h.runs.some((r) => r.run_id === id));
  let count = h.entries.length;
  const drop = new Set<string>();
  for (const id of [...orphanRuns, ...runOrder]) {
    if (count <= h.max_entries) break;
    if (active.has(id) || pinnedRuns.has(id)) continue;
    drop.add(id);
    count -= h.entries.filter((e) => e.run_id === id).length;
  }
  if (drop.size === 0) return h;
  return { ...h, entries: h.entries.filter((e) => !drop.has(e.run_id)), runs: h.runs.filter((r) => !drop.has(r.run_id)) };
}

/** Replaces the entry with the same run, plan and attempt (the attempt of `was` when a limit moved it on). */
export function replaceEntry(h: History, updated: HistoryEntry, was: HistoryEntry = updated): History {
  const key = planKey(updated);
  return {
    ...h,
    entries: h.entries.map((e) => (e.run_id === updated.run_id && planKey(e) === key && e.attempt === was.attempt ? updated : e)),
  };
}
