import { compareText } from "../common/compare-text";
import type { History, HistoryEntry, RunRecord } from "./history-schema";
import { IllegalTransition, type Transition, backgroundStatusOf, isFinished, nextStatus } from "./run-status";

/** Applies a named transition; anything the table does not allow is an IllegalTransition. */
export function transition(entry: HistoryEntry, t: Transition, at: string, patch: Partial<HistoryEntry> = {}): HistoryEntry {
  const to = nextStatus(entry.status, t);
  if (to === undefined) throw new IllegalTransition(entry.plan, entry.status, t);
  const next: HistoryEntry = { ...entry, ...patch, status: to, transitions: [...entry.transitions, { to, at, via: t }] };
  next.background_status = backgroundStatusOf(to);
  if (isFinished(to)) next.completion_timestamp = at;
  if (t === "retry") {
    next.attempt = entry.attempt + 1;
    next.completion_timestamp = null;
    next.error = null;
    next.agent_id = null;
    next.output_file = null;
    next.dispatched_at = null;
    next.dispatched_session = null;
  }
  if (to !== "blocked") next.blocked_by = t === "unblock" ? [] : next.blocked_by;
  if (to !== "queued") {
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

/** The latest run of a phase that still has work that is not finished, if any. */
export function activeRun(h: History, phaseDir: string): RunRecord | undefined {
  const runs = h.runs.filter((r) => r.phase_dir === phaseDir);
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i] as RunRecord;
    if (h.entries.some((e) => e.run_id === run.run_id && !isFinished(e.status))) return run;
  }
  return undefined;
}

/** Entries of one run, the latest attempt of each plan. */
export function runEntries(h: History, runId: string): HistoryEntry[] {
  const latest = new Map<string, HistoryEntry>();
  for (const e of h.entries) if (e.run_id === runId) latest.set(e.plan_file ?? e.plan, e);
  return [...latest.values()];
}

/**
 * Keeps at most `max_entries` entries by dropping the oldest finished ones; queued, blocked
 * and spawned entries are never dropped, even when that leaves more than the limit.
 */
export function retain(h: History): History {
  const excess = h.entries.length - h.max_entries;
  if (excess <= 0) return h;
  const droppable = h.entries
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => isFinished(e.status))
    .sort((a, b) => compareText(a.e.completion_timestamp ?? a.e.timestamp, b.e.completion_timestamp ?? b.e.timestamp) || a.i - b.i)
    .slice(0, excess)
    .map(({ i }) => i);
  const drop = new Set(droppable);
  const entries = h.entries.filter((_, i) => !drop.has(i));
  const liveRuns = new Set(entries.map((e) => e.run_id));
  return { ...h, entries, runs: h.runs.filter((r) => liveRuns.has(r.run_id)) };
}

/** Replaces the entry with the same run, plan and attempt. */
export function replaceEntry(h: History, updated: HistoryEntry): History {
  return {
    ...h,
    entries: h.entries.map((e) =>
      e.run_id === updated.run_id && (e.plan_file ?? e.plan) === (updated.plan_file ?? updated.plan) && e.attempt === updated.attempt ? updated : e,
    ),
  };
}
