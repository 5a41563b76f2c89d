import { compareText } from "../common/compare-text";
import type { PathEntry } from "./path-entry";
import { type PathMatcher, globMatcher, overlaps } from "./path-overlap";
import { staticDir, staticPrefix } from "./path-syntax";

export { overlaps } from "./path-overlap";

/** A path some plan writes: `owner` is the plan key. */
export interface OwnedEntry {
  owner: string;
  entry: PathEntry;
}

interface GlobRecord {
  owner: string;
  entry: PathEntry;
  match: PathMatcher;
}

interface KeyedRecord {
  /** File or dir path, or a glob's static prefix: every path the entry covers starts with it. */
  key: string;
  owner: string;
  entry: PathEntry;
}

/**
 * Which plans write a given path, answered without comparing against every entry.
 *
 * Files sit in a hash map; dirs in a map keyed by `dir/`, found by walking the queried path's
 * ancestors; globs are grouped by their static directory (`src/a/` for `src/a/**\/*.ts`) so a
 * query only runs the globs grouped at one of its ancestors. A query therefore costs
 * O(depth + globs on its ancestor chain). Entries outside the project are never indexed.
 * Results list each owner once, in the order owners were first added (deterministic output).
 */
export class WriteIndex {
  private readonly files = new Map<string, string[]>();
  private readonly dirs = new Map<string, string[]>();
  private readonly globs = new Map<string, GlobRecord[]>();
  private readonly records: KeyedRecord[] = [];
  private readonly rank = new Map<string, number>();
  /** `records` sorted by key, built on the first entry-level query after an add. */
  private sorted: KeyedRecord[] | undefined;

  constructor(entries: Iterable<OwnedEntry> = []) {
    for (const { owner, entry } of entries) this.add(owner, entry);
  }

  add(owner: string, entry: PathEntry): void {
    if (entry.outside) return;
    if (!this.rank.has(owner)) this.rank.set(owner, this.rank.size);
    if (entry.kind === "file") push(this.files, entry.path, owner);
    else if (entry.kind === "dir") push(this.dirs, entry.path, owner);
    else push(this.globs, staticDir(entry.path), { owner, entry, match: globMatcher(entry.path) });
    const key = entry.kind === "glob" ? staticPrefix(entry.path) : entry.path;
    this.records.push({ key, owner, entry });
    this.sorted = undefined;
  }

  /**
   * Owners whose entry covers the normalised project-relative `path`: the same file, a dir
   * above it, or a glob matching it. A path ending with `/` is a directory: see `matchEntry`.
   */
  match(path: string): string[] {
    if (path.endsWith("/")) return this.matchEntry({ raw: path, path, kind: "dir", outside: false });
    const found = new Set<string>(this.files.get(path));
    for (const owner of this.dirs.get(`${path}/`) ?? []) found.add(owner);
    for (const dir of ancestors(path)) {
      for (const owner of this.dirs.get(dir) ?? []) found.add(owner);
      for (const g of this.globs.get(dir) ?? []) if (g.match(path)) found.add(g.owner);
    }
    return this.ordered(found);
  }

  /**
   * Owners with an entry that `overlaps` the given one (see path-overlap for glob rules).
   * Dirs and globs also meet entries below them, found by a range scan over sorted keys.
   */
  matchEntry(entry: PathEntry): string[] {
    if (entry.outside) return [];
    if (entry.kind === "file") return this.match(entry.path);
    const prefix = entry.kind === "glob" ? staticPrefix(entry.path) : entry.path;
    const found = new Set<string>();
    // Above: a dir on the prefix's ancestor chain contains everything the entry names; a glob
    // anchored there may (its static prefix may start ours). Below: keys starting with ours.
    for (const dir of ancestors(prefix)) {
      for (const owner of this.dirs.get(dir) ?? []) found.add(owner);
      for (const g of this.globs.get(dir) ?? []) if (overlaps(entry, g.entry)) found.add(g.owner);
    }
    for (const r of this.below(prefix)) if (overlaps(entry, r.entry)) found.add(r.owner);
    // A file entry `lib` names the same node as the dir `lib/` (see path-overlap `dirCovers`).
    if (entry.kind === "dir") for (const owner of this.files.get(prefix.slice(0, -1)) ?? []) found.add(owner);
    return this.ordered(found);
  }

  /** Records whose key starts with `prefix`, by binary search on the sorted keys. */
  private below(prefix: string): KeyedRecord[] {
    this.sorted ??= [...this.records].sort((a, b) => compareText(a.key, b.key));
    const sorted = this.sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid]?.key ?? "") < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: KeyedRecord[] = [];
    for (let i = lo; i < sorted.length; i++) {
      const r = sorted[i];
      if (r === undefined || !r.key.startsWith(prefix)) break;
      out.push(r);
    }
    return out;
  }

  private ordered(owners: Set<string>): string[] {
    return [...owners].sort((a, b) => (this.rank.get(a) ?? 0) - (this.rank.get(b) ?? 0));
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** `a/b/c.ts` -> ``, `a/`, `a/b/`; `a/b/` -> ``, `a/`, `a/b/` (a dir is its own ancestor). */
function ancestors(path: string): string[] {
  const out = [""];
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) out.push(path.slice(0, i + 1));
  return out;
}
