import { forEachLineWith } from "../common/lines-with";
import { normalizePathEntry } from "./path-entry";
import { basenameOf, isExtensionlessFile } from "./path-syntax";
import { trimPathWord } from "./path-token";

/**
 * `@path` references, as plans write them in `<context>` blocks: `@.planning/STATE.md`,
 * `- @src/a.ts (for types)`, `` `@src/b.ts` — why ``, several per line.
 *
 * Rules (chosen from what real plans contain around `@`):
 * - `@` must start a token: at line start or after whitespace or one of `` `'"([{<*|,; ``.
 *   So `me@example.com`, `actions/checkout@v4` and `pkg@^5` are never references.
 * - The token runs to whitespace, a quote/backtick, `<`, `>`, `|` or `,`; sentence punctuation,
 *   `:line` suffixes and unbalanced closing brackets are trimmed; a `(` glued to `file.ext(`
 *   starts a note.
 * - A token with `/` must end in `name.ext`, a well-known extensionless file (`Makefile`), or
 *   `/` (a directory). That drops npm scopes (`@scope/pkg`, `@types/node`, `@scope/*`).
 * - A token without `/` must be a dotfile or end in an extension from SOURCE_EXTENSIONS, which
 *   drops decorators and handles (`@dataclass`, `@click.stop`, `@ql.compile`, `@user`).
 * - `@/...` (a TS path alias or an absolute path), `@~/...`, `@$HOME/...`, `@C:/...` and
 *   anything resolving outside the project are workflow or tool files, not project files: skipped.
 * - A line that is only `@dir with spaces/file.ext` (optionally a bullet and a note after
 *   ` (`, ` —`, ` -`) is one reference containing spaces.
 */
export interface ContextRef {
  /** The reference as written, from `@` to the end of the token. */
  raw: string;
  /** Normalised project-relative path (see PathEntry); a directory ends with `/`. */
  path: string;
  kind: "file" | "dir" | "glob";
  /** 1-based line in the given text, plus `lineOffset`. */
  line: number;
}

const SOURCE_EXTENSIONS = new Set(
  (
    "md mdx markdown txt rst adoc ts tsx mts cts js jsx mjs cjs json jsonc json5 yml yaml toml " +
    "ini cfg conf env lock xml csv sql graphql gql proto py pyi pyx pxd pxi ipynb rb erb rake " +
    "go mod work sum rs php vue svelte astro css scss sass less html htm hbs ejs sh bash zsh " +
    "ps1 bat c h cc cpp cxx hpp hh cs java kt kts swift m mm scala dart ex exs erl lua r jl tf " +
    "hcl nix gradle cmake rules dist example sample prod dev local template tpl svg png jpg"
  ).split(" "),
);

const TOKEN_START = /(?:^|[\s`'"([{<*|,;])@/g;
const TOKEN_BODY = /^[^\s`'"<>|,]*/;
const SKIP_PREFIX = /^(?:\/|~|\$|%|[A-Za-z]:[\\/])/;
const SPACED_LINE = /^\s*(?:[-*+]\s+)?@([^@\s/][^@=:;,()`'"]*\/[^@=:;,()`'"]*?\.[A-Za-z0-9]{1,10})(?:\s*$|\s+[(—–-])/;

function acceptable(token: string): boolean {
  if (token === "" || SKIP_PREFIX.test(token)) return false;
  const name = basenameOf(token);
  if (token.includes("/")) {
    if (token.endsWith("/")) return true;
    return /\.[A-Za-z0-9]+$/.test(name) || isExtensionlessFile(name);
  }
  if (isExtensionlessFile(name)) return true;
  if (/^\.[A-Za-z][\w.-]*$/.test(name)) return true; // .env, .gitignore, .env.example
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1];
  return ext !== undefined && SOURCE_EXTENSIONS.has(ext.toLowerCase());
}

/** `@C:/x/a.ts`, `@/Users/x/a.ts`, `@~/x/a.ts`: a file under a drive, absolute or home root. */
const FOREIGN_FILE = /^(?:[A-Za-z]:[\\/]|\/(?!\/)|~\/)\S*\/[^/]+\.[A-Za-z0-9]+$/;

function toRef(raw: string, token: string, line: number, foreign = false): ContextRef | undefined {
  if (foreign) {
    if (!FOREIGN_FILE.test(token)) return undefined;
    const entry = normalizePathEntry(`"${token}"`);
    return entry?.outside && entry.kind === "file" ? { raw, path: entry.path, kind: "file", line } : undefined;
  }
  if (!acceptable(token)) return undefined;
  // Quote the token so normalisation keeps it whole even when it contains spaces.
  const entry = normalizePathEntry(`"${token}"`);
  if (entry === undefined || entry.outside) return undefined;
  return { raw, path: entry.path, kind: entry.kind, line };
}

/**
 * The references of one line, both kinds in one pass over its `@` tokens: `local` as
 * parseContextRefs reads them, `foreign` as parseForeignContextRefs does (which never reads a
 * line as one spaced reference).
 */
function refsInLine(text: string, line: number, local: ContextRef[] | undefined, foreign: ContextRef[] | undefined): void {
  const spaced = local ? SPACED_LINE.exec(text) : null;
  const spacedOnly = spaced?.[1] !== undefined && /\s/.test(spaced[1]);
  if (local && spaced?.[1] !== undefined && spacedOnly) {
    const ref = toRef(`@${spaced[1]}`, spaced[1].trim(), line);
    if (ref) local.push(ref);
  }
  if (spacedOnly && !foreign) return;
  for (const m of text.matchAll(TOKEN_START)) {
    const at = (m.index ?? 0) + m[0].length; // just after `@`
    const body = TOKEN_BODY.exec(text.slice(at))?.[0] ?? "";
    // `@src/a.ts(for types)`: a parenthesis right after an extension opens a note.
    const cut = body.replace(/^(.*?\.[A-Za-z0-9]+)\(.*$/, "$1");
    const token = trimPathWord(cut);
    const ref = local && !spacedOnly ? toRef(`@${cut}`, token, line) : undefined;
    if (ref) local?.push(ref);
    const far = foreign ? toRef(`@${cut}`, token, line, true) : undefined;
    if (far) foreign?.push(far);
  }
}

/** Every `@` reference in `text`, in order of appearance. Never throws. */
export function parseContextRefs(text: string, lineOffset = 0): ContextRef[] {
  const local: ContextRef[] = [];
  scan(text, lineOffset, local, undefined);
  return local;
}

/**
 * The `@` references to files under a drive, absolute or home root (`@C:/proj/.planning/...`),
 * which `parseContextRefs` skips: `path` keeps the root (an `outside` PathEntry path), for the
 * analysis to relate to the project when the root turns out to be the project's (foreign-paths).
 */
export function parseForeignContextRefs(text: string, lineOffset = 0): ContextRef[] {
  const foreign: ContextRef[] = [];
  scan(text, lineOffset, undefined, foreign);
  return foreign;
}

/**
 * Both at once, as a plan's `<context>` needs them: one pass over the text instead of two.
 * With `onlyLines`, a line is read only when it matches (lines that are only references, for a
 * plan without a `<context>` block); line numbers still count every line.
 */
export function parseAllContextRefs(text: string, lineOffset = 0, onlyLines?: RegExp): { local: ContextRef[]; foreign: ContextRef[] } {
  const local: ContextRef[] = [];
  const foreign: ContextRef[] = [];
  scan(text, lineOffset, local, foreign, onlyLines);
  return { local, foreign };
}

function scan(text: string, lineOffset: number, local: ContextRef[] | undefined, foreign: ContextRef[] | undefined, onlyLines?: RegExp): void {
  // A reference needs an `@`: only lines with one are read (found without splitting the text).
  forEachLineWith(text, /@/g, (lineText, i) => {
    if (onlyLines === undefined || onlyLines.test(lineText)) refsInLine(lineText, i + 1 + lineOffset, local, foreign);
  });
}
