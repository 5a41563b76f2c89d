import type { Style } from "./style";
import type { BudgetLevel } from "../core/budget/budget";
import type { BudgetReport } from "../core/budget/budget-report";
import type { Calibration } from "../core/budget/token-estimate";

const fmt = (n: number) => n.toLocaleString("en-US");

function paint(s: Style, level: BudgetLevel, text: string): string {
  return level === "ok" ? s.green(text) : level === "warn" ? s.yellow(text) : s.red(text);
}

/** One line: where the budget stands. Printed after every change so the effect is visible. */
export function budgetLine(r: BudgetReport, s: Style): string {
  return `budget: ${fmt(r.committed)} of ${fmt(r.contextLimit)} committed (${r.percent.committed}%), ${fmt(r.available)} available below the ${Math.round(r.thresholds.stop * 1000) / 10}% stop — ${paint(s, r.level, r.level)}`;
}

/** `budget report`: totals, a bar with the thresholds marked, and every owner. */
export function renderBudgetReport(r: BudgetReport, cal: Calibration, s: Style): string {
  const width = 40;
  const cell = (f: number) => Math.min(width, Math.round(f * width));
  const used = cell(r.used / r.contextLimit);
  const reserved = Math.max(0, cell(r.committed / r.contextLimit) - used);
  const bar = ("█".repeat(used) + "▒".repeat(reserved)).padEnd(width, "░").split("");
  for (const t of [r.thresholds.warn, r.thresholds.critical, r.thresholds.stop]) {
    const at = Math.min(width - 1, cell(t));
    if (bar[at] === "░") bar[at] = "│";
  }
  const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;
  const lines = [
    s.bold(`Token budget — ${r.model}, ${fmt(r.contextLimit)} tokens`),
    `  ${bar.join("")}  ${paint(s, r.level, `${r.percent.committed}% ${r.level}`)}`,
    `  used ${fmt(r.used)} (${r.percent.used}%) · reserved ${fmt(r.reserved)} (${r.percent.reserved}%) · available ${fmt(r.available)} below the stop at ${fmt(r.ceiling)}`,
    s.dim(`  thresholds: warn ${pct(r.thresholds.warn)}, critical ${pct(r.thresholds.critical)}, stop ${pct(r.thresholds.stop)} · ${r.message}`),
    s.dim(
      cal.samples === 0
        ? "  estimates: from plan content (no reported use yet)"
        : `  estimates: plan content x ${cal.factor} (from ${cal.samples} reported run${cal.samples === 1 ? "" : "s"})`,
    ),
  ];
  if (r.owners.length > 0) {
    lines.push("", s.bold("  owner          reserved        used"));
    for (const o of r.owners) {
      const where = [o.planFile, o.runId ? `run ${o.runId}` : null].filter((x) => x !== null).join(", ");
      lines.push(
        `  ${o.owner.padEnd(12)} ${fmt(o.reserved).padStart(10)} ${fmt(o.used).padStart(11)}  ${s.dim(`${o.kind}${o.records > 1 ? `, ${o.records} records` : ""}${where ? `, ${where}` : ""}`)}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}
