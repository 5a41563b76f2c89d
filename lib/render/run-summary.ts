import type { PhaseAnalysis } from "../core/graph/analysis";
import type { RunOutcome } from "../core/export/run-outcomes";
import { graphView } from "./graph-view";
import { type NodeClass, renderMermaid } from "./mermaid";

const CLASS: Record<RunOutcome, NodeClass> = {
  completed: { name: "ci-completed", style: "fill:#d1e7dd,stroke:#198754,color:#0f5132", mark: " ✓" },
  "already-complete": { name: "ci-already", style: "fill:#e9ecef,stroke:#198754,color:#0f5132", mark: " ✓ (before)" },
  failed: { name: "ci-failed", style: "fill:#f8d7da,stroke:#dc3545,color:#842029", mark: " ✗" },
  skipped: { name: "ci-skipped", style: "fill:#ffffff,stroke:#6c757d,color:#6c757d,stroke-dasharray:4 3", mark: " (skipped)" },
  cancelled: { name: "ci-cancelled", style: "fill:#fff3cd,stroke:#cc9a06,color:#664d03", mark: " (cancelled)" },
};

const WORD: Record<RunOutcome, string> = {
  completed: "completed and merged",
  "already-complete": "complete before this run",
  failed: "failed",
  skipped: "skipped (not selected, or a prerequisite did not complete)",
  cancelled: "cancelled",
};

/** Markdown for `$GITHUB_STEP_SUMMARY`: counts, the graph coloured by each job's outcome, a table. */
export function renderRunSummary(a: PhaseAnalysis, outcomes: ReadonlyMap<string, RunOutcome>): string {
  const count = (o: RunOutcome) => [...outcomes.values()].filter((x) => x === o).length;
  const person = a.plans.filter((p) => p.status !== "complete" && !p.autonomous).map((p) => p.id);
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
  const rows = a.plans.map((p) => {
    const o = outcomes.get(p.id);
    const what = o
      ? WORD[o]
      : p.status === "complete"
        ? "complete before this run (no job)"
        : p.autonomous
          ? "no job in this workflow"
          : "needs a person (no job)";
    return `| ${cell(p.id)} | ${what} |`;
  });
  return [
    `## gsd-async: ${cell(a.phase.name)}`,
    "",
    `${count("completed")} completed, ${count("failed")} failed, ${count("skipped")} skipped, ${count("already-complete")} complete before this run` +
      (count("cancelled") > 0 ? `, ${count("cancelled")} cancelled` : "") +
      (person.length > 0 ? `; needs a person: ${person.map(cell).join(", ")}` : ""),
    "",
    "```mermaid",
    renderMermaid(graphView(a), {
      classOf: (id) => {
        const o = outcomes.get(id);
        return o ? CLASS[o] : undefined;
      },
    }).trimEnd(),
    "```",
    "",
    "| plan | outcome |",
    "|---|---|",
    ...rows,
    "",
  ].join("\n");
}
