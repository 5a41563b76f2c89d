/**
 * A small YAML writer for generated GitHub Actions workflows. Every string is written as a
 * double-quoted scalar with everything outside printable ASCII escaped, so no text (a plan id,
 * a path, a runner label) can change the document's structure. GitHub evaluates `${{ ... }}`
 * in almost every string of a workflow; text is therefore written with each `${{` replaced by
 * the expression `${{ '${{' }}`, which evaluates to the two characters themselves. Only values
 * wrapped with `expr` (expressions this project writes) and `script` (literal blocks this
 * project writes, never user text) are emitted as they are.
 */
export type YamlValue = string | number | boolean | null | Expr | Script | readonly YamlValue[] | YamlMap;
export interface YamlMap {
  readonly [key: string]: YamlValue | undefined;
}

export class Expr {
  constructor(readonly text: string) {}
}

export class Script {
  constructor(readonly text: string) {}
}

/** An expression or template this project wrote, e.g. `${{ github.ref }}`; never user text. */
export const expr = (text: string): Expr => new Expr(text);
/** A literal block (`|`) this project wrote, e.g. a `run:` script; never user text. */
export const script = (text: string): Script => new Script(text);

/** Text with GitHub's expression opener neutralised. */
export function literalText(text: string): string {
  return text.split("${{").join("${{ '${{' }}");
}

function escapeChar(c: string): string {
  const code = c.codePointAt(0) as number;
  if (c === '"') return '\\"';
  if (c === "\\") return "\\\\";
  if (c === "\n") return "\\n";
  if (c === "\t") return "\\t";
  if (code >= 0x20 && code < 0x7f) return c;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\U${code.toString(16).padStart(8, "0")}`;
}

/** A double-quoted YAML scalar; `raw` skips the expression escape (for `expr`). */
export function quoted(text: string, raw = false): string {
  let out = '"';
  for (const c of raw ? text : literalText(text)) out += escapeChar(c);
  return out + '"';
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : quoted(k);
}

type Leaf = string | number | boolean | null | Expr;

function scalar(v: Leaf): string {
  if (v === null) return "null";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Expr) return quoted(v.text, true);
  return quoted(v);
}

function isMap(v: YamlValue): v is YamlMap {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Expr) && !(v instanceof Script);
}

function mapLines(m: YamlMap, indent: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(m)) {
    if (v === undefined) continue;
    const head = `${indent}${key(k)}:`;
    if (v instanceof Script)
      out.push(
        `${head} |`,
        ...v.text
          .replace(/\n+$/, "")
          .split("\n")
          .map((l) => (l === "" ? "" : `${indent}  ${l}`)),
      );
    else if (Array.isArray(v)) out.push(...(v.length === 0 ? [`${head} []`] : [head, ...listLines(v as readonly YamlValue[], `${indent}  `)]));
    else if (isMap(v)) out.push(...(Object.values(v).every((x) => x === undefined) ? [`${head} {}`] : [head, ...mapLines(v, `${indent}  `)]));
    else out.push(`${head} ${scalar(v as Leaf)}`);
  }
  return out;
}

function listLines(list: readonly YamlValue[], indent: string): string[] {
  const out: string[] = [];
  for (const item of list) {
    if (isMap(item)) {
      const inner = mapLines(item, `${indent}  `);
      if (inner.length === 0) out.push(`${indent}- {}`);
      else out.push(`${indent}- ${(inner[0] as string).slice(indent.length + 2)}`, ...inner.slice(1));
    } else if (Array.isArray(item) || item instanceof Script) throw new Error("yaml-text: lists of lists or of blocks are not supported");
    else out.push(`${indent}- ${scalar(item as Leaf)}`);
  }
  return out;
}

/** A comment line: anything but printable ASCII becomes `?`, so a comment cannot end early. */
function comment(c: string): string {
  return `# ${c.replace(/[^\x20-\x7e]/g, "?")}`.trimEnd();
}

/** The document for a top-level map, with `comments` (plain lines) above it. */
export function yamlDocument(root: YamlMap, comments: readonly string[] = []): string {
  return [...comments.map(comment), ...mapLines(root, "")].join("\n") + "\n";
}
