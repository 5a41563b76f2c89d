import { type Diagnostic, diagnostic, lineAt } from "../common/diagnostic";
import { type BareUnit, parseDuration } from "./duration";
import { type FrontMatter, parseFrontMatter } from "./frontmatter";

/**
 * What a SUMMARY.md says about the finished plan: how long it took and when it was completed.
 *
 * Where the duration is looked for, first readable wins:
 * 1. top-level front matter (`duration: 4min`, `duration_minutes: 12`, ...);
 * 2. the `metrics:` mapping of the front matter, the only nesting GSD summaries use;
 * 3. the body: `**Duration:** 4 min`, `- Duration: 4 min`, `*Duration: 4 min*`,
 *    `| Duration | 4 min |`, or the first line under a `## Duration` heading.
 * Fenced code in the body is skipped: test-runner output prints `Duration  1.2s`.
 */
export type DurationSource = "frontmatter" | "metrics" | "body";

export interface SummaryInfo {
  durationMinutes?: number;
  durationSource?: DurationSource;
  /** 1-based line of the value the duration was read from. */
  durationLine?: number;
  /** Date or timestamp as written (`2026-02-11`, `2026-02-11T21:45:24Z`). */
  completed?: string;
  /**
   * The plan's outcome when the front matter's `status:` says it ended other than complete:
   * `halted` (stopped before the work was done; it blocks its dependents) or `superseded`
   * (retired: not work, and no longer a prerequisite). Any other status is a completed plan.
   */
  outcome?: SummaryOutcome;
  /** 1-based line of that `status:`. */
  outcomeLine?: number;
  diagnostics: Diagnostic[];
}

export type SummaryOutcome = "halted" | "superseded";
const OUTCOMES: ReadonlySet<string> = new Set<SummaryOutcome>(["halted", "superseded"]);

/** Duration keys, most specific first, with the unit a bare number in them is in. */
const DURATION_KEYS: ReadonlyArray<readonly [string, BareUnit]> = [
  ["duration", "minutes"],
  ["duration_minutes", "minutes"],
  ["duration-minutes", "minutes"],
  ["duration_min", "minutes"],
  ["duration_seconds", "seconds"],
  ["duration_human", "minutes"],
  ["duration_readable", "minutes"],
  ["duration-pretty", "minutes"],
];
const COMPLETED_KEYS = ["completed", "completed_at", "completed_date"];

/** A front-matter or body value with the 1-based line it was read from. */
type Field = { value: unknown; line?: number };
type Fields = Map<string, Field>;

export function parseSummary(text: string, file: string): SummaryInfo {
  const fm = parseFrontMatter(text, file);
  // Split only when read: a summary whose front matter gives both the duration and the date
  // (most) needs none of its lines.
  let split: string[] | undefined;
  const lines = () => (split ??= text.split("\n").map((l) => l.replace(/\r$/, "")));
  // Summaries of older GSD versions have no front matter at all: that is not a problem here.
  const info: SummaryInfo = { diagnostics: fm.diagnostics.filter((d) => d.code !== "frontmatter-missing") };
  const top = topLevelFields(fm);
  const metrics = nestedFields(fm, lines, "metrics");
  const unreadable: Field[] = [];

  if (!readDuration(top, "frontmatter", info, unreadable)) readDuration(metrics, "metrics", info, unreadable);
  for (const fields of [top, metrics]) {
    for (const key of COMPLETED_KEYS) info.completed ??= dateString(fields.get(key)?.value);
  }

  const status = top.get("status");
  const word = typeof status?.value === "string" ? status.value.trim().toLowerCase() : "";
  if (OUTCOMES.has(word)) {
    info.outcome = word as SummaryOutcome;
    if (status?.line !== undefined) info.outcomeLine = status.line;
  }

  scanBody(lines, lineAt(text, fm.bodyOffset), info, unreadable);

  const first = unreadable[0];
  if (info.durationMinutes === undefined && first !== undefined) {
    const shown = String(first.value).slice(0, 60);
    const message = `duration '${shown}' is not a positive length of time; this plan's duration is unknown`;
    info.diagnostics.push(diagnostic("info", "duration-unreadable", message, { file, line: first.line }));
  }
  return info;
}

/** First readable duration key of `fields`; unreadable stated values are kept for the report. */
function readDuration(fields: Fields, source: DurationSource, info: SummaryInfo, unreadable: Field[]): boolean {
  for (const [key, unit] of DURATION_KEYS) {
    const field = fields.get(key);
    if (field === undefined || !stated(field.value)) continue;
    const minutes = parseDuration(field.value, unit);
    if (minutes === undefined) unreadable.push(field);
    else {
      setDuration(info, minutes, source, field.line);
      return true;
    }
  }
  return false;
}

function setDuration(info: SummaryInfo, minutes: number, source: DurationSource, line: number | undefined): void {
  info.durationMinutes = minutes;
  info.durationSource = source;
  if (line !== undefined) info.durationLine = line;
}

function stated(value: unknown): boolean {
  return value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0);
}

function topLevelFields(fm: FrontMatter): Fields {
  const out: Fields = new Map();
  for (const [key, value] of Object.entries(fm.data ?? {})) {
    const line = fm.keyLines[key];
    out.set(key, line === undefined ? { value } : { value, line });
  }
  return out;
}

/**
 * Children of a top-level mapping key. Values come from the YAML when it parsed; when it did not,
 * the lenient reader has no nesting, so the indented lines themselves are read as `key: value`.
 */
function nestedFields(fm: FrontMatter, lines: () => readonly string[], parent: string): Fields {
  const out: Fields = new Map();
  const parentLine = fm.keyLines[parent];
  if (parentLine === undefined) return out;
  const raw = childLines(lines(), parentLine);
  const parsed = fm.lenient ? undefined : fm.data?.[parent];
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    for (const [key, value] of Object.entries(parsed)) {
      const line = raw.get(key)?.line;
      out.set(key, line === undefined ? { value } : { value, line });
    }
    return out;
  }
  return fm.lenient ? raw : out;
}

/** `key: value` lines indented one level under the 1-based `parentLine`. */
function childLines(lines: readonly string[], parentLine: number): Fields {
  const out: Fields = new Map();
  let indent: number | undefined;
  for (let i = parentLine; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    const lead = /^\s*/.exec(line)?.[0].length ?? 0;
    if (lead === 0) break;
    indent ??= lead;
    if (lead !== indent) continue;
    const m = /^\s+(["']?)([A-Za-z_][\w-]*)\1\s*:\s*(.*)$/.exec(line);
    if (m?.[2] === undefined || out.has(m[2])) continue;
    const value = (m[3] ?? "")
      .replace(/\s+#.*$/, "")
      .trim()
      .replace(/^(["'])(.*)\1$/, "$2");
    out.set(m[2], { value, line: i + 1 });
  }
  return out;
}

/** `**Label:** value`, `**Label**: value`, `*Label: value*`, `Label: value` (bullet optional). */
const LABEL = /^\s*(?:[-+*]\s+)?([*_]{0,2})([A-Za-z][A-Za-z ]{0,30}?)\1?\s*:\s*\1?\s*(.*)$/;
const TABLE_ROW = /^\s*\|\s*(?:\*\*)?([A-Za-z][A-Za-z ]{0,30}?)(?:\*\*)?\s*\|\s*([^|]*?)\s*\|/;
const HEADING = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

function scanBody(allLines: () => readonly string[], startLine: number, info: SummaryInfo, unreadable: Field[]): void {
  if (info.completed !== undefined && info.durationMinutes !== undefined) return;
  const lines = allLines();
  let inFence = false;
  let underDurationHeading = false;
  for (let i = startLine - 1; i < lines.length; i++) {
    // Both known (often from the front matter alone): nothing further down can change them.
    if (info.completed !== undefined && info.durationMinutes !== undefined) return;
    const line = lines[i] ?? "";
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence || FENCE.test(line) || line.trim() === "") continue;
    const heading = HEADING.exec(line);
    if (heading) {
      underDurationHeading = /^duration:?$/i.test(heading[1] ?? "");
      continue;
    }
    const { label, value } = labelled(line) ?? { label: undefined, value: "" };
    if (label === "completed") info.completed ??= dateString(value);
    if (info.durationMinutes !== undefined) continue;
    if (label === "duration") {
      const minutes = parseDuration(value);
      if (minutes === undefined) unreadable.push({ value, line: i + 1 });
      else setDuration(info, minutes, "body", i + 1);
    } else if (underDurationHeading && label === undefined) {
      // `## Duration` followed by a bare value line such as `~45 minutes (with debugging)`.
      const minutes = parseDuration(line.replace(/^\s*(?:[-+*]\s+)?/, ""));
      if (minutes !== undefined) setDuration(info, minutes, "body", i + 1);
    }
  }
}

function labelled(line: string): { label: string; value: string } | undefined {
  const row = TABLE_ROW.exec(line);
  if (row) return { label: (row[1] ?? "").trim().toLowerCase(), value: row[2] ?? "" };
  const m = LABEL.exec(line);
  // Closing emphasis of `*Duration: 5 min*` is trimmed here, not in the regex, to stay linear.
  if (m) return { label: (m[2] ?? "").trim().toLowerCase(), value: (m[3] ?? "").replace(/[\s*_]+$/, "") };
  return undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/;

/**
 * YAML turns unquoted dates into Date objects. A plain date comes back as `YYYY-MM-DD`, a timestamp
 * as ISO UTC without zero milliseconds, which is how GSD writes them.
 */
function dateString(value: unknown): string | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace(/\.000Z$/, "Z");
  }
  if (typeof value !== "string") return undefined;
  return DATE.exec(value.trim())?.[0];
}
