import type { DirectedView } from "./plan-graph";
import { type Diagnostic, diagnostic } from "../common/diagnostic";

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
  explicit: DirectedView,
  topo: readonly string[],
  fileOf: (id: string) => string | undefined,
  lineOf: (id: string) => number | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (conflicts.length === 0) return out;
  const pos = new Map(topo.map((id, i) => [id, i]));
  const isOrdered = topo.length <= BITSET_LIMIT ? ancestorTest(explicit, topo, pos) : (a: string, b: string) => ordered(explicit, pos, a, b);
  for (const c of conflicts) {
    if (isOrdered(c.from, c.to)) continue;
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

function ordered(g: DirectedView, pos: Map<string, number>, from: string, to: string): boolean {
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

/** Above this many plans the bitsets (n^2 / 8 bytes) would be too large; a bounded search is used. */
const BITSET_LIMIT = 20_000;

/**
 * Reachability for many pairs at once: each node's ancestors as a bitset, built in topological
 * order (a node's set is the union of its prerequisites' sets plus themselves).
 */
function ancestorTest(g: DirectedView, topo: readonly string[], pos: Map<string, number>): (from: string, to: string) => boolean {
  const words = Math.ceil(topo.length / 32);
  const anc = new Map<string, Uint32Array>();
  for (const id of topo) {
    const bits = new Uint32Array(words);
    const me = pos.get(id) ?? 0;
    for (const p of g.predecessors(id) ?? []) {
      const pp = pos.get(p) ?? Infinity;
      if (pp >= me) continue; // a back edge inside a cycle: cycles are reported elsewhere
      const pb = anc.get(p);
      if (pb) for (let w = 0; w < words; w++) bits[w] = (bits[w] as number) | (pb[w] as number);
      bits[pp >>> 5] = (bits[pp >>> 5] as number) | (1 << (pp & 31));
    }
    anc.set(id, bits);
  }
  return (from, to) => {
    const f = pos.get(from);
    const bits = anc.get(to);
    return f !== undefined && bits !== undefined && ((bits[f >>> 5] as number) & (1 << (f & 31))) !== 0;
  };
}
