import { MAX_ENTRY_CHARS, blankComments, UNKNOWN_ROOT, decodeEntities, isGlob, isNotAPath, replacePlaceholders } from "./path-syntax";
import { extractPathToken, splitJoinedPaths, splitTopLevel } from "./path-token";

/**
 * One path a plan names (in `files_modified`, `<files>` or a context reference), normalised.
 *
 * Invariants of `path`: POSIX separators, no `.` segments, no empty segments, no `./` prefix;
 * `..` appears only at the start and only when `outside`. A `dir` path ends with `/`; the
 * project root itself, and `dir/**`, are expressed as their cover (`**` and `dir/`).
 * Placeholders the author left (`{timestamp}`, `<slug>`) become `*`, making the entry a glob.
 * For `outside` entries `path` keeps its root (`/abs/x`, `~/x`, `$HOME/x`, `../x`, `<tmp>/x`).
 * Normalising `path` again (quoted when it contains whitespace) gives the same entry.
 */
export interface PathEntry {
  raw: string;
  path: string;
  kind: "file" | "dir" | "glob";
  /** Absolute path not under the project, home/env-relative, unknown root, or escapes with `../`. */
  outside: boolean;
}

/** Roots we can recognise: drive, absolute, home, environment variable. */
const ROOT = /^(?:[A-Za-z]:\/|\/+|~(?=\/|$)|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?(?=\/|$)|%[A-Za-z_][A-Za-z0-9_]*%(?=\/|$))/;

function isAbsoluteRoot(prefix: string): boolean {
  return prefix.startsWith("/") || /^[A-Za-z]:\/$/.test(prefix);
}

/** `C:/x/` -> `c:/x`, `//a//b/` -> `/a/b`: the form absolute paths are compared in. */
function canonicalAbsolute(prefix: string, segments: readonly string[]): string {
  const head = /^[A-Za-z]:\/$/.test(prefix) ? prefix.toLowerCase() : "/";
  return head + segments.join("/");
}

/** Resolve `.`, `..` and empty segments. `escaped` counts `..` that climbed above the start. */
function resolveSegments(rest: string): { segments: string[]; escaped: number } {
  const segments: string[] = [];
  let escaped = 0;
  for (const seg of rest.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg !== "..") segments.push(seg);
    else if (segments.length > 0) segments.pop();
    else escaped++;
  }
  return { segments, escaped };
}

function rootSegments(projectRootAbs: string): string | undefined {
  const p = projectRootAbs.replace(/\\/g, "/");
  const prefix = ROOT.exec(p)?.[0] ?? "";
  if (!isAbsoluteRoot(prefix)) return undefined;
  return canonicalAbsolute(prefix, resolveSegments(p.slice(prefix.length)).segments);
}

/** Classify an already-resolved path and apply the cover rules from the interface comment. */
function classify(joined: string, isDir: boolean): { path: string; kind: PathEntry["kind"] } {
  if (joined === "") return { path: "**", kind: "glob" };
  if (isGlob(joined)) {
    let glob = isDir ? `${joined}/**` : joined;
    const base = glob.replace(/\/\*\*(?:\/\*)?$/, "");
    if (base !== glob && !isGlob(base)) return { path: `${base}/`, kind: "dir" };
    if (glob === "**/*") glob = "**";
    return { path: glob, kind: "glob" };
  }
  return isDir ? { path: `${joined}/`, kind: "dir" } : { path: joined, kind: "file" };
}

/**
 * Normalise one hand-written entry (see path-token for how notes, comments and quotes are
 * removed). `projectRootAbs` lets absolute paths under the project become relative; without
 * it every absolute path is `outside`. Undefined for empty, comment-only and non-path entries.
 */
// Real phases repeat the same entries (package.json, shared modules) across many plans, and the
// function is pure: results are memoised. Entries are treated as immutable by every caller.
const memo = new Map<string, Map<string, PathEntry | null>>();
// Most entries never reach an absolute root, and then the project root plays no part: those
// results are kept once for every root, so an entry normalised without the root (splitting a
// `<files>` list, an `@` reference) is not normalised again with it (reading that list's paths).
const anyRoot = new Map<string, PathEntry | null>();
let memoSize = 0;
const MEMO_LIMIT = 200_000;
/** Set when a normalisation read the project root (see normalizeOnce). */
let usedRoot = false;

export function normalizePathEntry(raw: string, projectRootAbs?: string): PathEntry | undefined {
  const shared = anyRoot.get(raw);
  if (shared !== undefined) return shared ?? undefined;
  const root = projectRootAbs ?? "";
  let forRoot = memo.get(root);
  if (!forRoot) memo.set(root, (forRoot = new Map()));
  const hit = forRoot.get(raw);
  if (hit !== undefined) return hit ?? undefined;
  if (++memoSize > MEMO_LIMIT) {
    memo.clear();
    anyRoot.clear();
    memoSize = 0;
    memo.set(root, forRoot);
    forRoot.clear();
  }
  usedRoot = false;
  const entry = normalizeUncached(raw, projectRootAbs);
  (usedRoot ? forRoot : anyRoot).set(raw, entry ?? null);
  return entry;
}

function normalizeUncached(raw: string, projectRootAbs?: string): PathEntry | undefined {
  // Cleaning can expose more to clean (`.\[` -> `[`), so apply it until the path is stable;
  // each round only removes text, so this ends quickly.
  let entry = normalizeOnce(raw, projectRootAbs);
  for (let round = 0; entry !== undefined && round < 4; round++) {
    const again = normalizeOnce(asWritten(entry.path), projectRootAbs);
    if (again?.path === entry.path && again.kind === entry.kind && again.outside === entry.outside) break;
    entry = again && { ...again, raw };
  }
  return entry;
}

/** A path in the form normalisation reads back unchanged: quoted when it contains spaces. */
function asWritten(path: string): string {
  return /\s/.test(path) ? `"${path}"` : path;
}

function normalizeOnce(raw: string, projectRootAbs?: string): PathEntry | undefined {
  const token = extractPathToken(raw);
  if (token === undefined) return undefined;
  const p = token.replace(/\\/g, "/");
  const isDir = /(?:^|\/)\.{0,2}$/.test(p); // trailing `/`, `/.`, `/..`, or `.`/`..` alone
  const prefix = ROOT.exec(p)?.[0] ?? "";
  const { segments, escaped } = resolveSegments(p.slice(prefix.length));

  // `head` is the root an outside path hangs from; inside paths have none.
  let head = "";
  let relative = segments;
  if (prefix === "") {
    head = "../".repeat(escaped);
  } else if (isAbsoluteRoot(prefix)) {
    usedRoot = true;
    const abs = canonicalAbsolute(prefix, segments);
    const root = projectRootAbs === undefined ? undefined : rootSegments(projectRootAbs);
    const under = root !== undefined && (abs === root || abs.startsWith(root === "/" ? "/" : `${root}/`));
    if (under)
      relative = abs
        .slice(root.length)
        .split("/")
        .filter((s) => s !== "");
    else head = abs.slice(0, abs.length - segments.join("/").length);
  } else {
    head = `${prefix}/`; // home or environment-relative: unresolvable without the environment
  }
  const outside = head !== "" || (prefix === "" && UNKNOWN_ROOT.test(segments.join("/")));

  const joined = replacePlaceholders(relative.join("/"));
  if (outside && joined === "") return { raw, path: head, kind: "dir", outside };
  const { path, kind } = classify(joined, isDir);
  // Outside paths are only reported, never matched: keep them as written, placeholders included.
  if (outside) return { raw, path: head + relative.join("/") + (isDir ? "/" : ""), kind, outside };
  // Checked again after normalising, so that `./none` or `./(note)` stay dropped when re-read.
  if (isNotAPath(path.replace(/\/$/, "")) || /^\([^/]*\)$/.test(path)) return undefined;
  return { raw, path, kind, outside };
}

/**
 * Paths named in the text of a `<files>` element, cleaned of bullets, quotes and notes, in
 * order. Accepts one per line, comma-separated (commas inside `{}`/`()` do not split), bullet
 * lines, an inline `[a, b]` list, and `a -> b + c` phrases. Prose yields nothing.
 */
const splitMemo = new Map<string, readonly string[]>();

/** Pure, so memoised like `normalizePathEntry`: the same `<files>` text recurs across tasks. */
export function splitFilesText(text: string): string[] {
  const hit = splitMemo.get(text);
  if (hit) return [...hit];
  if (splitMemo.size >= MEMO_LIMIT) splitMemo.clear();
  const out = splitFilesUncached(text);
  splitMemo.set(text, out);
  return [...out];
}

function splitFilesUncached(text: string): string[] {
  let body = blankComments(decodeEntities(text)).trim();
  if (/^\[[\s\S]*\]$/.test(body) && (body.includes(",") || body === "[]")) body = body.slice(1, -1);
  const out: string[] = [];
  for (const rawLine of body.split(/\r?\n/)) {
    const line = rawLine
      .trim()
      .replace(/^(?:[-*+•]|\d+[.)])\s+/, "")
      .replace(/(?:^|\s)#.*$/, "");
    if (line.length > 16 * MAX_ENTRY_CHARS) continue; // not a list of paths: prose or noise
    for (const piece of splitTopLevel(line, ",")) {
      if (piece.length > MAX_ENTRY_CHARS) continue;
      for (const part of splitJoinedPaths(piece.trim())) {
        const token = extractPathToken(part);
        if (token !== undefined && normalizePathEntry(token) !== undefined) out.push(token);
      }
    }
  }
  return out;
}
