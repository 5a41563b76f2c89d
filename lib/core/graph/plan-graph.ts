import { Graph, alg } from "@dagrejs/graphlib";
import { MinHeap } from "../common/min-heap";

/**
 * The dependency graph of one phase, over short plan ids, built on graphlib. `order` is plan
 * order (the tie-breaker everywhere), edges point from prerequisite to dependent.
 */
export interface GraphInput {
  order: readonly string[];
  edges: readonly { from: string; to: string }[];
}

/** The part of a directed graph the algorithms below read: graphlib's Graph, or `Adjacency`. */
export interface DirectedView {
  predecessors(v: string): string[] | undefined;
  successors(v: string): string[] | undefined;
}

/**
 * Plain adjacency lists, for intermediate graphs that only need ordering and reachability:
 * building a graphlib Graph costs several microseconds per edge, which matters at 10,000 plans.
 */
export class Adjacency implements DirectedView {
  private readonly preds = new Map<string, string[]>();
  private readonly succs = new Map<string, string[]>();

  constructor(input: GraphInput) {
    for (const id of input.order) {
      this.preds.set(id, []);
      this.succs.set(id, []);
    }
    const seen = new Set<string>();
    for (const e of input.edges) {
      const key = `${e.from}\u0000${e.to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.succs.get(e.from)?.push(e.to);
      this.preds.get(e.to)?.push(e.from);
    }
  }

  predecessors(v: string): string[] | undefined {
    return this.preds.get(v);
  }

  successors(v: string): string[] | undefined {
    return this.succs.get(v);
  }
}

export function buildGraph(input: GraphInput): Graph {
  const g = new Graph({ directed: true });
  for (const id of input.order) g.setNode(id);
  for (const e of input.edges) g.setEdge(e.from, e.to);
  return g;
}

/** Each cycle as a closed path in plan order, e.g. `["02-01", "02-03", "02-01"]`. */
export function findCycles(g: Graph, order: readonly string[]): string[][] {
  const rank = new Map(order.map((id, i) => [id, i]));
  const byRank = (a: string, b: string) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0);
  const cycles: string[][] = [];
  for (const scc of alg.findCycles(g)) {
    const members = new Set(scc);
    const start = [...scc].sort(byRank)[0];
    if (start === undefined) continue;
    // Shortest way back to the start inside the strongly connected component (BFS), so the
    // named cycle is a real closed path and as short as possible.
    const parent = new Map<string, string>();
    const queue = [start];
    let last: string | undefined;
    for (let i = 0; i < queue.length && last === undefined; i++) {
      const node = queue[i] as string;
      const next: string[] = (g.successors(node) ?? []).filter((x) => members.has(x)).sort(byRank);
      for (const x of next) {
        if (x === start) {
          last = node;
          break;
        }
        if (!parent.has(x)) {
          parent.set(x, node);
          queue.push(x);
        }
      }
    }
    const path: string[] = [];
    for (let n = last; n !== undefined && n !== start; n = parent.get(n)) path.unshift(n);
    path.unshift(start);
    cycles.push([...path, start]);
  }
  return cycles.sort((a, b) => byRank(a[0] ?? "", b[0] ?? ""));
}

/**
 * Topological order that keeps plan order wherever dependencies allow (Kahn's algorithm, the
 * lowest plan index first). Nodes on cycles cannot be ordered; they follow in plan order.
 */
export function topoOrder(g: DirectedView, order: readonly string[]): string[] {
  const rank = new Map(order.map((id, i) => [id, i]));
  const indegree = new Map(order.map((id) => [id, (g.predecessors(id) ?? []).length]));
  const ready = new MinHeap<number>((a, b) => a < b);
  order.forEach((id, i) => indegree.get(id) === 0 && ready.push(i));
  const out: string[] = [];
  while (ready.size > 0) {
    const id = order[ready.pop() as number] as string;
    out.push(id);
    for (const s of g.successors(id) ?? []) {
      const d = (indegree.get(s) ?? 0) - 1;
      indegree.set(s, d);
      if (d === 0) ready.push(rank.get(s) ?? 0);
    }
  }
  if (out.length < order.length) {
    const placed = new Set(out);
    for (const id of order) if (!placed.has(id)) out.push(id);
  }
  return out;
}

/** True when some edge points backwards in `topo`: only possible when the graph has a cycle. */
export function hasBackEdge(g: DirectedView, topo: readonly string[]): boolean {
  const pos = new Map(topo.map((id, i) => [id, i]));
  for (const id of topo) {
    const me = pos.get(id) ?? 0;
    for (const s of g.successors(id) ?? []) if ((pos.get(s) ?? Infinity) <= me) return true;
  }
  return false;
}

/**
 * Waves as GSD numbers them: 1 + the longest chain of prerequisites. Edges that go backwards
 * in `topo` (only possible inside a cycle) are ignored so every node still gets a wave.
 */
export function waveLevels(g: DirectedView, topo: readonly string[]): Map<string, number> {
  const pos = new Map(topo.map((id, i) => [id, i]));
  const wave = new Map<string, number>();
  for (const id of topo) {
    let w = 1;
    for (const p of g.predecessors(id) ?? []) {
      if ((pos.get(p) ?? Infinity) < (pos.get(id) ?? 0)) w = Math.max(w, (wave.get(p) ?? 1) + 1);
    }
    wave.set(id, w);
  }
  return wave;
}

/** Longest path by weight (minutes); ties keep the earlier plan. */
export function criticalPath(g: DirectedView, topo: readonly string[], weight: (id: string) => number): { path: string[]; minutes: number } {
  const pos = new Map(topo.map((id, i) => [id, i]));
  const finish = new Map<string, number>();
  const via = new Map<string, string>();
  let best: string | undefined;
  for (const id of topo) {
    let start = 0;
    for (const p of g.predecessors(id) ?? []) {
      const f = finish.get(p);
      if (f !== undefined && (pos.get(p) ?? Infinity) < (pos.get(id) ?? 0) && f > start) {
        start = f;
        via.set(id, p);
      }
    }
    const f = start + weight(id);
    finish.set(id, f);
    if (best === undefined || f > (finish.get(best) ?? 0)) best = id;
  }
  const path: string[] = [];
  for (let n = best; n !== undefined; n = via.get(n)) path.unshift(n);
  return { path, minutes: best === undefined ? 0 : (finish.get(best) ?? 0) };
}

/**
 * Edges not implied by a longer path, for pictures. Reachability is computed once per node as
 * a set of descendants in reverse topological order, so this is O(V * E) at worst and only
 * used for display.
 */
export function transitiveReduction(g: DirectedView, topo: readonly string[]): { from: string; to: string }[] {
  const pos = new Map(topo.map((id, i) => [id, i]));
  const reach = new Map<string, Set<string>>();
  const kept: { from: string; to: string }[] = [];
  for (let i = topo.length - 1; i >= 0; i--) {
    const id = topo[i] as string;
    const succ = (g.successors(id) ?? []).filter((s) => (pos.get(s) ?? -1) > i);
    succ.sort((a, b) => (pos.get(a) ?? 0) - (pos.get(b) ?? 0));
    const covered = new Set<string>();
    for (const s of succ) {
      if (!covered.has(s)) kept.push({ from: id, to: s });
      covered.add(s);
      for (const d of reach.get(s) ?? []) covered.add(d);
    }
    reach.set(id, covered);
  }
  return kept.sort((a, b) => (pos.get(a.from) ?? 0) - (pos.get(b.from) ?? 0) || (pos.get(a.to) ?? 0) - (pos.get(b.to) ?? 0));
}
