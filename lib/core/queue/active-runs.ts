import { compareText } from "../common/compare-text";
import type { History } from "./history-schema";
import { activeRun, runEntries } from "./history-ops";

export interface RunSummary {
  phaseDir: string;
  runId: string;
  completed: number;
  running: number;
  total: number;
}

/**
 * Every phase with a run still in progress, newest first: `status` follows one phase and
 * mentions the others, so work started in another phase or workstream is never out of sight.
 */
export function activeRuns(h: History): RunSummary[] {
  const seen = new Set<string>();
  const out: RunSummary[] = [];
  const newestFirst = [...h.runs].sort((a, b) => compareText(b.started_at, a.started_at));
  for (const r of newestFirst) {
    if (seen.has(r.phase_dir)) continue;
    seen.add(r.phase_dir);
    const live = activeRun(h, r.phase_dir);
    if (!live) continue;
    const entries = runEntries(h, live.run_id);
    out.push({
      phaseDir: live.phase_dir,
      runId: live.run_id,
      completed: entries.filter((e) => e.status === "completed").length,
      running: entries.filter((e) => e.status === "spawned").length,
      total: entries.length,
    });
  }
  return out;
}
