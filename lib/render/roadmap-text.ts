import type { Style } from "./style";
import type { AnalyzedRoadmapPhase, RoadmapAnalysis } from "../core/roadmap/roadmap-analysis";
import { renderDiagnostics } from "./analysis-text";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function icon(p: AnalyzedRoadmapPhase, s: Style): string {
  if (p.blocked) return s.red("⊘");
  if (p.status === "complete") return s.green("✓");
  return p.status === "in-progress" ? s.cyan("◐") : "○";
}

function detail(p: AnalyzedRoadmapPhase, s: Style): string {
  const parts: string[] = [];
  const plans = p.plans.total > 0 ? ` (${p.plans.complete}/${p.plans.total} plans)` : "";
  const from = p.statusSource === "roadmap" ? " per roadmap" : p.statusSource === "none" ? ", not planned" : "";
  parts.push(`${p.status}${plans}${from}`);
  if (p.blocked) parts.push(s.red(p.onCycle ? "on a dependency cycle" : "waits for a cycle"));
  else if (p.level !== undefined) parts.push(`level ${p.level}`);
  if (p.status !== "complete")
    parts.push(s.dim(`${p.minutes} min${p.durationSource === "summary" ? "" : ` ${p.durationSource === "assumed" ? "assumed" : "est."}`}`));
  if (p.dependsOn.length > 0) parts.push(`needs ${p.dependsOn.join(", ")}`);
  return parts.join("  ");
}

/** The human view of `roadmap analyze`: phases with status and level, levels, diagnostics. */
export function renderRoadmap(a: RoadmapAnalysis, s: Style, note?: string): string {
  const n = (st: string) => a.phases.filter((p) => p.status === st).length;
  const lines = [s.bold(`Roadmap ${a.file}`)];
  if (note) lines.push(s.dim(note));
  const cp = a.criticalPath.length > 0 ? `; critical path ${a.criticalPath.join(" -> ")} (${a.criticalPathMinutes} min)` : "";
  lines.push(
    `${plural(a.phases.length, "phase")}: ${n("complete")} complete, ${n("in-progress")} in progress, ${n("pending")} pending; ${plural(a.edges.length, "edge")}; ${plural(a.levels.length, "level")}${cp}`,
  );
  if (a.phases.length > 0) {
    const idWidth = Math.max(...a.phases.map((p) => p.id.length));
    const nameWidth = Math.min(36, Math.max(...a.phases.map((p) => p.name.length)));
    lines.push("", s.bold("Phases"));
    for (const p of a.phases) {
      const name = p.name.length > nameWidth ? `${p.name.slice(0, nameWidth - 1)}…` : p.name;
      lines.push(`  ${icon(p, s)} ${p.id.padEnd(idWidth)}  ${name.padEnd(nameWidth)}  ${detail(p, s)}`);
    }
  }
  if (a.levels.length > 0) {
    lines.push("", s.bold("Levels (phases still to do; one level can run side by side)"));
    a.levels.forEach((l, i) => lines.push(`  ${i + 1}: ${l.join("  ")}`));
  }
  const diags = renderDiagnostics(a.diagnostics, s);
  if (diags.length > 0) lines.push("", ...diags);
  return lines.join("\n") + "\n";
}
