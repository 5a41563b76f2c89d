import { Adjacency, topoOrder, transitiveReduction } from "../core/graph/plan-graph";
import type { RoadmapAnalysis } from "../core/roadmap/roadmap-analysis";
import type { GraphView } from "./graph-view";

/**
 * The roadmap as a picture for the same Mermaid/DOT renderers as a phase: one node per phase
 * (`Phase 2.1: Name`), complete phases green, the rest pending; prerequisites found only as
 * directories are external nodes. Edges implied by a longer path are flagged `implied`, and
 * edges on a cycle are always drawn so the cycle is visible.
 */
export function roadmapGraphView(a: RoadmapAnalysis): GraphView {
  const label = new Map<string, string>();
  for (const p of a.phases) {
    const name = p.name.length > 40 ? `${p.name.slice(0, 39)}…` : p.name;
    const state = p.onCycle ? " (cycle)" : p.blocked ? " (waits for a cycle)" : p.status === "in-progress" ? " (in progress)" : "";
    label.set(p.id, `Phase ${p.written}${name ? `: ${name}` : ""}${state}`);
  }
  const order = a.phases.map((p) => p.id);
  const local = a.edges.filter((e) => !e.external);
  const g = new Adjacency({ order, edges: local });
  const kept = new Set(transitiveReduction(g, topoOrder(g, order)).map((e) => `${e.from}\u0000${e.to}`));
  const onCycle = new Set(a.phases.filter((p) => p.onCycle).map((p) => p.id));

  const nodes: GraphView["nodes"] = a.phases.map((p) => {
    const n: GraphView["nodes"][number] = {
      id: label.get(p.id) as string,
      file: p.dir ?? a.file,
      status: p.status === "complete" ? "complete" : "pending",
      external: false,
    };
    if (p.level !== undefined) n.wave = p.level;
    return n;
  });
  for (const e of a.edges) {
    if (!e.external || label.has(e.from)) continue;
    label.set(e.from, `Phase ${e.from}`);
    nodes.push({ id: `Phase ${e.from}`, file: e.fromDir ?? "", status: e.satisfied ? "external-complete" : "external-pending", external: true });
  }
  const edges: GraphView["edges"] = a.edges.map((e) => ({
    from: label.get(e.from) as string,
    to: label.get(e.to) as string,
    reasons: [...new Set(e.reasons.map((r) => (r.kind === "declared" ? "depends on" : r.kind)))],
    implied: !e.external && !kept.has(`${e.from}\u0000${e.to}`) && !(onCycle.has(e.from) && onCycle.has(e.to)),
    external: e.external,
  }));
  return { nodes, edges };
}
