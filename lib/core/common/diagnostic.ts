import { compareText } from "./compare-text";
import { MESSAGE_LIMIT, bounded } from "./echo";
/**
 * Expected problems in user input are values, not exceptions: every parser and analysis step
 * returns diagnostics alongside its result, so a run reports all of them at once.
 */
export type Severity = "error" | "warning" | "info";

export const DIAGNOSTIC_CODES = [
  "frontmatter-missing",
  "frontmatter-after-heading",
  "frontmatter-invalid",
  "frontmatter-unsafe-engine",
  "field-invalid",
  "depends-unreadable",
  "files-unreadable",
  "file-too-large",
  "name-unsafe",
  "link-outside-project",
  "plan-unreadable",
  "plan-duplicate-id",
  "plan-name-unrecognised",
  "depends-unresolved",
  "depends-ambiguous",
  "depends-self",
  "cross-phase-pending",
  "cycle",
  "wave-mismatch",
  "write-conflict-undeclared",
  "path-outside-project",
  "ref-moved-phase",
  "ref-moved-ambiguous",
  "foreign-root",
  "phase-ambiguous",
  "phase-no-plans",
  "summary-invalid",
  "duration-unreadable",
  "state-unreadable",
  "config-invalid",
  // Roadmap level (ROADMAP.md phases and their `Depends on` lines).
  "roadmap-no-phases",
  "roadmap-duplicate-phase",
  "roadmap-depends-orphan",
  "roadmap-depends-unparsed",
  "roadmap-depends-self",
  "roadmap-depends-unknown",
  "roadmap-prerequisite-incomplete",
  "roadmap-status-mismatch",
  "roadmap-phase-ambiguous",
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** Path relative to the project root (posix separators), when the problem is in a file. */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
}

export function diagnostic(severity: Severity, code: DiagnosticCode, message: string, where: { file?: string; line?: number } = {}): Diagnostic {
  // A safety net under `echo`: no message, whatever it quotes, grows with the input.
  const d: Diagnostic = { severity, code, message: bounded(message, MESSAGE_LIMIT) };
  if (where.file !== undefined) d.file = where.file;
  if (where.line !== undefined) d.line = where.line;
  return d;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order for output: by severity, then file, then line, then code. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareText(a.file ?? "", b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compareText(a.code, b.code),
  );
}

// Line starts of the text most recently asked about: parsers ask for many offsets in one file
// in a row, and counting newlines from the start each time is quadratic in the file's length.
// They are found only as far as asked: most files are only asked about their front matter.
let cachedText: string | undefined;
let cachedStarts: number[] = [];
/** `cachedStarts` holds the start after every line break before this offset of `cachedText`. */
let scanned = 0;

/** 1-based line number of a character offset in `text`. */
export function lineAt(text: string, offset: number): number {
  if (text !== cachedText) {
    cachedStarts = [0];
    cachedText = text;
    scanned = 0;
  }
  const target = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf("\n", scanned); i >= 0 && i < target; i = text.indexOf("\n", i + 1)) cachedStarts.push(i + 1);
  if (target > scanned) scanned = target;
  let lo = 0;
  let hi = cachedStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((cachedStarts[mid] as number) <= target) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
