import { type Diagnostic, diagnostic, lineAt } from "../common/diagnostic";
import { lenientYaml } from "./lenient-yaml";
import { matterData } from "./matter-yaml";

export { lenientYaml };

/**
 * Front matter of a Markdown file, read without ever executing it.
 *
 * Only gray-matter's YAML engine (js-yaml's safe loader) ever reads it (see matter-yaml), and a
 * `---js`-style opening fence is rejected before that.
 */
export interface FrontMatter {
  /** Parsed YAML mapping; `undefined` when there is none or it could not be read. */
  data: Record<string, unknown> | undefined;
  /** Whether `data` came from the lenient fallback reader after a YAML error. */
  lenient: boolean;
  /**
   * The same block read line by line, values kept as written. YAML turns `[01, 02.10]` into
   * numbers (1, 2.1); plan references need the text as the author typed it.
   */
  readonly raw: Record<string, unknown>;
  /** Character offset in the original text where the Markdown body starts. */
  bodyOffset: number;
  /** 1-based line of each top-level key, for pointing diagnostics at the right place. */
  keyLines: Record<string, number>;
  diagnostics: Diagnostic[];
}

const FENCE = /^---[ \t]*([A-Za-z]*)[ \t]*$/;
/** How far down a file a front-matter block preceded by a heading is still looked for. */
const MAX_PREAMBLE_LINES = 12;

interface Block {
  start: number; // offset of the opening fence
  end: number; // offset just after the closing fence line
  yamlStart: number;
  yamlEnd: number;
  language: string;
  preamble: boolean;
}

function findBlock(text: string): Block | undefined {
  // Only the head of the file can hold front matter: split just enough of it into lines.
  const lines = headLines(text);
  let offset = 0;
  let open: { index: number; offset: number; language: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    // A UTF-8 byte-order mark (some Windows editors write one) is not part of the first line.
    const line = (lines[i] ?? "").replace(i === 0 ? /^\uFEFF|\r$/g : /\r$/, "");
    const lineStart = offset;
    offset += (lines[i] ?? "").length + 1;
    if (!open) {
      const m = FENCE.exec(line);
      if (m) {
        open = { index: i, offset: lineStart, language: (m[1] ?? "").toLowerCase() };
        continue;
      }
      // Only blank lines and Markdown headings may come before a late front-matter block.
      if (line.trim() === "" || /^#{1,6}\s/.test(line)) {
        if (i >= MAX_PREAMBLE_LINES) return undefined;
        continue;
      }
      return undefined;
    }
    if (/^(---|\.\.\.)[ \t]*$/.test(line)) {
      return {
        start: open.offset,
        end: Math.min(offset, text.length),
        yamlStart: open.offset + (lines[open.index] ?? "").length + 1,
        yamlEnd: lineStart,
        language: open.language,
        preamble: open.index > 0 && lines.slice(0, open.index).some((l) => l.trim() !== ""),
      };
    }
  }
  return undefined;
}

/** Lines up to the first closing fence after an opening one (or the preamble limit). */
function headLines(text: string): string[] {
  const lines: string[] = [];
  let fences = 0;
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf("\n", start);
    const line = nl < 0 ? text.slice(start) : text.slice(start, nl);
    lines.push(line);
    if (/^(?:\uFEFF)?(?:---[ \t]*[A-Za-z]*|\.\.\.)[ \t]*\r?$/.test(line) && ++fences >= 2) break;
    if (fences === 0 && lines.length > MAX_PREAMBLE_LINES + 1) break;
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

function topLevelKeyLines(yaml: string, firstLine: number): Record<string, number> {
  const out: Record<string, number> = {};
  // Line by line as split at "\n", but only a line starting with a letter or `_` can start a
  // key: indented lines (most of a front matter) are never cut out and matched.
  for (let start = 0, i = 0; start <= yaml.length; i++) {
    const nl = yaml.indexOf("\n", start);
    const end = nl < 0 ? yaml.length : nl;
    if (KEY_START.test(yaml.charAt(start))) {
      const m = /^([A-Za-z_][\w-]*)\s*:/.exec(yaml.slice(start, end));
      if (m && m[1] !== undefined && !(m[1] in out)) out[m[1]] = firstLine + i;
    }
    start = end + 1;
  }
  return out;
}

const KEY_START = /[A-Za-z_]/;

function yamlErrorLine(err: unknown): number | undefined {
  const mark = (err as { mark?: { line?: unknown } } | null)?.mark;
  return typeof mark?.line === "number" ? mark.line : undefined;
}

/** Parses the front matter of `text`; `file` is only used to label diagnostics. */
export function parseFrontMatter(text: string, file: string): FrontMatter {
  const diagnostics: Diagnostic[] = [];
  const block = findBlock(text);
  if (!block) {
    diagnostics.push(diagnostic("warning", "frontmatter-missing", "no front matter: the plan is read from its body only", { file, line: 1 }));
    return { data: undefined, lenient: false, raw: {}, bodyOffset: 0, keyLines: {}, diagnostics };
  }
  const fenceLine = lineAt(text, block.start);
  if (block.preamble) {
    diagnostics.push(
      diagnostic("warning", "frontmatter-after-heading", `front matter starts at line ${fenceLine}, after a heading; GSD expects it on line 1`, {
        file,
        line: fenceLine,
      }),
    );
  }
  const yaml = text.slice(block.yamlStart, block.yamlEnd);
  const keyLines = topLevelKeyLines(yaml, fenceLine + 1);
  // The line-by-line reading is only needed for broken YAML or numbers YAML would mangle:
  // computed on first use.
  let rawCache: Record<string, unknown> | undefined;
  const result = (data: Record<string, unknown> | undefined, lenient: boolean): FrontMatter => ({
    data,
    lenient,
    get raw() {
      return (rawCache ??= lenientYaml(yaml));
    },
    bodyOffset: block.end,
    keyLines,
    diagnostics,
  });
  if (block.language !== "" && block.language !== "yaml" && block.language !== "yml") {
    diagnostics.push(
      diagnostic(
        "error",
        "frontmatter-unsafe-engine",
        `front matter in '${block.language}' is not read: only YAML is accepted, nothing in a plan is executed`,
        { file, line: fenceLine },
      ),
    );
    return result(undefined, false);
  }
  try {
    const data = matterData(text.slice(block.start, block.end));
    const isMap = typeof data === "object" && data !== null && !Array.isArray(data);
    if (!isMap) {
      diagnostics.push(diagnostic("error", "frontmatter-invalid", "front matter is not a key: value mapping", { file, line: fenceLine }));
      return result(undefined, false);
    }
    return result(data as Record<string, unknown>, false);
  } catch (err) {
    // gray-matter hands js-yaml the text right after the opening `---`, so the parser's
    // 0-based line 0 is the rest of the fence line itself.
    const rel = yamlErrorLine(err);
    const line = rel === undefined ? fenceLine : fenceLine + rel;
    const reason = String((err as Error)?.message ?? err).split("\n")[0];
    diagnostics.push(
      diagnostic("error", "frontmatter-invalid", `front matter is not valid YAML (${reason}); key fields were read line by line`, { file, line }),
    );
    const fm = result(undefined, true);
    fm.data = fm.raw;
    return fm;
  }
}
