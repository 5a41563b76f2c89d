import { type Diagnostic, diagnostic } from "../common/diagnostic";
import type { RoadmapPhase, RoadmapStatus, StatusSource } from "./roadmap-types";
import type { DirStatus } from "./roadmap-dirs";

/**
 * A roadmap phase's status, and where it came from. The directory is the truth when it has
 * plans (all summarised = complete, some = in progress, none = pending); the roadmap's
 * checkbox and progress-table status are what people wrote, so a disagreement with the
 * directory is a warning, never a silent override. Without plans on disk, the roadmap's marks
 * decide; when they contradict each other that is a warning too, and the phase counts as not
 * complete, so nothing that needs it starts early.
 */
export type { RoadmapStatus, StatusSource } from "./roadmap-types";

export interface ReconciledStatus {
  status: RoadmapStatus;
  source: StatusSource;
  diagnostics: Diagnostic[];
}

const isDone = (s: RoadmapStatus) => s === "complete";

export function reconcileStatus(phase: RoadmapPhase, dir: DirStatus | undefined, dirPath: string | undefined, file: string): ReconciledStatus {
  const diagnostics: Diagnostic[] = [];
  const warn = (message: string, line: number) => diagnostics.push(diagnostic("warning", "roadmap-status-mismatch", message, { file, line }));
  const box = phase.checkbox;
  const row = phase.progress;
  const rowDone = row && row.state !== "other" ? row.state === "complete" : undefined;

  if (dir && dir.plans > 0 && dirPath !== undefined) {
    const done = isDone(dir.status);
    const facts = `${dirPath} has ${dir.complete} of ${dir.plans} plans with a SUMMARY.md`;
    if (box && box.checked !== done) {
      warn(`Phase ${phase.written} is ${box.checked ? "checked [x]" : "unchecked [ ]"} in the roadmap, but ${facts}`, box.line);
    }
    if (row && rowDone !== undefined && rowDone !== done) {
      warn(`Phase ${phase.written} is '${row.status}' in the progress table, but ${facts}`, row.line);
    }
    return { status: dir.status, source: "directory", diagnostics };
  }

  const marks: boolean[] = [];
  if (box) marks.push(box.checked);
  if (rowDone !== undefined) marks.push(rowDone);
  if (marks.length === 0) return { status: "pending", source: "none", diagnostics };
  if (box && row && rowDone !== undefined && box.checked !== rowDone) {
    warn(
      `Phase ${phase.written} is ${box.checked ? "checked [x]" : "unchecked [ ]"} (line ${box.line}) but '${row.status}' in the progress table; counted as not complete`,
      row.line,
    );
  }
  if (marks.every((m) => m)) return { status: "complete", source: "roadmap", diagnostics };
  return { status: row?.state === "in-progress" ? "in-progress" : "pending", source: "roadmap", diagnostics };
}
