import { compileGlob, runGlob } from "./glob-match";
import type { PathEntry } from "./path-entry";
import { staticPrefix } from "./path-syntax";

/**
 * Whether two normalised entries can name a common file, and glob matching for one path.
 *
 * Exact where it is cheap to be: file/file, dir/file, dir/dir, glob/file. Glob/glob and
 * glob/dir are decided by static prefixes (the literal text before the first glob character):
 * every path a glob matches starts with its static prefix, so if two entries share a path, one
 * prefix starts the other. The converse does not hold (`src/*.ts` and `src/*.md` "overlap"),
 * which is the safe direction: an uncertain pair is ordered, never run together.
 */

export type PathMatcher = (path: string) => boolean;

const compiled = new Map<string, PathMatcher>();
const COMPILED_LIMIT = 50_000;

/**
 * A matcher for a normalised glob (dot files included), linear in the path's length (see
 * glob-match). Memoised; never throws.
 */
export function globMatcher(glob: string): PathMatcher {
  let m = compiled.get(glob);
  if (m === undefined) {
    const automaton = compileGlob(glob);
    if (automaton === undefined) {
      // Too large to compile: it still covers at most what its literal prefix allows.
      const prefix = staticPrefix(glob);
      m = (path) => path.startsWith(prefix);
    } else m = (path) => runGlob(automaton, path).matched;
    if (compiled.size >= COMPILED_LIMIT) compiled.clear();
    compiled.set(glob, m);
  }
  return m;
}

/** `dir` ends with `/`; a dir covers itself and everything below it. */
function dirCovers(dir: string, path: string): boolean {
  return path.startsWith(dir) || `${path}/` === dir;
}

function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** Whether `entry` covers the normalised path `path` (a file, or a dir ending with `/`). */
export function covers(entry: PathEntry, path: string): boolean {
  if (entry.outside) return false;
  switch (entry.kind) {
    case "file":
      return entry.path === path;
    case "dir":
      return dirCovers(entry.path, path);
    case "glob":
      return path.endsWith("/") ? prefixesOverlap(staticPrefix(entry.path), path) : globMatcher(entry.path)(path);
  }
}

/** Whether some file could be named by both entries. Entries outside the project never overlap. */
export function overlaps(a: PathEntry, b: PathEntry): boolean {
  if (a.outside || b.outside) return false;
  if (a.kind === "file") return covers(b, a.path);
  if (b.kind === "file") return covers(a, b.path);
  return prefixesOverlap(literalPrefix(a), literalPrefix(b));
}

/** A dir's own path (it may contain `{` literally), or a glob's static prefix. */
function literalPrefix(entry: PathEntry): string {
  return entry.kind === "glob" ? staticPrefix(entry.path) : entry.path;
}
