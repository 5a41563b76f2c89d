import { displayName as dn } from "../core/common/safe-name";
import { stateFailure } from "./state-failure";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { availableTokens } from "../core/budget/budget";
import { budgetJsonText } from "../json/budget-json";
import type { Ledger } from "../core/budget/budget-schema";
import { calibration, estimateTokens } from "../core/budget/token-estimate";
import { BUDGET_FILE, readBudget } from "../shell/budget-store";
import type { CommandResult } from "./commands";
import { type CommonOptions, type Io, loadPhase, styleFor } from "./context";

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * `budget estimate [phase]`: what the scheduler will reserve for each unfinished plan, and how
 * many of them the budget covers at once (smallest first: the most parallelism it allows).
 * Works without a ledger too (then only the estimates, uncalibrated).
 */
export function estimateCommand(io: Io, phase: string | undefined, flags: CommonOptions): CommandResult {
  const loaded = loadPhase(io, flags, phase);
  if (!loaded.ok) return loaded.failure;
  const { analysis, project } = loaded;
  let ledger: Ledger | null;
  try {
    ledger = readBudget(project.root);
  } catch (err) {
    return stateFailure(err);
  }
  const cal = calibration(ledger?.usage ?? []);
  // The analysis already sized each plan from the text it read: no plan file is read twice.
  const plans = analysis.plans.flatMap((p) => {
    if (p.status !== "pending") return [];
    const size = p.size;
    const est = estimateTokens(size, cal);
    return [{ id: p.id, file: p.file, tokens: est.tokens, basis: est.basis, reserved: ledger?.reservations[p.id]?.tokens ?? 0, size }];
  });
  const total = plans.reduce((n, p) => n + p.tokens, 0);
  const available = ledger ? availableTokens(ledger) : null;
  let atOnce: number | null = null;
  if (available !== null) {
    let left = available;
    atOnce = 0;
    for (const p of [...plans].sort((a, b) => a.tokens - a.reserved - (b.tokens - b.reserved))) {
      const need = Math.max(0, p.tokens - p.reserved);
      if (need > left) break;
      left -= need;
      atOnce++;
    }
  }
  if (flags.json) {
    io.out(
      budgetJsonText({
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "budget",
        file: BUDGET_FILE,
        action: "estimate",
        phase: { dir: analysis.phase.dir, name: analysis.phase.name },
        plans,
        total,
        available,
        atOnce,
        calibration: cal,
      }),
    );
    return "ok";
  }
  const s = styleFor(io, flags);
  const lines = [s.bold(`Token estimates — ${dn(analysis.phase.dir)}`)];
  for (const p of plans)
    lines.push(
      `  ${p.id.padEnd(10)} ${fmt(p.tokens).padStart(9)}  ${s.dim(`${p.size.tasks} tasks, ${p.size.filesModified} files, ${p.size.contextRefs} refs, ${fmt(p.size.chars)} chars${p.reserved > 0 ? `, ${fmt(p.reserved)} reserved` : ""}`)}`,
    );
  lines.push(`  ${"total".padEnd(10)} ${fmt(total).padStart(9)}`);
  lines.push(
    s.dim(
      cal.samples === 0
        ? "  from plan content; no reported use to calibrate with yet"
        : `  plan content x ${cal.factor}, calibrated on ${cal.samples} reported run${cal.samples === 1 ? "" : "s"}`,
    ),
  );
  lines.push(
    available === null
      ? s.dim(`  no ${BUDGET_FILE}: the scheduler is not limited (gsd-async budget init)`)
      : `  ${fmt(Math.max(0, available))} tokens available: at most ${atOnce} of ${plans.length} unfinished plan${plans.length === 1 ? "" : "s"} at once`,
  );
  io.out(lines.join("\n") + "\n");
  return "ok";
}
