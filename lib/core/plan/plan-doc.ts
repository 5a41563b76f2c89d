import { type Diagnostic, diagnostic, lineAt } from "../common/diagnostic";
import { parseFrontMatter } from "./frontmatter";
import { type PathEntry, normalizePathEntry, splitFilesText } from "./path-entry";
import { parseContextRefs, parseForeignContextRefs } from "./context-refs";
import { type PlanMention, parsePlanMentions } from "./prose-links";
import { splitForeign } from "./foreign-paths";
import { type Task, parseTasks } from "./tasks";

/** One `depends_on` entry exactly as the author wrote it, with where it was written. */
export interface DependsEntry {
  value: string;
  line?: number;
}

/** A file a plan reads: an @-reference in `<context>`, or a file its tasks touch or read first. */
export interface ReadRef {
  path: string;
  line: number;
  via: "context" | "task" | "read_first";
  /** Written under the author's root and read relative to the project (see foreign-paths). */
  rebased?: boolean;
}

/** Everything the plan's own text says, before it is related to other plans. Pure data. */
export interface PlanDoc {
  hasFrontMatter: boolean;
  phase?: string;
  plan?: string;
  type?: string;
  wave?: number;
  dependsOn: DependsEntry[];
  filesModified: PathEntry[];
  /**
   * `files_modified` entries under an absolute, drive or home root outside the project (see
   * foreign-paths); the analysis decides what they mean and says so.
   */
  foreignWrites: PathEntry[];
  /** Files under such a root that its tasks touch or read first. */
  foreignReads: { entry: PathEntry; line: number; via: ReadRef["via"] }[];
  /** The `autonomous` field as written; absent when the plan does not say. */
  autonomous?: boolean;
  requirements: string[];
  mustHaves?: unknown;
  tasks: Task[];
  /** Checkpoint kinds of its tasks, e.g. `human-verify`. */
  checkpoints: string[];
  reads: ReadRef[];
  /** Plans named in the body's prose (see prose-links). */
  mentions: PlanMention[];
  /** 1-based line of each front-matter key, for diagnostics. */
  keyLines: Record<string, number>;
  diagnostics: Diagnostic[];
}

function asText(v: unknown): string | undefined {
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A list field: YAML list, a single string, or a comma list in one string. */
function listOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string")
    return v
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  if (typeof v === "number") return [v];
  return [];
}

/**
 * YAML reads `[01, 05.10]` as numbers 1 and 5.1; the line-by-line reading keeps `01` and
 * `05.10`, so a number is replaced by the raw text at the same position when one exists.
 */
function dependsEntries(data: unknown, raw: () => unknown, keyLine: number | undefined, itemLines: () => readonly number[] | undefined): DependsEntry[] {
  const values = listOf(data);
  let rawValues: unknown[] | undefined;
  let lines: readonly number[] | undefined;
  return values.flatMap((v, i): DependsEntry[] => {
    let text = typeof v === "number" ? (asText((rawValues ??= listOf(raw()))[i]) ?? asText(v)) : asText(v);
    if (text === undefined && v && typeof v === "object") text = asText((v as Record<string, unknown>).plan ?? (v as Record<string, unknown>).id);
    if (text === undefined || text === "") return [];
    const entry: DependsEntry = { value: text };
    if (keyLine !== undefined) entry.line = (lines ??= itemLines() ?? [])[i] ?? keyLine;
    return [entry];
  });
}

function fileList(v: unknown): string[] {
  return listOf(v).flatMap((item) => {
    if (typeof item === "string") return [item];
    if (item && typeof item === "object") {
      const p = (item as Record<string, unknown>).path ?? (item as Record<string, unknown>).file;
      return typeof p === "string" ? [p] : [];
    }
    return [];
  });
}

function contextBlock(text: string, from: number): { text: string; offset: number } | undefined {
  const open = /<context>/g;
  open.lastIndex = from;
  const m = open.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  const end = text.indexOf("</context>", start);
  return { text: text.slice(start, end < 0 ? text.length : end), offset: start };
}

/** Lines that are only @-references (optionally bulleted), for plans without a `<context>` block. */
function bareRefLines(body: string): string {
  return body
    .split("\n")
    .map((l) => (/^\s*(?:[-*]\s+)?`?@[\w.~/]/.test(l) ? l : ""))
    .join("\n");
}

export function parsePlanDoc(text: string, file: string, projectRootAbs?: string): PlanDoc {
  const fm = parseFrontMatter(text, file);
  const diagnostics = [...fm.diagnostics];
  const data = fm.data ?? {};
  const keyLine = (k: string) => fm.keyLines[k];

  const doc: PlanDoc = {
    hasFrontMatter: fm.data !== undefined,
    dependsOn: dependsEntries(
      data.depends_on,
      () => fm.raw.depends_on,
      keyLine("depends_on"),
      () => blockItemLines(text, keyLine("depends_on")),
    ),
    filesModified: [],
    foreignWrites: [],
    foreignReads: [],
    requirements: listOf(data.requirements)
      .map(asText)
      .filter((s): s is string => s !== undefined && s !== ""),
    tasks: [],
    checkpoints: [],
    reads: [],
    mentions: parsePlanMentions(text.slice(fm.bodyOffset), lineAt(text, fm.bodyOffset) - 1),
    keyLines: fm.keyLines,
    diagnostics,
  };
  const phase = asText(data.phase);
  if (phase !== undefined) doc.phase = phase;
  // `plan: 01` is the number 1 to YAML; the raw text keeps the padding.
  const plan = typeof data.plan === "number" ? (rawScalar(text, keyLine("plan"), "plan") ?? asText(data.plan)) : asText(data.plan);
  if (plan !== undefined) doc.plan = plan;
  const type = asText(data.type);
  if (type !== undefined) doc.type = type;
  if (data.must_haves !== undefined) doc.mustHaves = data.must_haves;

  if (data.wave !== undefined && data.wave !== null) {
    const wave = typeof data.wave === "number" ? data.wave : Number(asText(data.wave));
    if (Number.isInteger(wave) && wave >= 0) doc.wave = wave;
    else
      diagnostics.push(diagnostic("warning", "field-invalid", `wave '${String(data.wave)}' is not a whole number; ignored`, { file, line: keyLine("wave") }));
  }
  if (data.autonomous !== undefined && data.autonomous !== null) {
    const a = data.autonomous;
    if (a === true || a === "true") doc.autonomous = true;
    else if (a === false || a === "false") doc.autonomous = false;
    else
      diagnostics.push(
        diagnostic("warning", "field-invalid", `autonomous '${String(a)}' is not true or false; the plan is treated as needing a person`, {
          file,
          line: keyLine("autonomous"),
        }),
      );
    if (doc.autonomous === undefined) doc.autonomous = false;
  }

  const filesLine = keyLine("files_modified");
  for (const raw of fileList(data.files_modified)) {
    const entry = normalizePathEntry(raw, projectRootAbs);
    if (!entry) continue;
    if (entry.outside && splitForeign(entry) !== undefined) {
      doc.foreignWrites.push(entry);
      continue;
    }
    if (entry.outside) {
      diagnostics.push(
        diagnostic("warning", "path-outside-project", `files_modified entry '${raw}' is outside the project; not used for dependencies`, {
          file,
          line: filesLine,
        }),
      );
      continue;
    }
    doc.filesModified.push(entry);
  }

  doc.tasks = parseTasks(text, fm.bodyOffset);
  for (const t of doc.tasks) {
    if (t.checkpoint !== undefined) doc.checkpoints.push(t.checkpoint);
    for (const [via, raw] of [
      ["task", t.filesText],
      ["read_first", t.readFirstText],
    ] as const) {
      if (raw === undefined) continue;
      for (const p of splitFilesText(raw)) {
        const entry = normalizePathEntry(p, projectRootAbs);
        if (entry && !entry.outside && entry.kind === "file") doc.reads.push({ path: entry.path, line: t.line, via });
        else if (entry?.outside && entry.kind === "file" && splitForeign(entry)) doc.foreignReads.push({ entry, line: t.line, via });
      }
    }
  }

  const ctx = contextBlock(text, fm.bodyOffset);
  const refText = ctx ? ctx.text : bareRefLines(text.slice(fm.bodyOffset));
  const refBase = ctx ? lineAt(text, ctx.offset) - 1 : lineAt(text, fm.bodyOffset) - 1;
  for (const ref of parseContextRefs(refText, refBase)) doc.reads.push({ path: ref.path, line: ref.line, via: "context" });
  for (const ref of parseForeignContextRefs(refText, refBase)) {
    const entry = normalizePathEntry(`"${ref.path}"`);
    if (entry && splitForeign(entry)) doc.foreignReads.push({ entry, line: ref.line, via: "context" });
  }
  return doc;
}

/**
 * When the YAML value of the key on `line` continues as a block list on the next lines, the
 * 1-based line of each of its items (comment and blank lines skipped); otherwise `undefined`.
 */
function blockItemLines(text: string, line: number | undefined): number[] | undefined {
  if (line === undefined) return undefined;
  const lines = text.split("\n");
  if (!/:\s*(#.*)?$/.test((lines[line - 1] ?? "").replace(/\r$/, ""))) return undefined;
  const out: number[] = [];
  let indent: number | undefined;
  for (let i = line; i < lines.length; i++) {
    const l = (lines[i] ?? "").replace(/\r$/, "");
    if (l.trim() === "" || /^\s*#/.test(l)) continue;
    const item = /^(\s*)-(?:\s|$)/.exec(l);
    if (!item) {
      if (!/^\s/.test(l)) break;
      continue;
    }
    const width = (item[1] ?? "").length;
    indent ??= width;
    if (width === indent) out.push(i + 1);
  }
  return out;
}

/** The value of `key: value` on a given line, as written (quotes and comments removed). */
function rawScalar(text: string, line: number | undefined, key: string): string | undefined {
  if (line === undefined) return undefined;
  let start = 0;
  for (let i = 1; i < line && start >= 0; i++) start = text.indexOf("\n", start) + 1;
  const end = text.indexOf("\n", start);
  const m = new RegExp(`^${key}\\s*:\\s*["']?([^"'\\s#]+)`).exec(text.slice(start, end < 0 ? undefined : end));
  return m?.[1];
}
