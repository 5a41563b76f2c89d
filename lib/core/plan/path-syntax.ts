/**
 * Lexical rules for paths written by hand in plans: what makes a glob, what is a placeholder,
 * which words mean "no file", and how to turn a stored path into a picomatch pattern.
 *
 * Brackets and parentheses are always literal. Real plans name Next.js routes such as
 * `app/[id]/page.tsx` and `app/(admin)/layout.tsx` far more often than they use character
 * classes or extglobs, so treating `[...]`/`(...)` as glob syntax would mis-match them.
 */

/** `{a,b}` or `{1..3}`: a brace expansion. A brace without `,` or `..` is a placeholder. */
const BRACE_EXPANSION = /\{[^{}]*(?:,|\.\.)[^{}]*\}/;

/** `{timestamp}`, `<PROD_TS>`, `<course-slug>`: a name the author did not know yet. */
const PLACEHOLDER = /\{[A-Za-z_][A-Za-z0-9_-]*\}|<[A-Za-z_][A-Za-z0-9_ -]*>/g;

/** A whole first segment that is a placeholder or variable: the root is unknown to us. */
export const UNKNOWN_ROOT = /^(?:\{[A-Za-z_][A-Za-z0-9_-]*\}|<[A-Za-z_][A-Za-z0-9_ -]*>)(?:\/|$)/;

/** Words authors write instead of a path (compared lower-case, after cleaning). */
const NOT_A_PATH = new Set(["none", "n/a", "na", "tbd", "todo", "nothing", "null", "nil", "-", "--", "—", "–", "~", "e.g", "i.e", "etc"]);

/** Files commonly named without an extension. Compared lower-case. */
const EXTENSIONLESS_FILES = new Set([
  "makefile",
  "gnumakefile",
  "dockerfile",
  "containerfile",
  "gemfile",
  "rakefile",
  "procfile",
  "brewfile",
  "vagrantfile",
  "jenkinsfile",
  "justfile",
  "caddyfile",
  "podfile",
  "pipfile",
  "license",
  "codeowners",
]);

/**
 * The longest path entry read (a path with its note): real paths are far shorter, and every
 * per-entry step is then bounded by a constant. Longer `files_modified` items are reported.
 */
export const MAX_ENTRY_CHARS = 1024;

export function isGlob(path: string): boolean {
  return /[*?]/.test(path) || BRACE_EXPANSION.test(path);
}

/** Placeholders become `*`, so `migrations/{ts}_init.sql` still conflicts with the real file. */
export function replacePlaceholders(path: string): string {
  return path.replace(PLACEHOLDER, "*");
}

export function isNotAPath(path: string): boolean {
  return NOT_A_PATH.has(path.toLowerCase());
}

export function basenameOf(path: string): string {
  const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

export function isExtensionlessFile(name: string): boolean {
  return EXTENSIONLESS_FILES.has(name.toLowerCase());
}

/** Ends in `.ext` where ext starts with a letter or digit: `a.ts`, `.env`, `x.d.ts`. */
export function hasExtension(name: string): boolean {
  return /\.[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name);
}

/**
 * Whether a word found among prose could be a path: it has a separator, an extension, a glob
 * character or a well-known extensionless name. Used only when text follows the word.
 */
export function looksLikePath(word: string): boolean {
  if (isNotAPath(word)) return false;
  return /[/\\]/.test(word) || hasExtension(word) || isGlob(word) || isExtensionlessFile(basenameOf(word));
}

/**
 * The literal text every match of `glob` starts with: everything before the first glob
 * character. Two patterns can only match a common path if one's prefix starts the other's.
 */
export function staticPrefix(glob: string): string {
  const i = glob.search(/[*?{]/);
  return i < 0 ? glob : glob.slice(0, i);
}

/** The directory part of the static prefix (`src/a/` for `src/a/b*.ts`, `` for `*.md`). */
export function staticDir(glob: string): string {
  const prefix = staticPrefix(glob);
  return prefix.slice(0, prefix.lastIndexOf("/") + 1);
}

/**
 * Escape what picomatch would read as syntax but plans mean literally: brackets and parentheses
 * (see file comment), extglob and negation markers, `"` (picomatch quoting) and regex anchors.
 */
export function toPicomatchPattern(glob: string): string {
  return glob.replace(/[()[\]!+@|"$^]/g, "\\$&");
}

/** `<!-- note -->` (an unclosed one runs to the end) replaced by a space; text without one as it is. */
export function blankComments(text: string): string {
  return text.includes("<!--") ? text.replace(/<!--[\s\S]*?(?:-->|$)/g, " ") : text;
}

/** Turn common HTML entities back into characters (plans are sometimes HTML-escaped). */
export function decodeEntities(text: string): string {
  // Every entity starts with `&`: most path text has none and is returned without five scans.
  if (!text.includes("&")) return text;
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
