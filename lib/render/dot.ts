import type { GraphView } from "./graph-view";

const FILL: Record<GraphView["nodes"][number]["status"], string> = {
  complete: "#d1e7dd",
  pending: "#fff3cd",
  checkpoint: "#f8d7da",
  "external-complete": "#e9ecef",
  "external-pending": "#ffffff",
};

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Graphviz DOT: `gsd-async graph --format dot | dot -Tsvg > phase.svg`. */
export function renderDot(view: GraphView, opts: { allEdges?: boolean; title?: string } = {}): string {
  const lines = [
    `digraph ${quote(opts.title ?? "phase")} {`,
    "  rankdir=TB;",
    '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const n of view.nodes) {
    const style = n.external ? ', style="rounded,filled,dashed"' : "";
    lines.push(
      `  ${quote(n.id)} [label=${quote(n.external ? `${n.id}\n(other phase)` : n.id)}, fillcolor=${quote(FILL[n.status])}${style}, tooltip=${quote(n.file)}];`,
    );
  }
  for (const e of view.edges) {
    if (e.implied && !opts.allEdges) continue;
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(e.reasons.join(", "))}${e.external ? ", style=dashed" : ""}];`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
