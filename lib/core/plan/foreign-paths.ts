import { type PathEntry, normalizePathEntry } from "./path-entry";

/**
 * Paths from the author's machine: `C:/EV-Accounts/src/a.ts` or `/Users/x/proj/src/a.ts` in a
 * plan of a project checked out elsewhere. Such an entry is `outside` (see PathEntry), so it
 * would never order two plans. Two readings recover what it means:
 *
 * - A foreign root: when the tails under one prefix match what the project is known to hold
 *   (paths other plans of the phase name relatively, files under the planning directory, or
 *   project files the caller found), the prefix is the project root as the author's machine
 *   spelled it, and every entry under it is read relative to the project.
 * - As written: the same absolute path in two plans is the same file wherever it is (a test
 *   target in `/tmp`, a sibling checkout), so foreign entries are also compared with each other.
 *
 * "Consistently": a prefix is accepted when a tail under it lies in the planning directory (the
 * tree's own root is then spelled out), or when at least two different tails under it match
 * and they are at least a third of its files. One generic match (`package.json`), or two among
 * forty, is not enough; a prefix whose tails match nothing is never a root.
 */
export interface ForeignRoot {
  /** The prefix as written in the first entry found under it, without a trailing `/`. */
  prefix: string;
  /** Entries under the prefix whose tail matched, and all entries under it. */
  matched: number;
  total: number;
}

/** A home, drive, absolute or environment root, then the rest: `/a/b` -> `/` + `a/b`. */
const HEAD = /^(?:[A-Za-z]:\/|\/|~\/|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?\/|%[A-Za-z_][A-Za-z0-9_]*%\/)/;

/** The root and the project-like rest of a foreign entry, or undefined (`../x`, `<tmp>/x`). */
export function splitForeign(entry: PathEntry): { head: string; rest: string } | undefined {
  if (!entry.outside) return undefined;
  const head = HEAD.exec(entry.path)?.[0];
  if (head === undefined) return undefined;
  const rest = entry.path.slice(head.length);
  return rest === "" ? undefined : { head: /^[A-Za-z]:\/$/.test(head) ? head.toLowerCase() : head, rest };
}

/** The entry under its root read as a project-relative entry (same normalisation rules). */
export function asRelative(rest: string, raw: string): PathEntry | undefined {
  const e = normalizePathEntry(/\s/.test(rest) ? `"${rest}"` : rest);
  return e === undefined || e.outside ? undefined : { ...e, raw };
}

function segmentsOf(rest: string): string[] {
  return rest.split("/").filter((s) => s !== "");
}

/** Foreign roots among `entries` (outside entries of one phase); `known` says whether a relative path matches. */
export function detectForeignRoots(entries: readonly PathEntry[], known: (relative: string) => boolean, planningRoot = ".planning"): ForeignRoot[] {
  interface Tally {
    prefix: string;
    tails: Set<string>;
    entries: Set<string>;
    anchored: boolean;
  }
  const tallies = new Map<string, Tally>();
  const split = entries.flatMap((e) => {
    const s = splitForeign(e);
    return s && e.kind === "file" ? [{ ...s, path: e.path }] : [];
  });
  for (const { head, rest } of split) {
    const segs = segmentsOf(rest);
    // The longest matching tail wins for this entry: `src/a.ts` under `/p` before `a.ts` under `/p/src`.
    for (let k = 1; k < segs.length; k++) {
      const tail = segs.slice(k).join("/");
      const anchored = tail.startsWith(`${planningRoot}/`);
      if (!anchored && !known(tail)) continue;
      const prefix = head + segs.slice(0, k).join("/");
      const key = prefix.toLowerCase();
      let t = tallies.get(key);
      if (!t) tallies.set(key, (t = { prefix, tails: new Set(), entries: new Set(), anchored: false }));
      t.tails.add(tail);
      t.anchored ||= anchored;
      break;
    }
  }
  const roots: ForeignRoot[] = [];
  for (const [key, t] of tallies) {
    for (const { path } of split) if (path.toLowerCase().startsWith(`${key}/`)) t.entries.add(path);
    const total = t.entries.size;
    const matched = t.tails.size;
    if (t.anchored || (matched >= 2 && matched * 3 >= total)) roots.push({ prefix: t.prefix, matched, total });
  }
  // A root inside another accepted root is the same checkout seen deeper: keep the outer one.
  return roots.filter((r) => !roots.some((o) => o !== r && r.prefix.toLowerCase().startsWith(`${o.prefix.toLowerCase()}/`)));
}

/** The entry read relative to the project when it is under one of `roots`. */
export function rebaseOnRoots(entry: PathEntry, roots: readonly ForeignRoot[]): PathEntry | undefined {
  if (!entry.outside) return undefined;
  const lower = entry.path.toLowerCase();
  for (const r of roots) {
    const p = `${r.prefix.toLowerCase()}/`;
    if (lower.startsWith(p)) return asRelative(entry.path.slice(p.length), entry.raw);
  }
  return undefined;
}
