import type { Graph } from "@dagrejs/graphlib";
import { type Diagnostic, diagnostic } from "./diagnostic";

/**
 * Two plans that modify the same file but are not ordered by anything their authors wrote
 * (depends_on or a plan/summary reference) would run at the same time under GSD's own wave
 * execution. gsd-async orders them anyway; the lint says so, so the author can make it explicit.
 *
 * `explicit` holds only authored edges and `topo` is its topological order, so a path from `a`
 * to `b` can only pass through nodes between them in `topo`: the search is bounded by that.
 */
export function lintWriteConflicts(
  conflicts: readonly { from: string; to: string; file: string }[],
  explicit: Graph,
  topo: readonly string[],
  fileOf: (id: string) => string | undefined,
  lineOf: (id: string) => number | undefined,
): Diagnostic[] {
  const pos = new Map(topo.map((id, i) => [id, i]));
  const out: Diagnostic[] = [];
  for (const c of conflicts) {
    if (ordered(explicit, pos, c.from, c.to)) continue;
    const where: { file?: string; line?: number } = {};
    const file = fileOf(c.to);
    const line = lineOf(c.to);
    if (file !== undefined) where.file = file;
    if (line !== undefined) where.line = line;
    out.push(
      diagnostic(
        "error",
        "write-conflict-undeclared",
        `${c.from} and ${c.to} both modify ${c.file} but neither depends on the other; gsd-async runs ${c.from} first (add depends_on: ["${c.from}"] to ${c.to} to make it explicit)`,
        where,
      ),
    );
  }
  return out;
}

function ordered(g: Graph, pos: Map<string, number>, from: string, to: string): boolean {
  const limit = pos.get(to) ?? Infinity;
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length > 0) {
    const node = stack.pop() as string;
    for (const s of g.successors(node) ?? []) {
      if (s === to) return true;
      if (!seen.has(s) && (pos.get(s) ?? Infinity) < limit) {
        seen.add(s);
        stack.push(s);
      }
    }
  }
  return false;
}
