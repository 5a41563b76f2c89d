import { stateFailure } from "./state-failure";
import { commonOptions } from "./options";
import { type Command, InvalidArgumentError } from "commander";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { newLedger, recordUse, releaseReservation, reserveTokens } from "../core/budget/budget";
import type { BudgetJsonDoc } from "../json/budget-json";
import { budgetReport } from "../core/budget/budget-report";
import type { Ledger } from "../core/budget/budget-schema";
import { calibration } from "../core/budget/token-estimate";
import { parseTokenCount } from "../core/budget/token-count";
import { budgetLine, renderBudgetReport } from "../render/budget-text";
import { BUDGET_FILE, BUDGET_STORE, readBudget, updateBudget } from "../shell/budget-store";
import { backupStore } from "../shell/json-store";
import { StateFileError } from "../shell/state-errors";
import { openProject } from "../shell/project";
import type { CommandResult } from "./commands";
import { type CommonOptions, type Io, styleFor } from "./context";
import type { Failure } from "./exit-codes";

/** The budget's JSON schemas, built when a budget command prints JSON, not when any command starts. */
const budgetJson = () => require("../json/budget-json") as typeof import("../json/budget-json");
const estimate = () => require("./budget-estimate-command") as typeof import("./budget-estimate-command");

/**
 * `gsd-async budget init|reserve|record|release|report|estimate` (alias `token ...`, the names
 * GSD users know). Exit codes: 0 done (reserve: granted), 1 refused (reserve: does not fit;
 * release: nothing reserved; init: a ledger exists), 2 usage (also: no ledger yet),
 * 3 no project, 4 the ledger is unusable (it is left untouched).
 */
export interface OwnerFlags extends CommonOptions {
  for: string;
  planFile?: string;
  run?: string;
}

type Head = { schemaVersion: typeof JSON_SCHEMA_VERSION; command: "budget"; file: string };
const HEAD: Head = { schemaVersion: JSON_SCHEMA_VERSION, command: "budget", file: BUDGET_FILE };

function tokensArg(allowZero: boolean) {
  return (v: string): number => {
    const r = parseTokenCount(v, allowZero);
    if (!r.ok) throw new InvalidArgumentError(r.reason);
    return r.tokens;
  };
}

const missing = (root: string): Failure => ({
  kind: "usage",
  message: `no ${BUDGET_FILE} in ${root}`,
  hint: "create one with gsd-async budget init [--model M] [--limit N]",
});

/** Opens the project, runs the locked update and prints; the shared shape of every subcommand. */
async function withLedger<R>(
  io: Io,
  flags: CommonOptions,
  fn: (l: Ledger | null, root: string) => { ledger?: Ledger; result: R },
  show: (r: R, root: string) => CommandResult,
): Promise<CommandResult> {
  const opened = openProject(flags.cwd ?? io.cwd);
  if (!opened.ok) return { kind: "noProject", message: opened.reason, hint: "run inside a GSD project or pass --cwd DIR" };
  const root = opened.project.root;
  let result: R;
  try {
    result = await updateBudget(root, (l) => fn(l, root));
  } catch (err) {
    return stateFailure(err);
  }
  return show(result, root);
}

function emit(io: Io, flags: CommonOptions, doc: BudgetJsonDoc, text: string, problem?: string): void {
  if (flags.json) io.out(budgetJson().budgetJsonText(doc));
  else {
    if (problem !== undefined) io.err(`gsd-async: ${problem}\n`);
    if (text !== "") io.out(text);
  }
}

export function initCommand(io: Io, flags: CommonOptions & { model?: string; limit?: number; reset?: boolean }): Promise<CommandResult> {
  const now = io.now().toISOString();
  if (flags.reset) {
    // --reset of a ledger that cannot be read: keep it as a backup, then start anew.
    const opened = openProject(flags.cwd ?? io.cwd);
    if (opened.ok) {
      try {
        readBudget(opened.project.root);
      } catch (err) {
        if (!(err instanceof StateFileError)) throw err;
        io.err(`gsd-async: ${BUDGET_FILE} was unusable; kept as ${backupStore(opened.project.root, BUDGET_STORE, io.now())}\n`);
      }
    }
  }
  type R = { created: boolean; ledger: Ledger };
  return withLedger<R>(
    io,
    flags,
    (l) => {
      if (l && !flags.reset) return { result: { created: false, ledger: l } };
      const ledger = newLedger({
        now,
        ...(flags.model !== undefined ? { model: flags.model } : {}),
        ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      });
      return { ledger, result: { created: true, ledger } };
    },
    ({ created, ledger }) => {
      const report = budgetReport(ledger);
      const reason = created ? null : `${BUDGET_FILE} already exists; --reset starts a new one (dropping its reservations and recorded use)`;
      const text = created
        ? `Created ${BUDGET_FILE}: ${ledger.model}, ${ledger.context_limit.toLocaleString("en-US")} tokens.\n${budgetLine(report, styleFor(io, flags))}\n`
        : "";
      emit(io, flags, { ...HEAD, action: "init", created, reason, report }, text, reason ?? undefined);
      return created ? "ok" : "problems";
    },
  );
}

export function reserveCommand(io: Io, tokens: number, flags: OwnerFlags): Promise<CommandResult> {
  const now = io.now().toISOString();
  const meta = { ...(flags.planFile !== undefined ? { plan_file: flags.planFile } : {}), ...(flags.run !== undefined ? { run_id: flags.run } : {}) };
  type R = { ledger: null } | { ledger: Ledger; verdict: ReturnType<typeof reserveTokens> };
  return withLedger<R>(
    io,
    flags,
    (l) => {
      if (!l) return { result: { ledger: null } };
      const verdict = reserveTokens(l, tokens, flags.for, meta, now);
      return verdict.ok ? { ledger: verdict.ledger, result: { ledger: verdict.ledger, verdict } } : { result: { ledger: l, verdict } };
    },
    (r, root) => {
      if (r.ledger === null) return missing(root);
      const report = budgetReport(r.ledger);
      const v = r.verdict;
      const line = budgetLine(report, styleFor(io, flags));
      const text = v.ok
        ? `reserved ${tokens.toLocaleString("en-US")} tokens for ${flags.for}${v.replaced !== null ? ` (replacing ${v.replaced.toLocaleString("en-US")})` : ""}\n${line}\n`
        : `${line}\n`;
      const available = v.ok ? report.available : v.available;
      emit(
        io,
        flags,
        {
          ...HEAD,
          action: "reserve",
          owner: flags.for,
          tokens,
          granted: v.ok,
          reason: v.ok ? null : v.reason,
          replaced: v.ok ? v.replaced : null,
          available,
          report,
        },
        text,
        v.ok ? undefined : `refused: ${v.reason}`,
      );
      return v.ok ? "ok" : "problems";
    },
  );
}

export function recordCommand(io: Io, tokens: number, flags: OwnerFlags): Promise<CommandResult> {
  const now = io.now().toISOString();
  const meta = { ...(flags.planFile !== undefined ? { plan_file: flags.planFile } : {}), ...(flags.run !== undefined ? { run_id: flags.run } : {}) };
  type R = { ledger: null } | { ledger: Ledger; replaced: number | null; warning?: string };
  return withLedger<R>(
    io,
    flags,
    (l) => {
      if (!l) return { result: { ledger: null } };
      const r = recordUse(l, tokens, flags.for, meta, now);
      return { ledger: r.ledger, result: r };
    },
    (r, root) => {
      if (r.ledger === null) return missing(root);
      const report = budgetReport(r.ledger);
      const warning = r.warning ?? null;
      const text = `recorded ${tokens.toLocaleString("en-US")} tokens used by ${flags.for}${r.replaced !== null ? ` (its reservation of ${r.replaced.toLocaleString("en-US")} is released)` : ""}\n${budgetLine(report, styleFor(io, flags))}\n`;
      emit(
        io,
        flags,
        { ...HEAD, action: "record", owner: flags.for, tokens, replaced: r.replaced, warning, report },
        text,
        warning === null ? undefined : `warning: ${warning}`,
      );
      return "ok";
    },
  );
}

export function releaseCommand(io: Io, flags: OwnerFlags): Promise<CommandResult> {
  const now = io.now().toISOString();
  type R = { ledger: null } | { ledger: Ledger; verdict: ReturnType<typeof releaseReservation> };
  return withLedger<R>(
    io,
    flags,
    (l) => {
      if (!l) return { result: { ledger: null } };
      const verdict = releaseReservation(l, flags.for, now);
      return verdict.ok ? { ledger: verdict.ledger, result: { ledger: verdict.ledger, verdict } } : { result: { ledger: l, verdict } };
    },
    (r, root) => {
      if (r.ledger === null) return missing(root);
      const v = r.verdict;
      const report = budgetReport(r.ledger);
      const text = v.ok ? `released ${v.released.toLocaleString("en-US")} tokens reserved for ${flags.for}\n${budgetLine(report, styleFor(io, flags))}\n` : "";
      emit(
        io,
        flags,
        { ...HEAD, action: "release", owner: flags.for, released: v.ok, tokens: v.ok ? v.released : 0, reason: v.ok ? null : v.reason, report },
        text,
        v.ok ? undefined : v.reason,
      );
      return v.ok ? "ok" : "problems";
    },
  );
}

/** Read only: no lock is needed, the ledger is always replaced whole (atomic rename). */
export function reportCommand(io: Io, flags: CommonOptions): CommandResult {
  const opened = openProject(flags.cwd ?? io.cwd);
  if (!opened.ok) return { kind: "noProject", message: opened.reason, hint: "run inside a GSD project or pass --cwd DIR" };
  let ledger: Ledger | null;
  try {
    ledger = readBudget(opened.project.root);
  } catch (err) {
    return stateFailure(err);
  }
  if (!ledger) return missing(opened.project.root);
  const report = budgetReport(ledger);
  const cal = calibration(ledger.usage);
  emit(io, flags, { ...HEAD, action: "report", report, calibration: cal }, renderBudgetReport(report, cal, styleFor(io, flags)));
  return "ok";
}

export function registerBudget(program: Command, io: Io, done: (r: CommandResult | Promise<CommandResult>) => void): void {
  const common = commonOptions;
  const owner = (cmd: Command) =>
    common(cmd)
      .requiredOption("--for <id>", "owner: a plan id (01-03) or a phase")
      .option("--plan-file <file>", "the owner's PLAN.md, for the record")
      .option("--run <id>", "the run it belongs to, for the record");

  const budget = program
    .command("budget")
    .alias("token")
    .description(`token budget ledger (${BUDGET_FILE}): reservations, recorded use, warn 80% / critical 90% / stop 95%`);

  common(budget.command("init").description("create the ledger"))
    .option("--model <name>", "model name; its context window comes from the built-in table (default 200k)")
    .option("--limit <tokens>", "context limit in tokens (overrides the model table)", tokensArg(false))
    .option("--reset", "replace an existing ledger")
    .action((opts: CommonOptions & { model?: string; limit?: number; reset?: boolean }) => done(initCommand(io, opts)));
  owner(
    budget
      .command("reserve")
      .argument("<tokens>", "tokens to set aside (45000, 45k)", tokensArg(false))
      .description("set tokens aside for an owner: exit 0 granted, 1 refused (with why)"),
  ).action((tokens: number, opts: OwnerFlags) => done(reserveCommand(io, tokens, opts)));
  owner(
    budget
      .command("record")
      .argument("<tokens>", "tokens actually used", tokensArg(true))
      .description("record actual use; it replaces the owner's reservation"),
  ).action((tokens: number, opts: OwnerFlags) => done(recordCommand(io, tokens, opts)));
  owner(budget.command("release").description("drop an owner's reservation without recording use")).action((opts: OwnerFlags) =>
    done(releaseCommand(io, opts)),
  );
  common(budget.command("report").description("where the budget stands: level, percentages, every owner")).action((opts: CommonOptions) =>
    done(reportCommand(io, opts)),
  );
  common(
    budget
      .command("estimate")
      .argument("[phase]", "phase number or directory")
      .description("estimated tokens for each unfinished plan, and how many fit at once"),
  ).action((phase: string | undefined, opts: CommonOptions) => done(estimate().estimateCommand(io, phase, opts)));
}
