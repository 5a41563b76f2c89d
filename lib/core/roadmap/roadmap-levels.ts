import type { DirectedView } from "../graph/plan-graph";

/**
 * Levels of a dependency graph: level 1 has no prerequisites, level n+1 waits for something
 * on level n (1 + the longest chain of prerequisites, as GSD numbers waves).
 *
 * Kahn's algorithm, so every node and edge is visited once: O(V + E). Each level is fixed the
 * moment a node's last prerequisite is placed, which is the memoisation a recursive "1 + max
 * of my prerequisites' levels" needs; without it, a chain of diamonds re-walks every path and
 * grows as 2^depth.
 *
 * Nodes that never reach in-degree 0 are on a cycle or wait, directly or not, for one. They
 * get no level and are returned as `stuck`: a cycle is never scheduled, not even first.
 */
export interface Levels {
  /** Topological order of the nodes that have a level (ties keep `nodes` order per level). */
  order: string[];
  level: Map<string, number>;
  /** On a cycle or downstream of one, in `nodes` order. */
  stuck: string[];
}

export function computeLevels(nodes: readonly string[], g: DirectedView): Levels {
  const indegree = new Map<string, number>();
  for (const id of nodes) indegree.set(id, 0);
  for (const id of nodes) {
    for (const s of g.successors(id) ?? []) {
      const d = indegree.get(s);
      if (d !== undefined) indegree.set(s, d + 1);
    }
  }
  const level = new Map<string, number>();
  const order: string[] = [];
  for (const id of nodes) {
    if (indegree.get(id) === 0) {
      order.push(id);
      level.set(id, 1);
    }
  }
  // `order` doubles as the FIFO queue: a node is appended once, when its last prerequisite
  // has been placed, so its level is final by then.
  for (let i = 0; i < order.length; i++) {
    const id = order[i] as string;
    const next = (level.get(id) as number) + 1;
    for (const s of g.successors(id) ?? []) {
      const d = indegree.get(s);
      if (d === undefined) continue;
      if ((level.get(s) ?? 0) < next) level.set(s, next);
      indegree.set(s, d - 1);
      if (d === 1) order.push(s);
    }
  }
  const stuck = order.length === nodes.length ? [] : nodes.filter((id) => indegree.get(id) !== 0);
  for (const id of stuck) level.delete(id);
  return { order, level, stuck };
}

/** Nodes grouped by level, each group in `nodes` order. */
export function groupByLevel(nodes: readonly string[], level: ReadonlyMap<string, number>): string[][] {
  const groups: string[][] = [];
  for (const id of nodes) {
    const l = level.get(id);
    if (l !== undefined) (groups[l - 1] ??= []).push(id);
  }
  return Array.from(groups, (g) => g ?? []);
}
