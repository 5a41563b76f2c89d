import type { AuditEdge, AuditSchedule, PhaseAudit } from "../core/graph/audit";
import { reasonText } from "./analysis-text";
import type { Style } from "./style";

function schedule(label: string, s: AuditSchedule): string {
  const cp = s.criticalPath.length > 0 ? s.criticalPath.join(" -> ") : "-";
  return `  ${label.padEnd(30)} ${String(s.makespan).padStart(7)} min at cap, critical path ${s.criticalPathMinutes} min (${cp}), ${s.waves} waves`;
}

function edgeLine(e: AuditEdge): string {
  return `  ${e.from} -> ${e.to}: ${e.reasons.map(reasonText).join("; ")}`;
}

/** The human view of `check --audit`: what the files say about the declared order. */
export function renderAudit(a: PhaseAudit, s: Style): string[] {
  const lines = ["", s.bold(`Audit: ${a.supported} of ${a.declared} declared edges have evidence in the files`)];
  if (a.unsupported.length > 0) {
    lines.push(s.bold("Declared without evidence (a planner's guess, or knowledge the plans do not write down)"));
    for (const e of a.unsupported) lines.push(edgeLine({ ...e, reasons: e.reasons.length > 0 ? e.reasons : [{ kind: "declared" }] }));
  }
  if (a.inferred.length > 0) {
    lines.push(s.bold("Inferred, not declared"));
    for (const e of a.inferred) lines.push(edgeLine(e));
  }
  if (a.inferredImplied > 0) lines.push(s.dim(`  (${a.inferredImplied} more inferred edges repeat an order the declared edges already give)`));
  lines.push(s.bold(`Schedule at ${a.maxConcurrent} agents`), schedule("as analysed", a.before), schedule("without unsupported declared", a.after));
  return lines;
}
