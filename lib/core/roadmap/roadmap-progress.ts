import { roadmapPhaseId } from "./roadmap-refs";

/**
 * The progress table at the end of a GSD roadmap:
 *
 *   | Phase | Milestone | Plans Complete | Status | Completed |
 *   | 2. Core | v1.0 | 3/3 | Complete | 2026-01-02 |
 *
 * A table counts as a progress table when its FIRST header cell is `Phase` and another is
 * `Status`: requirement tables (`| Requirement | Phase | Status |`) have a phase column too,
 * but not first, and list one phase many times. The phase cell is `2. Name`, `2`,
 * `Phase 2: Name` or `v1.2 Phase 2: Name`.
 */
export type ProgressState = "complete" | "in-progress" | "not-started" | "other";

export interface ProgressRow {
  id: string;
  name: string;
  /** The status cell as written, without emphasis. */
  status: string;
  state: ProgressState;
  line: number;
}

const PHASE_CELL = /^(?:v\d+(?:\.\d+)*\s+)?(?:Phase\s+)?(\d+(?:\.\d+)*[A-Za-z]?|[A-Z])(?=$|[.:]|\s)[.:]?\s*(?:[-—–]\s+)?(.*)$/;

function cells(line: string): string[] {
  const body = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  return body.split("|").map((c) => c.replace(/\*\*|__|~~|`/g, "").trim());
}

export function isTableLine(line: string): boolean {
  return /^\s*\|/.test(line);
}

/** Column of `Status` when `line` is the header of a progress table, else -1. */
export function progressHeader(line: string): number {
  if (!isTableLine(line)) return -1;
  const c = cells(line).map((x) => x.toLowerCase());
  return c[0] === "phase" ? c.indexOf("status") : -1;
}

export function isSeparatorRow(line: string): boolean {
  return /^\s*\|?[\s:|-]+\|?\s*$/.test(line) && line.includes("-");
}

/** One body row of a progress table; undefined when its first cell names no phase. */
export function progressRow(line: string, statusColumn: number, lineNo: number): ProgressRow | undefined {
  const c = cells(line);
  const m = PHASE_CELL.exec(c[0] ?? "");
  const id = m ? roadmapPhaseId(m[1] as string) : undefined;
  if (!m || id === undefined) return undefined;
  const status = c[statusColumn] ?? "";
  return { id, name: (m[2] ?? "").trim(), status, state: progressState(status), line: lineNo };
}

/**
 * What a status cell means. Order matters: `Planning complete` means the plans are written,
 * not executed; `Not started` contains "start"; `Deferred`/`Skipped` say nothing about work
 * done, so they are `other` and never compared.
 */
export function progressState(status: string): ProgressState {
  const s = status.toLowerCase();
  if (/\b(?:not[\s-]+started|to\s*do|todo|pending|planned|queued|backlog|tbd)\b/.test(s)) return "not-started";
  if (
    /\bplanning\s+complete\b|\bincomplete\b|\bin[\s-]+progress\b|\bexecuting\b|\bverifying\b|\bpartial|\bactive\b|\bwip\b|\bstarted\b|\bplanning\b|\d+\s*%/.test(
      s,
    )
  )
    return "in-progress";
  if (/\b(?:complete|completed|done|shipped|executed|merged|closed|finished)\b|✓|✅|✔/.test(s)) return "complete";
  return "other";
}
