import type { PhaseAnalysis } from "../core/graph/analysis";
import type { Diagnostic } from "../core/common/diagnostic";
import type { EdgeReason } from "../core/graph/edges";
import type { Style } from "./style";
import { displayName as dn } from "../core/common/safe-name";

const VIA_TEXT: Record<NonNullable<EdgeReason["via"]>, string> = {
  "moved-phase": "phase moved",
  "foreign-root": "foreign root",
  "foreign-path": "outside the project",
};

export function reasonText(r: EdgeReason): string {
  const via = r.via === undefined ? "" : ` (${VIA_TEXT[r.via]})`;
  switch (r.kind) {
    case "declared":
      return r.line ? `declared (line ${r.line})` : "declared";
    case "cross-phase":
      return "cross-phase (depends_on)";
    case "prose":
      return `prose${r.line ? ` (line ${r.line})` : ""}: "${r.text ?? ""}"`;
    default:
      return (r.file ? `${r.kind}: ${dn(r.file)}` : r.kind) + via;
  }
}

export function renderDiagnostics(list: readonly Diagnostic[], s: Style): string[] {
  if (list.length === 0) return [];
  const errors = list.filter((d) => d.severity === "error").length;
  const warnings = list.filter((d) => d.severity === "warning").length;
  const out = [s.bold(`Diagnostics (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"})`)];
  for (const d of list) {
    const sev = d.severity === "error" ? s.red("error  ") : d.severity === "warning" ? s.yellow("warning") : s.dim("info   ");
    const where = d.file ? `${dn(d.file)}${d.line ? `:${d.line}` : ""}` : "";
    out.push(`  ${sev} ${where ? `${where}  ` : ""}${s.dim(`[${d.code}]`)} ${d.message}`);
  }
  return out;
}

const PLAN_ICON: Record<PhaseAnalysis["plans"][number]["status"], (s: Style, autonomous: boolean) => string> = {
  complete: (s) => s.green("✓"),
  superseded: (s) => s.dim("⊘"),
  halted: (s) => s.red("■"),
  pending: (s, autonomous) => (autonomous ? "○" : s.yellow("⏸")),
};

/** The human view of `analyze`: plans, edges with reasons, waves, critical path, diagnostics. */
export function renderAnalysis(a: PhaseAnalysis, s: Style, note?: string): string {
  const done = a.plans.filter((p) => p.status === "complete").length;
  const lines: string[] = [];
  lines.push(`${s.bold(`Phase ${dn(a.phase.name)}`)} ${s.dim(`(${dn(a.phase.dir)})`)}`);
  if (note) lines.push(s.dim(note));
  const cp = a.criticalPath.length > 0 ? `; critical path ${a.criticalPath.map(dn).join(" -> ")} (${a.criticalPathMinutes} min)` : "";
  const count = (st: string) => a.plans.filter((p) => p.status === st).length;
  const other = (["halted", "superseded"] as const).filter((st) => count(st) > 0).map((st) => `, ${count(st)} ${st}`);
  lines.push(`${a.plans.length} plans, ${done} complete${other.join("")}, ${a.edges.length} edges, ${a.waves.length} waves${cp}`, "");

  lines.push(s.bold("Plans"));
  for (const p of a.plans) {
    const icon = PLAN_ICON[p.status](s, p.autonomous);
    const wave = p.declaredWave !== undefined && p.declaredWave !== p.wave ? `wave ${p.wave} ${s.yellow(`(declared ${p.declaredWave})`)}` : `wave ${p.wave}`;
    const dur = `${p.durationMinutes} min${p.durationSource === "estimate" ? " est." : ""}`;
    const needs = p.dependsOn.length > 0 ? `  needs ${p.dependsOn.map(dn).join(", ")}` : "";
    const cpNote =
      p.status === "halted"
        ? `  ${s.red("halted: its dependents wait")}`
        : p.status === "superseded"
          ? `  ${s.dim("superseded: not run, blocks nothing")}`
          : p.autonomous
            ? ""
            : `  ${s.yellow(`needs a person: ${p.checkpoints.join(", ") || "autonomous: false"}`)}`;
    lines.push(`  ${icon} ${dn(p.id).padEnd(8)} ${wave.padEnd(10)}  ${s.dim(dur.padEnd(12))}${needs}${cpNote}`.trimEnd());
  }
  if (a.edges.length > 0) {
    lines.push("", s.bold("Edges (prerequisite -> dependent: why)"));
    for (const e of a.edges) {
      const ext = e.external ? s.dim(e.satisfied ? " [other phase, complete]" : " [other phase, NOT complete]") : "";
      lines.push(`  ${dn(e.from)} -> ${dn(e.to)}${ext}: ${e.reasons.map(reasonText).join("; ")}`);
    }
  }
  if (a.waves.length > 0) {
    lines.push("", s.bold("Waves"));
    a.waves.forEach((w, i) => lines.push(`  ${i + 1}: ${w.map(dn).join("  ")}`));
  }
  const diags = renderDiagnostics(a.diagnostics, s);
  if (diags.length > 0) lines.push("", ...diags);
  return lines.join("\n") + "\n";
}
