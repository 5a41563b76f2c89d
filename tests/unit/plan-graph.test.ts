import fc from "fast-check";
import type { Graph } from "@dagrejs/graphlib";
import { buildGraph, criticalPath, findCycles, topoOrder, transitiveReduction, waveLevels } from "../../lib/core/graph/plan-graph";

type Edge = { from: string; to: string };
const E = (spec: string): Edge[] =>
  spec
    .split(/\s+/)
    .filter((s) => s !== "")
    .map((pair) => {
      const [from, to] = pair.split(">") as [string, string];
      return { from, to };
    });
const graph = (order: string[], spec: string) => buildGraph({ order, edges: E(spec) });

/** Every node reachable from `from` by one or more edges. */
function reachable(edges: readonly Edge[], from: string): Set<string> {
  const out = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const n = stack.pop() as string;
    for (const e of edges) if (e.from === n && !out.has(e.to)) (out.add(e.to), stack.push(e.to));
  }
  return out;
}
function hasCycle(order: readonly string[], edges: readonly Edge[]): boolean {
  return order.some((n) => reachable(edges, n).has(n));
}

describe("buildGraph", () => {
  it("has every plan as a node, isolated ones included, and directed edges", () => {
    const g = graph(["a", "b", "c"], "a>b");
    expect(g.nodes().sort()).toEqual(["a", "b", "c"]);
    expect(g.hasEdge("a", "b")).toBe(true);
    expect(g.hasEdge("b", "a")).toBe(false);
  });
});

describe("findCycles", () => {
  it("finds none in a DAG", () => {
    expect(findCycles(graph(["a", "b", "c"], "a>b b>c a>c"), ["a", "b", "c"])).toEqual([]);
  });
  it("names a two-plan cycle as a closed path starting at the first plan in plan order", () => {
    const order = ["02-01", "02-02", "02-03"];
    expect(findCycles(graph(order, "02-03>02-01 02-01>02-03"), order)).toEqual([["02-01", "02-03", "02-01"]]);
  });
  it("names a longer cycle by following its edges", () => {
    const order = ["a", "b", "c", "d"];
    expect(findCycles(graph(order, "a>c c>b b>d d>a"), order)).toEqual([["a", "c", "b", "d", "a"]]);
  });
  it("names the shortest way back when a component has several cycles", () => {
    const order = ["a", "b", "c", "d"];
    const [cycle] = findCycles(graph(order, "a>b b>c c>d d>a c>a"), order);
    expect(cycle).toEqual(["a", "b", "c", "a"]);
  });
  it("reports separate cycles separately, in plan order", () => {
    const order = ["a", "b", "c", "d", "e"];
    expect(findCycles(graph(order, "d>e e>d a>b b>a b>c"), order)).toEqual([
      ["a", "b", "a"],
      ["d", "e", "d"],
    ]);
  });
  it("reports a self-loop", () => {
    expect(findCycles(graph(["a", "b"], "b>b"), ["a", "b"])).toEqual([["b", "b"]]);
  });
});

describe("topoOrder", () => {
  it("keeps plan order when dependencies allow", () => {
    const order = ["a", "b", "c", "d"];
    expect(topoOrder(graph(order, "a>c b>d"), order)).toEqual(["a", "b", "c", "d"]);
  });
  it("moves a prerequisite ahead only as far as needed", () => {
    const order = ["a", "b", "c", "d"];
    expect(topoOrder(graph(order, "d>b"), order)).toEqual(["a", "c", "d", "b"]);
  });
  it("puts plans on a cycle at the end, in plan order", () => {
    const order = ["a", "b", "c", "d"];
    expect(topoOrder(graph(order, "a>b b>a c>a"), order)).toEqual(["c", "d", "a", "b"]);
  });
});

describe("waveLevels", () => {
  it("numbers waves from 1 by the longest chain of prerequisites", () => {
    const order = ["a", "b", "c", "d", "e"];
    const g = graph(order, "a>b b>c a>c d>c");
    const waves = waveLevels(g, topoOrder(g, order));
    expect(Object.fromEntries(waves)).toEqual({ a: 1, b: 2, c: 3, d: 1, e: 1 });
  });
  it("gives every plan a wave even on a cycle", () => {
    const order = ["a", "b"];
    const g = graph(order, "a>b b>a");
    const waves = waveLevels(g, topoOrder(g, order));
    expect([...waves.keys()].sort()).toEqual(["a", "b"]);
    expect(Math.min(...waves.values())).toBeGreaterThanOrEqual(1);
  });
});

describe("criticalPath", () => {
  it("follows the heaviest chain, not the longest one", () => {
    const order = ["a", "b", "c", "d"];
    const g = graph(order, "a>b b>c a>d");
    const w: Record<string, number> = { a: 1, b: 1, c: 1, d: 10 };
    expect(criticalPath(g, topoOrder(g, order), (id) => w[id] ?? 0)).toEqual({ path: ["a", "d"], minutes: 11 });
  });
  it("keeps the earlier plan on a tie", () => {
    const order = ["a", "b", "c"];
    const g = graph(order, "a>c b>c");
    expect(criticalPath(g, topoOrder(g, order), () => 5)).toEqual({ path: ["a", "c"], minutes: 10 });
    const solo = graph(order, "");
    expect(criticalPath(solo, order, () => 5)).toEqual({ path: ["a"], minutes: 5 });
  });
  it("is empty for an empty phase", () => {
    expect(criticalPath(graph([], ""), [], () => 1)).toEqual({ path: [], minutes: 0 });
  });
});

describe("transitiveReduction", () => {
  it("drops edges implied by a longer path and keeps the rest", () => {
    const order = ["a", "b", "c", "d"];
    const g = graph(order, "a>b b>c a>c a>d c>d");
    expect(transitiveReduction(g, topoOrder(g, order))).toEqual(E("a>b b>c c>d"));
  });
  it("keeps edges of a diamond", () => {
    const order = ["a", "b", "c", "d"];
    const g = graph(order, "a>b a>c b>d c>d a>d");
    expect(transitiveReduction(g, topoOrder(g, order))).toEqual(E("a>b a>c b>d c>d"));
  });
});

/** A random DAG: edges only go from a lower to a higher index of a random permutation. */
const dag = fc
  .integer({ min: 0, max: 12 })
  .chain((n) =>
    fc.tuple(
      fc.constant(Array.from({ length: n }, (_, i) => `p${String(i).padStart(2, "0")}`)),
      fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
      fc.array(fc.tuple(fc.nat(Math.max(n - 1, 0)), fc.nat(Math.max(n - 1, 0))), { maxLength: n * 3 }),
    ),
  )
  .map(([order, perm, pairs]) => {
    const edges: Edge[] = [];
    const seen = new Set<string>();
    for (const [x, y] of pairs) {
      if (x === y || order.length === 0) continue;
      const [lo, hi] = x < y ? [x, y] : [y, x];
      const from = order[perm[lo] as number] as string;
      const to = order[perm[hi] as number] as string;
      if (!seen.has(`${from}>${to}`)) (seen.add(`${from}>${to}`), edges.push({ from, to }));
    }
    return { order, edges };
  });

/** Any directed graph, cycles allowed. */
const anyGraph = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    order: fc.constant(Array.from({ length: n }, (_, i) => `n${i}`)),
    edges: fc
      .uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 2, selector: ([a, b]) => `${a}>${b}` })
      .map((pairs) => pairs.map(([a, b]) => ({ from: `n${a}`, to: `n${b}` }))),
  }),
);

const built = (d: { order: string[]; edges: Edge[] }): [Graph, string[]] => {
  const g = buildGraph(d);
  return [g, topoOrder(g, d.order)];
};

describe("plan graph: properties on random DAGs", () => {
  it("topoOrder is a permutation that respects every edge, and is the plan-order-first one", () => {
    fc.assert(
      fc.property(dag, (d) => {
        const [, topo] = built(d);
        expect([...topo].sort()).toEqual([...d.order].sort());
        const pos = new Map(topo.map((id, i) => [id, i]));
        for (const e of d.edges) expect(pos.get(e.from)!).toBeLessThan(pos.get(e.to)!);
        // Greedy check: each step takes the lowest plan-order node whose prerequisites are placed.
        const placed = new Set<string>();
        for (const id of topo) {
          const ready = d.order.filter((n) => !placed.has(n) && d.edges.every((e) => e.to !== n || placed.has(e.from)));
          expect(id).toBe(ready[0]);
          placed.add(id);
        }
      }),
    );
  });

  it("every edge goes from a lower wave to a higher one, and a wave is 1 + its highest prerequisite's", () => {
    fc.assert(
      fc.property(dag, (d) => {
        const [g, topo] = built(d);
        const waves = waveLevels(g, topo);
        for (const e of d.edges) expect(waves.get(e.from)!).toBeLessThan(waves.get(e.to)!);
        for (const id of d.order) {
          const preds = d.edges.filter((e) => e.to === id).map((e) => waves.get(e.from)!);
          expect(waves.get(id)).toBe(preds.length === 0 ? 1 : Math.max(...preds) + 1);
        }
      }),
    );
  });

  it("the critical path is a real path whose weight is the heaviest of all paths", () => {
    fc.assert(
      fc.property(dag, fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 12, maxLength: 12 }), (d, ws) => {
        const [g, topo] = built(d);
        const weight = (id: string) => ws[d.order.indexOf(id)] ?? 0;
        const cp = criticalPath(g, topo, weight);
        // Heaviest path ending at each node, by brute force in topological order.
        const best = new Map<string, number>();
        for (const id of topo) {
          const preds = d.edges.filter((e) => e.to === id).map((e) => best.get(e.from)!);
          best.set(id, weight(id) + Math.max(0, ...preds));
        }
        expect(cp.minutes).toBe(d.order.length === 0 ? 0 : Math.max(...best.values()));
        expect(cp.path.reduce((sum, id) => sum + weight(id), 0)).toBe(cp.minutes);
        for (let i = 1; i < cp.path.length; i++) expect(g.hasEdge(cp.path[i - 1]!, cp.path[i]!)).toBe(true);
      }),
    );
  });

  it("transitive reduction keeps reachability and removes every edge implied by a longer path", () => {
    fc.assert(
      fc.property(dag, (d) => {
        const [g, topo] = built(d);
        const kept = transitiveReduction(g, topo);
        const key = (e: Edge) => `${e.from}>${e.to}`;
        const original = new Set(d.edges.map(key));
        for (const e of kept) expect(original.has(key(e))).toBe(true);
        expect(new Set(kept.map(key)).size).toBe(kept.length);
        for (const id of d.order) expect(reachable(kept, id)).toEqual(reachable(d.edges, id));
        // An edge is kept exactly when no other path joins its ends.
        for (const e of d.edges) {
          const others = d.edges.filter((x) => key(x) !== key(e));
          const implied = reachable(others, e.from).has(e.to);
          expect(kept.some((k) => key(k) === key(e))).toBe(!implied);
        }
      }),
    );
  });

  it("findCycles finds nothing in a DAG", () => {
    fc.assert(
      fc.property(dag, (d) => {
        const [g] = built(d);
        expect(findCycles(g, d.order)).toEqual([]);
      }),
    );
  });
});

describe("plan graph: properties on random graphs", () => {
  it("findCycles finds a cycle exactly when one exists, and each is a closed path of real edges", () => {
    fc.assert(
      fc.property(anyGraph, (d) => {
        const g = buildGraph(d);
        const cycles = findCycles(g, d.order);
        expect(cycles.length > 0).toBe(hasCycle(d.order, d.edges));
        for (const c of cycles) {
          expect(c.length).toBeGreaterThanOrEqual(2);
          expect(c[0]).toBe(c[c.length - 1]);
          expect(new Set(c.slice(0, -1)).size).toBe(c.length - 1);
          for (let i = 1; i < c.length; i++) expect(g.hasEdge(c[i - 1]!, c[i]!)).toBe(true);
        }
      }),
    );
  });

  it("topoOrder and waveLevels still cover every node when there are cycles", () => {
    fc.assert(
      fc.property(anyGraph, (d) => {
        const g = buildGraph(d);
        const topo = topoOrder(g, d.order);
        expect([...topo].sort()).toEqual([...d.order].sort());
        const waves = waveLevels(g, topo);
        for (const id of d.order) expect(waves.get(id)).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
