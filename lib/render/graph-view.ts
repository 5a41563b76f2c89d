import type { PhaseAnalysis } from "../core/graph/analysis";
import { buildGraph, topoOrder, transitiveReduction } from "../core/graph/plan-graph";

/** A graph ready to draw: nodes with display status, edges with an `implied` flag. */
export interface GraphView {
  nodes: {
    id: string;
    file: string;
    status: "complete" | "pending" | "checkpoint" | "external-complete" | "external-pending";
    wave?: number;
    external: boolean;
  }[];
  edges: { from: string; to: string; reasons: string[]; implied: boolean; external: boolean }[];
}

/**
 * Builds the picture of a phase. Edges that a longer path already implies are flagged
 * `implied` (transitive reduction) so pictures stay readable; external prerequisites (other
 * phases) appear as extra nodes.
 */
export function graphView(a: PhaseAnalysis): GraphView {
  const order = a.plans.map((p) => p.id);
  const local = a.edges.filter((e) => !e.external);
  const g = buildGraph({ order, edges: local });
  const kept = new Set(transitiveReduction(g, topoOrder(g, order)).map((e) => `${e.from}\u0000${e.to}`));
  const nodes: GraphView["nodes"] = a.plans.map((p) => ({
    id: p.id,
    file: p.file,
    status: p.status === "complete" || p.status === "superseded" ? "complete" : p.autonomous ? "pending" : "checkpoint",
    wave: p.wave,
    external: false,
  }));
  const seen = new Set(order);
  for (const e of a.edges) {
    if (!e.external || seen.has(e.from)) continue;
    seen.add(e.from);
    nodes.push({ id: e.from, file: e.fromFile, status: e.satisfied ? "external-complete" : "external-pending", external: true });
  }
  const edges = a.edges.map((e) => ({
    from: e.from,
    to: e.to,
    reasons: [...new Set(e.reasons.map((r) => r.kind))],
    implied: !e.external && !kept.has(`${e.from}\u0000${e.to}`),
    external: e.external,
  }));
  return { nodes, edges };
}
