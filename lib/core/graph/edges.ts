import { PLANNING_DIR } from "../plan/planning-tree";
import type { PathEntry } from "../plan/path-entry";
import { WriteIndex } from "../plan/path-index";

/** Why one plan must wait for another. Every edge carries at least one. */
export type EdgeKind = "declared" | "plan-ref" | "summary-ref" | "read-after-write" | "write-conflict" | "cross-phase" | "prose";

/**
 * How an inferred reason was found when the text did not say it literally: a reference read in
 * the phase's new directory (`moved-phase`), or a path of the author's machine read relative to
 * the project (`foreign-root`) or compared as written with another plan's (`foreign-path`).
 */
export type ReasonVia = "moved-phase" | "foreign-root" | "foreign-path";

export interface EdgeReason {
  kind: EdgeKind;
  /** The file behind an inferred reason, or the referenced plan/summary file. */
  file?: string;
  /** Line in the dependent plan where the reason is written, when there is one. */
  line?: number;
  via?: ReasonVia;
  /** For `prose`: the sentence of the dependent plan that names the prerequisite. */
  text?: string;
}

export interface PlanEdge {
  from: string;
  to: string;
  reasons: EdgeReason[];
}

/** What edge inference needs to know about each plan of the phase. */
export interface EdgePlan {
  id: string;
  writes: readonly PathEntry[];
  reads: readonly { path: string; line: number }[];
}

/** How file reasons are labelled when the paths came from the author's machine (see foreign-paths). */
export interface FileNote {
  /** Every reason gets this `via` (paths compared as written, under one foreign root). */
  via?: ReasonVia;
  /** `owner\0path` of entries read relative to the project through a foreign root. */
  rebased?: ReadonlySet<string>;
  /** The path as reasons show it (the foreign root put back). */
  display?: (path: string) => string;
}

/**
 * Paths under `.planning/` are bookkeeping every GSD executor updates after each plan
 * (STATE.md, ROADMAP.md, REQUIREMENTS.md): counting them would serialise every phase. Plan
 * and summary files there become `plan-ref`/`summary-ref` edges instead.
 */
export function isBookkeeping(path: string): boolean {
  return path === PLANNING_DIR || path.startsWith(`${PLANNING_DIR}/`);
}

export class EdgeSet {
  private readonly byKey = new Map<string, PlanEdge>();

  add(from: string, to: string, reason: EdgeReason): void {
    if (from === to) return;
    const key = `${from}\u0000${to}`;
    let edge = this.byKey.get(key);
    if (!edge) {
      edge = { from, to, reasons: [] };
      this.byKey.set(key, edge);
    }
    if (!edge.reasons.some((r) => r.kind === reason.kind && r.file === reason.file)) edge.reasons.push(reason);
  }

  has(from: string, to: string): boolean {
    return this.byKey.has(`${from}\u0000${to}`);
  }

  list(): PlanEdge[] {
    return [...this.byKey.values()];
  }
}

/**
 * Adds `read-after-write` and `write-conflict` edges. `topo` is a topological order of the
 * explicit (declared and referenced) edges with ties in plan order; every inferred edge points
 * forward in it, so inference can never create a cycle, and it never overrides the order the
 * author declared (a plan that declares it depends on a later-numbered one keeps that order).
 *
 * Writers of one file are chained in that order (w1 -> w2 -> w3), which orders every pair
 * transitively without k^2 edges; a reader is placed after the nearest writer before it and
 * before the nearest writer after it. Returns the write-conflict pairs for the caller to lint.
 */
export function inferFileEdges(
  plans: readonly EdgePlan[],
  topo: readonly string[],
  edges: EdgeSet,
  note: FileNote = {},
): { from: string; to: string; file: string }[] {
  const show = note.display ?? ((p: string) => p);
  const reason = (kind: EdgeKind, path: string, owners: readonly string[], line?: number): EdgeReason => {
    const r: EdgeReason = { kind, file: show(path) };
    if (line !== undefined) r.line = line;
    const via = note.via ?? (owners.some((o) => note.rebased?.has(`${o}\u0000${path}`)) ? "foreign-root" : undefined);
    if (via !== undefined) r.via = via;
    return r;
  };
  const pos = new Map(topo.map((id, i) => [id, i]));
  const at = (id: string) => pos.get(id) ?? 0;
  const index = new WriteIndex(plans.flatMap((p) => p.writes.filter((w) => !w.outside && !isBookkeeping(w.path)).map((entry) => ({ owner: p.id, entry }))));
  const conflicts: { from: string; to: string; file: string }[] = [];
  const seenPair = new Set<string>();
  const conflict = (a: string, b: string, file: string) => {
    const [from, to] = at(a) < at(b) ? [a, b] : [b, a];
    edges.add(from, to, reason("write-conflict", file, [a, b]));
    const key = `${from}\u0000${to}`;
    if (!seenPair.has(key)) {
      seenPair.add(key);
      conflicts.push({ from, to, file: show(file) });
    }
  };

  // Exact files: chain the writers of each path.
  const writersOf = new Map<string, Set<string>>();
  const patterned: { owner: string; entry: PathEntry }[] = [];
  for (const p of plans) {
    for (const w of p.writes) {
      if (w.outside || isBookkeeping(w.path)) continue;
      if (w.kind === "file") {
        let set = writersOf.get(w.path);
        if (!set) writersOf.set(w.path, (set = new Set()));
        set.add(p.id);
      } else {
        patterned.push({ owner: p.id, entry: w });
      }
    }
  }
  for (const [file, set] of writersOf) {
    const chain = [...set].sort((a, b) => at(a) - at(b));
    for (let i = 1; i < chain.length; i++) conflict(chain[i - 1] as string, chain[i] as string, file);
  }
  // Directories and globs: the index finds every entry they overlap (files and other patterns).
  // Two overlapping patterns find each other; one reason per pair is enough.
  const patternPairs = new Set<string>();
  for (const a of patterned) {
    for (const owner of index.matchEntry(a.entry)) {
      const key = a.owner < owner ? `${a.owner}\u0000${owner}` : `${owner}\u0000${a.owner}`;
      if (owner === a.owner || patternPairs.has(key)) continue;
      patternPairs.add(key);
      conflict(a.owner, owner, a.entry.path);
    }
  }

  for (const reader of plans) {
    const own = new Set(reader.writes.map((w) => w.path));
    const done = new Set<string>();
    for (const r of reader.reads) {
      if (isBookkeeping(r.path) || own.has(r.path) || done.has(r.path)) continue;
      done.add(r.path);
      const writers = index.match(r.path).filter((w) => w !== reader.id);
      if (writers.length === 0) continue;
      const me = at(reader.id);
      let before: string | undefined;
      let after: string | undefined;
      for (const w of writers) {
        const p = at(w);
        if (p < me && (before === undefined || p > at(before))) before = w;
        if (p > me && (after === undefined || p < at(after))) after = w;
      }
      if (before !== undefined) edges.add(before, reader.id, reason("read-after-write", r.path, [before, reader.id], r.line));
      if (after !== undefined) edges.add(reader.id, after, reason("read-after-write", r.path, [reader.id, after]));
    }
  }
  return conflicts;
}
