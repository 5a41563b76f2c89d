import type { GraphView } from "./graph-view";

const CLASSES = [
  "classDef complete fill:#d1e7dd,stroke:#198754,color:#0f5132",
  "classDef pending fill:#fff3cd,stroke:#cc9a06,color:#664d03",
  "classDef checkpoint fill:#f8d7da,stroke:#dc3545,color:#842029",
  "classDef external-complete fill:#e9ecef,stroke:#6c757d,color:#41464b,stroke-dasharray:4 3",
  "classDef external-pending fill:#ffffff,stroke:#dc3545,color:#842029,stroke-dasharray:4 3",
];

/** Mermaid text is pasted into GitHub: quotes and brackets in labels must be entities. */
function label(s: string): string {
  return s.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

const MARK: Record<GraphView["nodes"][number]["status"], string> = {
  complete: " ✓",
  pending: "",
  checkpoint: " ⏸",
  "external-complete": " ✓",
  "external-pending": "",
};

/** A class of its own for some nodes (e.g. a CI job's outcome), with its style and the mark after the id. */
export interface NodeClass {
  name: string;
  style: string;
  mark: string;
}

export function renderMermaid(view: GraphView, opts: { allEdges?: boolean; classOf?: (id: string) => NodeClass | undefined } = {}): string {
  const key = new Map(view.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ["flowchart TD"];
  const extra = new Map<string, string>();
  for (const n of view.nodes) {
    const own = opts.classOf?.(n.id);
    if (own) extra.set(own.name, own.style);
    const mark = own ? own.mark : MARK[n.status];
    const text = n.external ? `${n.id}${mark}<br/>other phase` : `${n.id}${mark}`;
    lines.push(`  ${key.get(n.id)}["${label(text).replace(/#lt;br\/#gt;/g, "<br/>")}"]:::${own ? own.name : n.status}`);
  }
  for (const e of view.edges) {
    if (e.implied && !opts.allEdges) continue;
    const arrow = e.external ? "-.->" : "-->";
    lines.push(`  ${key.get(e.from)} ${arrow}|${label(e.reasons.join(", "))}| ${key.get(e.to)}`);
  }
  lines.push(...CLASSES.map((c) => `  ${c}`), ...[...extra].map(([name, style]) => `  classDef ${name} ${style}`));
  return lines.join("\n") + "\n";
}
