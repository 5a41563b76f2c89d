import { type Diagnostic, diagnostic, lineAt } from "../common/diagnostic";
import { echo } from "../common/echo";
import { parseFrontMatter } from "./frontmatter";
import { type PathEntry, normalizePathEntry, splitFilesText } from "./path-entry";
import { MAX_ENTRY_CHARS } from "./path-syntax";
import { parseAllContextRefs } from "./context-refs";
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

/** Why a list field's whole value is not a list gsd-async reads, or undefined when it is. */
function notAList(v: unknown): string | undefined {
  if (v === undefined || v === null || Array.isArray(v) || typeof v === "string" || typeof v === "number") return undefined;
  return whatItIs(v);
}

function whatItIs(v: unknown): string {
  if (Array.isArray(v)) return `a nested list (${echo(v)})`;
  if (v instanceof Date) return `a date to YAML (${echo(v)}, quote it)`;
  if (typeof v === "boolean") return `the boolean ${v}`;
  if (typeof v === "object" && v !== null) return `a map (${echo(v)})`;
  return `'${echo(v)}'`;
}

interface FieldContext {
  file: string;
  key: string;
  diagnostics: Diagnostic[];
  code: "depends-unreadable" | "files-unreadable";
  line: (i: number) => number | undefined;
}

/** Reports an item (or the whole value, `i` = -1) that was not understood: nothing is dropped without a word. */
function unreadable(ctx: FieldContext, i: number, what: string, severity: "error" | "warning" = "error"): void {
  const where = i < 0 ? `${ctx.key}` : `${ctx.key} item ${i + 1}`;
  const effect = ctx.code === "depends-unreadable" ? "it is not used as a dependency" : "it is not used to order writers";
  diagnostics(ctx).push(diagnostic(severity, ctx.code, `${where} is ${what}: ${effect}; write plain strings`, { file: ctx.file, line: ctx.line(i) }));
}

const diagnostics = (ctx: FieldContext) => ctx.diagnostics;

/**
 * YAML reads `[01, 05.10]` as numbers 1 and 5.1; the line-by-line reading keeps `01` and
 * `05.10`, so a number is replaced by the raw text at the same position when that text is the
 * same number (an alias or a list spread over lines has no such text: the number stands).
 */
function dependsEntries(data: unknown, raw: () => unknown, ctx: FieldContext): DependsEntry[] {
  const bad = notAList(data);
  if (bad !== undefined) {
    unreadable(ctx, -1, bad);
    return [];
  }
  const values = listOf(data);
  let rawValues: unknown[] | undefined;
  return values.flatMap((v, i): DependsEntry[] => {
    let text: string | undefined;
    if (typeof v === "number") {
      const r = asText((rawValues ??= listOf(raw()))[i]);
      text = r !== undefined && Number(r) === v ? r : asText(v);
    } else if (typeof v === "string") text = v.trim();
    else if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)) {
      const m = v as Record<string, unknown>;
      text = asText(m.plan ?? m.id);
      if (text === undefined) {
        unreadable(ctx, i, `${whatItIs(v)} without a 'plan' or 'id' key`);
        return [];
      }
    }
    if (v === null || text === "") {
      unreadable(ctx, i, "empty", "warning");
      return [];
    }
    if (text === undefined) {
      unreadable(ctx, i, whatItIs(v));
      return [];
    }
    if (text.length > MAX_ENTRY_CHARS) {
      unreadable(ctx, i, `'${echo(text)}', longer than ${MAX_ENTRY_CHARS} characters`);
      return [];
    }
    const entry: DependsEntry = { value: text };
    const line = ctx.line(i);
    if (line !== undefined) entry.line = line;
    return [entry];
  });
}

function fileList(v: unknown, ctx: FieldContext): { raw: string; i: number }[] {
  const bad = notAList(v);
  if (bad !== undefined) {
    unreadable(ctx, -1, bad);
    return [];
  }
  return listOf(v).flatMap((item, i) => {
    if (typeof item === "string") return [{ raw: item, i }];
    if (item === null) {
      unreadable(ctx, i, "empty", "warning");
      return [];
    }
    if (item && typeof item === "object" && !Array.isArray(item) && !(item instanceof Date)) {
      const p = (item as Record<string, unknown>).path ?? (item as Record<string, unknown>).file;
      if (typeof p === "string") return [{ raw: p, i }];
      unreadable(ctx, i, `${whatItIs(item)} without a 'path' or 'file' string`);
      return [];
    }
    unreadable(ctx, i, typeof item === "number" ? `the number ${item}` : whatItIs(item));
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

/** Lines that are only @-references (optionally bulleted): what is read of plans without a `<context>` block. */
const BARE_REF_LINE = /^\s*(?:[-*]\s+)?`?@[\w.~/]/;

export function parsePlanDoc(text: string, file: string, projectRootAbs?: string): PlanDoc {
  const fm = parseFrontMatter(text, file);
  const diagnostics = [...fm.diagnostics];
  const data = fm.data ?? {};
  const keyLine = (k: string) => fm.keyLines[k];
  const fieldContext = (key: string, code: FieldContext["code"]): FieldContext => {
    let lines: readonly number[] | undefined;
    const at = keyLine(key);
    return {
      file,
      key,
      diagnostics,
      code,
      line: (i) => (at === undefined || i < 0 ? at : ((lines ??= blockItemLines(text, at) ?? [])[i] ?? at)),
    };
  };

  const doc: PlanDoc = {
    hasFrontMatter: fm.data !== undefined,
    dependsOn: dependsEntries(data.depends_on, () => fm.raw.depends_on, fieldContext("depends_on", "depends-unreadable")),
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
  for (const key of ["phase", "plan", "type"] as const) {
    const v = data[key];
    if (v !== undefined && v !== null && asText(v) === undefined)
      diagnostics.push(diagnostic("warning", "field-invalid", `${key} is ${whatItIs(v)}, not text; ignored`, { file, line: keyLine(key) }));
  }
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
    else diagnostics.push(diagnostic("warning", "field-invalid", `wave '${echo(data.wave)}' is not a whole number; ignored`, { file, line: keyLine("wave") }));
  }
  if (data.autonomous !== undefined && data.autonomous !== null) {
    const a = data.autonomous;
    if (a === true || a === "true") doc.autonomous = true;
    else if (a === false || a === "false") doc.autonomous = false;
    else
      diagnostics.push(
        diagnostic("warning", "field-invalid", `autonomous '${echo(a)}' is not true or false; the plan is treated as needing a person`, {
          file,
          line: keyLine("autonomous"),
        }),
      );
    if (doc.autonomous === undefined) doc.autonomous = false;
  }

  const filesCtx = fieldContext("files_modified", "files-unreadable");
  for (const { raw, i } of fileList(data.files_modified, filesCtx)) addFile(raw, i);
  function addFile(raw: string, i: number): void {
    if (raw.length > MAX_ENTRY_CHARS) return unreadable(filesCtx, i, `'${echo(raw)}', longer than ${MAX_ENTRY_CHARS} characters`);
    const entry = normalizePathEntry(raw, projectRootAbs);
    if (!entry) return;
    if (entry.outside && splitForeign(entry) !== undefined) {
      doc.foreignWrites.push(entry);
      return;
    }
    if (entry.outside) {
      diagnostics.push(
        diagnostic("warning", "path-outside-project", `files_modified entry '${echo(raw)}' is outside the project; not used for dependencies`, {
          file,
          line: keyLine("files_modified"),
        }),
      );
      return;
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
  const refText = ctx ? ctx.text : text.slice(fm.bodyOffset);
  const refBase = ctx ? lineAt(text, ctx.offset) - 1 : lineAt(text, fm.bodyOffset) - 1;
  const refs = parseAllContextRefs(refText, refBase, ctx ? undefined : BARE_REF_LINE);
  for (const ref of refs.local) doc.reads.push({ path: ref.path, line: ref.line, via: "context" });
  for (const ref of refs.foreign) {
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
