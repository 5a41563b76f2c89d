import { type History, type HistoryEntry, HISTORY_VERSION, type RunRecord } from "../../lib/core/queue/history-schema";
import { backgroundStatusOf } from "../../lib/core/queue/run-status";

/** A valid 2.0 history entry; `over` replaces fields (background_status follows status unless given). */
export function v2Entry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  const status = over.status ?? "queued";
  const base: HistoryEntry = {
    agent_id: null,
    task_description: "Execute 01-01",
    phase: "01",
    plan: "01-01",
    segment: null,
    timestamp: "2026-01-01T00:00:00.000Z",
    status,
    completion_timestamp: null,
    execution_mode: "background",
    output_file: null,
    background_status: backgroundStatusOf(status),
    queue_position: null,
    plan_file: ".planning/phases/01-x/01-01-PLAN.md",
    phase_dir: ".planning/phases/01-x",
    depends_on: [],
    run_id: "r1",
    attempt: 1,
    session_id: null,
    error: null,
    dispatched_at: null,
    blocked_by: [],
    transitions: [{ to: status, at: "2026-01-01T00:00:00.000Z", via: "create" }],
  };
  return { ...base, ...over };
}

export function v2Run(over: Partial<RunRecord> = {}): RunRecord {
  return {
    run_id: "r1",
    phase_dir: ".planning/phases/01-x",
    started_at: "2026-01-01T00:00:00.000Z",
    max_concurrent: 3,
    strategy: "critical-path",
    include_checkpoints: false,
    session_id: null,
    ...over,
  };
}

export function v2History(entries: HistoryEntry[], over: Partial<History> = {}): History {
  const runIds = [...new Set(entries.map((e) => e.run_id))];
  return { version: HISTORY_VERSION, max_entries: 50, entries, runs: runIds.map((run_id) => v2Run({ run_id })), ...over };
}
