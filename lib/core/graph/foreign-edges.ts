import { type Diagnostic, diagnostic } from "../common/diagnostic";
import { asRelative, detectForeignRoots, rebaseOnRoots, splitForeign } from "../plan/foreign-paths";
import type { PathEntry } from "../plan/path-entry";
import type { PlanDoc, ReadRef } from "../plan/plan-doc";
import type { PlanningTree } from "../plan/planning-tree";
import type { EdgePlan } from "./edges";

export interface ForeignInput {
  id: string;
  file: string;
  doc: PlanDoc | undefined;
}

export interface ForeignPaths {
  /** Per plan: its own entries plus the foreign ones read relative to the project. */
  plans: EdgePlan[];
  /** `owner\0path` of the entries that came through a foreign root. */
  rebased: Set<string>;
  /** Per plan id: the reads that came through a foreign root (for plan and summary references). */
  rebasedReads: Map<string, ReadRef[]>;
  /** Foreign entries left as written, grouped by root (`/`, `c:/`, `~/`), rest relative to it. */
  asWritten: { head: string; plans: EdgePlan[] }[];
}

/**
 * Relates the plans' foreign paths (see foreign-paths) to the project: roots are found from what
 * the phase's plans name relatively, the planning directory's name and `projectFiles`
 * (paths the caller knows exist); one `foreign-root` note per root and phase says so. What no
 * root explains stays as written, with one `path-outside-project` warning per entry.
 */
export function resolveForeignPaths(
  work: readonly ForeignInput[],
  tree: PlanningTree,
  projectFiles: ReadonlySet<string> | undefined,
  diagnostics: Diagnostic[],
): ForeignPaths {
  const relative = new Set<string>();
  for (const w of work) {
    for (const e of w.doc?.filesModified ?? []) if (e.kind === "file") relative.add(e.path);
    for (const r of w.doc?.reads ?? []) relative.add(r.path);
  }
  const known = (tail: string) => relative.has(tail) || (projectFiles?.has(tail) ?? false);
  const all: PathEntry[] = work.flatMap((w) => [...(w.doc?.foreignWrites ?? []), ...(w.doc?.foreignReads ?? []).map((r) => r.entry)]);
  const roots = all.length === 0 ? [] : detectForeignRoots(all, known, tree.root);

  for (const r of roots) {
    const first = work.find((w) => [...(w.doc?.foreignWrites ?? []), ...(w.doc?.foreignReads ?? []).map((x) => x.entry)].some((e) => rebaseOnRoots(e, [r])));
    diagnostics.push(
      diagnostic(
        "info",
        "foreign-root",
        `paths starting with ${r.prefix}/ are read as project paths: ${r.matched} of the ${r.total} files named under it match files of the project or other plans`,
        first ? { file: first.file, line: first.doc?.keyLines.files_modified } : {},
      ),
    );
  }

  const rebased = new Set<string>();
  const rebasedReads = new Map<string, ReadRef[]>();
  const groups = new Map<string, Map<string, EdgePlan>>();
  const groupPlan = (head: string, id: string): EdgePlan & { writes: PathEntry[]; reads: { path: string; line: number }[] } => {
    let g = groups.get(head);
    if (!g) groups.set(head, (g = new Map()));
    let p = g.get(id) as (EdgePlan & { writes: PathEntry[]; reads: { path: string; line: number }[] }) | undefined;
    if (!p) g.set(id, (p = { id, writes: [], reads: [] }));
    return p;
  };
  const plans: EdgePlan[] = work.map((w) => {
    const writes: PathEntry[] = [...(w.doc?.filesModified ?? [])];
    const reads = [...(w.doc?.reads ?? [])].map((r) => ({ path: r.path, line: r.line }));
    for (const e of w.doc?.foreignWrites ?? []) {
      const inside = rebaseOnRoots(e, roots);
      if (inside) {
        writes.push(inside);
        rebased.add(`${w.id}\u0000${inside.path}`);
        continue;
      }
      diagnostics.push(
        diagnostic(
          "warning",
          "path-outside-project",
          `files_modified entry '${e.raw}' is outside the project; it orders plans only against the same path in other plans`,
          {
            file: w.file,
            line: w.doc?.keyLines.files_modified,
          },
        ),
      );
      const s = splitForeign(e);
      const rel = s && asRelative(s.rest, e.raw);
      if (s && rel) groupPlan(s.head, w.id).writes.push(rel);
    }
    for (const r of w.doc?.foreignReads ?? []) {
      const inside = rebaseOnRoots(r.entry, roots);
      if (inside) {
        reads.push({ path: inside.path, line: r.line });
        rebased.add(`${w.id}\u0000${inside.path}`);
        rebasedReads.set(w.id, [...(rebasedReads.get(w.id) ?? []), { path: inside.path, line: r.line, via: r.via, rebased: true }]);
        continue;
      }
      const s = splitForeign(r.entry);
      const rel = s && asRelative(s.rest, r.entry.raw);
      if (s && rel) groupPlan(s.head, w.id).reads.push({ path: rel.path, line: r.line });
    }
    return { id: w.id, writes, reads };
  });
  const asWritten = [...groups].map(([head, g]) => ({ head, plans: [...g.values()] }));
  return { plans, rebased, rebasedReads, asWritten };
}
