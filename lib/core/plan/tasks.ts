import { lineAt } from "../common/diagnostic";

/** Kinds of human checkpoint GSD uses (`checkpoint:human-verify`, `:decision`, `:human-action`...). */
export interface Task {
  /** `auto`, `checkpoint:human-verify`, `tdd`... as written; `auto` for `## Task N` headings. */
  type: string;
  name: string;
  /** Raw text of `<files>`, split later by the path rules. */
  filesText?: string;
  /** Raw text of `<read_first>`: files the task reads before it starts. */
  readFirstText?: string;
  checkpoint?: string;
  gate?: string;
  /** 1-based line of the task's opening tag or heading in the whole file. */
  line: number;
  /** Offset of the inner text, so callers can map inner positions back to lines. */
  innerOffset: number;
  form: "xml" | "heading";
}

const TASK_OPEN = /<task\b([^>]*)>/g;
const ATTR = /([A-Za-z_][\w-]*)\s*=\s*"([^"]*)"/g;
const HEADING = /^#{2,4}[ \t]+Task[ \t]+(\d+)\b[ \t]*[:.\u2014\u2013-]?[ \t]*(.*)$/gm;

function inner(text: string, tag: string): { text: string; offset: number } | undefined {
  const open = new RegExp(`<${tag}\\b[^>]*>`).exec(text);
  if (!open) return undefined;
  const start = open.index + open[0].length;
  const end = text.indexOf(`</${tag}>`, start);
  if (end < 0) return undefined;
  return { text: text.slice(start, end), offset: start };
}

function attributes(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of raw.matchAll(ATTR)) if (m[1] !== undefined) out[m[1]] = m[2] ?? "";
  return out;
}

/**
 * Tasks of a plan body. `text` is the whole file so line numbers are file lines; `from` skips
 * the front matter. XML `<task>` elements win; `## Task N` headings are read only when a plan
 * has no XML tasks (some real plans use headings instead).
 */
export function parseTasks(text: string, from = 0): Task[] {
  const tasks: Task[] = [];
  TASK_OPEN.lastIndex = from;
  for (let m = TASK_OPEN.exec(text); m; m = TASK_OPEN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    const close = text.indexOf("</task>", bodyStart);
    const next = text.indexOf("<task", bodyStart);
    // An unclosed task ends where the next one starts, so one typo cannot swallow the rest.
    const bodyEnd = close >= 0 && (next < 0 || close < next) ? close : next >= 0 ? next : text.length;
    const body = text.slice(bodyStart, bodyEnd);
    const attrs = attributes(m[1] ?? "");
    const type = attrs.type ?? "auto";
    const name = inner(body, "name")?.text.trim() ?? attrs.title ?? attrs.desc ?? attrs.id ?? "";
    const files = inner(body, "files");
    const readFirst = inner(body, "read_first");
    const task: Task = { type, name, line: lineAt(text, m.index), innerOffset: bodyStart, form: "xml" };
    if (files) task.filesText = files.text;
    if (readFirst) task.readFirstText = readFirst.text;
    if (type.startsWith("checkpoint")) {
      task.checkpoint = type.includes(":") ? type.slice(type.indexOf(":") + 1) : "checkpoint";
      if (attrs.gate !== undefined) task.gate = attrs.gate;
    }
    tasks.push(task);
    TASK_OPEN.lastIndex = bodyEnd;
  }
  if (tasks.length > 0) return tasks;
  HEADING.lastIndex = from;
  for (let m = HEADING.exec(text); m; m = HEADING.exec(text)) {
    const name = `Task ${m[1]}${m[2] ? `: ${m[2].trim()}` : ""}`;
    const task: Task = { type: "auto", name, line: lineAt(text, m.index), innerOffset: m.index + m[0].length, form: "heading" };
    if (/checkpoint/i.test(m[2] ?? "")) task.checkpoint = "human-verify";
    tasks.push(task);
  }
  return tasks;
}
