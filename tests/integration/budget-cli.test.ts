import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { registerBudget } from "../../lib/cli/budget-command";
import type { CommandResult } from "../../lib/cli/commands";
import type { Io } from "../../lib/cli/context";
import { EXIT } from "../../lib/cli/exit-codes";
import { buildProgram } from "../../lib/cli/program";
import { type Ledger, parseBudgetText } from "../../lib/core/budget/budget-schema";
import { parsePlanDoc } from "../../lib/core/plan/plan-doc";
import { contentEstimate, planSize } from "../../lib/core/budget/token-estimate";
import { type CliRun, TEST_HELPER, cli, makeTree, plan, removeTree } from "../helpers/tree";

const P = ".planning/phases/01-core";
const LEDGER = ".planning/token-budget.json";
const T0 = Date.parse("2026-03-01T09:00:00.000Z");
const at = (m: number) => () => new Date(T0 + m * 60_000);

function ioFor(cwd: string, now: () => Date, sink: { out: string; err: string }): Io {
  return { cwd, env: {}, isTTY: false, out: (s) => (sink.out += s), err: (s) => (sink.err += s), now, helper: TEST_HELPER, readStdin: async () => "" };
}

const wired = buildProgram(ioFor("/", at(0), { out: "", err: "" }), () => undefined).commands.some((c) => c.name() === "budget");

/**
 * `gsd-async budget ...`. Through the real CLI once program.ts registers the command; until
 * then through a program holding only registerBudget, mapped to exit codes the way run() does.
 */
async function budget(argv: string[], cwd: string, now = at(0)): Promise<CliRun> {
  if (wired) return cli(["budget", ...argv], { cwd, now });
  const sink = { out: "", err: "" };
  const io = ioFor(cwd, now, sink);
  const program = new Command("gsd-async").exitOverride().configureOutput({ writeOut: (s) => (sink.out += s), writeErr: (s) => (sink.err += s) });
  let pending: CommandResult | Promise<CommandResult> | undefined;
  registerBudget(program, io, (r) => (pending = r));
  try {
    await program.parseAsync(["budget", ...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return { code: EXIT.usage, ...sink };
    throw err;
  }
  const result = await pending;
  if (result === undefined) return { code: EXIT.usage, ...sink };
  if (typeof result === "string") return { code: EXIT[result], ...sink };
  sink.err += `gsd-async: ${result.message}\n`;
  return { code: EXIT[result.kind], ...sink };
}

async function budgetJson(argv: string[], cwd: string, now = at(0)) {
  const r = await budget([...argv, "--json"], cwd, now);
  let body: any;
  try {
    body = JSON.parse(r.out);
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.out}\n${r.err}`);
  }
  return { ...r, body };
}

function ledgerOf(root: string): Ledger {
  const r = parseBudgetText(readFileSync(join(root, LEDGER), "utf8"));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.ledger;
}

/** Four independent plans of the same shape (so the same estimate), at most 4 at once. */
const planText = (n: string) =>
  plan(
    `phase: 01-core\nplan: ${n}\ndepends_on: []\nfiles_modified:\n  - src/f${n}.ts`,
    `<tasks>\n<task type="auto"><name>Do ${n}</name><files>src/f${n}.ts</files></task>\n</tasks>\n`,
  );
const IDS = ["01-01", "01-02", "01-03", "01-04"];
function project(extra: Record<string, string> = {}): string {
  const files: Record<string, string> = {
    ".planning/STATE.md": "# State\n\n## Current Position\n\nPhase: 1 of 1 (Core)\n",
    ".planning/config.json": JSON.stringify({ mode: "yolo", parallelization: { max_concurrent_agents: 4 } }),
    ...extra,
  };
  for (const id of IDS) files[`${P}/${id}-PLAN.md`] = planText(id.slice(3));
  return makeTree(files);
}
const estimateOf = (id: string) => {
  const text = planText(id.slice(3));
  return contentEstimate(planSize(parsePlanDoc(text, `${P}/${id}-PLAN.md`), text));
};
const E = estimateOf("01-01");

describe("gsd-async budget", () => {
  let root: string;
  beforeEach(() => {
    root = project();
  });
  afterEach(() => removeTree(root));

  it("init creates the ledger (model table, --limit), refuses to overwrite it, --reset starts over", async () => {
    const r = await budgetJson(["init"], root);
    expect(r.code).toBe(0);
    expect(r.body).toMatchObject({
      schemaVersion: 1,
      command: "budget",
      action: "init",
      created: true,
      report: { model: "default", contextLimit: 200_000, level: "ok", available: 190_000 },
    });
    expect(ledgerOf(root)).toMatchObject({
      version: "1.0",
      context_limit: 200_000,
      thresholds: { warn: 0.8, critical: 0.9, stop: 0.95 },
      reservations: {},
      usage: [],
      created_at: new Date(T0).toISOString(),
    });
    const before = readFileSync(join(root, LEDGER), "utf8");
    const again = await budget(["init", "--model", "sonnet[1m]"], root);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists; --reset starts a new one/);
    expect(readFileSync(join(root, LEDGER), "utf8")).toBe(before);
    expect((await budget(["init", "--model", "sonnet[1m]", "--reset"], root)).code).toBe(0);
    expect(ledgerOf(root)).toMatchObject({ model: "sonnet[1m]", context_limit: 1_000_000 });
    expect((await budget(["init", "--model", "opus", "--limit", "150k", "--reset"], root)).code).toBe(0);
    expect(ledgerOf(root)).toMatchObject({ model: "opus", context_limit: 150_000 });
  });

  it("reserve: exit 0 granted, exit 1 refused with why; record replaces the reservation; release", async () => {
    await budget(["init", "--limit", "100000"], root);
    const ok = await budgetJson(["reserve", "60k", "--for", "01-01", "--plan-file", `${P}/01-01-PLAN.md`], root);
    expect(ok.code).toBe(0);
    expect(ok.body).toMatchObject({ action: "reserve", owner: "01-01", tokens: 60_000, granted: true, reason: null, available: 35_000 });
    const before = readFileSync(join(root, LEDGER), "utf8");
    const no = await budget(["reserve", "35001", "--for", "01-02"], root);
    expect(no.code).toBe(1);
    expect(no.err).toMatch(/refused: 35,001 tokens for 01-02 would bring the budget to 95% of 100,000, past the 95% stop threshold: 35,000 available/);
    expect(readFileSync(join(root, LEDGER), "utf8")).toBe(before);
    const noJson = await budgetJson(["reserve", "40000", "--for", "01-02"], root);
    expect(noJson.code).toBe(1);
    expect(noJson.body).toMatchObject({ granted: false, available: 35_000, replaced: null });
    expect(noJson.body.reason).toMatch(/past the 95% stop threshold/);
    expect((await budget(["reserve", "35000", "--for", "01-02"], root)).code).toBe(0);

    const rec = await budgetJson(["record", "20000", "--for", "01-01"], root);
    expect(rec.code).toBe(0);
    expect(rec.body).toMatchObject({
      action: "record",
      owner: "01-01",
      tokens: 20_000,
      replaced: 60_000,
      warning: null,
      report: { used: 20_000, reserved: 35_000, available: 40_000 },
    });
    expect(ledgerOf(root).usage).toEqual([
      expect.objectContaining({ owner: "01-01", tokens: 20_000, estimate: 60_000, plan_file: `${P}/01-01-PLAN.md`, source: "reported" }),
    ]);

    const rel = await budgetJson(["release", "--for", "01-02"], root);
    expect(rel.code).toBe(0);
    expect(rel.body).toMatchObject({ released: true, tokens: 35_000, report: { reserved: 0, available: 75_000 } });
    const none = await budget(["release", "--for", "01-02"], root);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no reservation for 01-02/);
  });

  it("report shows the level, percentages and owners; the token alias works", async () => {
    await budget(["init", "--limit", "100000"], root);
    await budget(["reserve", "50000", "--for", "01-01"], root);
    await budget(["record", "32000", "--for", "phase-2"], root);
    const r = await budgetJson(["report"], root);
    expect(r.code).toBe(0);
    expect(r.body.report).toMatchObject({
      level: "warn",
      used: 32_000,
      reserved: 50_000,
      committed: 82_000,
      available: 13_000,
      percent: { used: 32, reserved: 50, committed: 82 },
    });
    expect(r.body.report.owners.map((o: { owner: string; kind: string }) => [o.owner, o.kind])).toEqual([
      ["01-01", "plan"],
      ["phase-2", "phase"],
    ]);
    const text = await budget(["report"], root);
    expect(text.out).toMatch(/82% warn/);
    expect(text.out).toMatch(/01-01\s+50,000\s+0/);
    if (wired) {
      const alias = await cli(["token", "report", "--json"], { cwd: root });
      expect(JSON.parse(alias.out).report.committed).toBe(82_000);
    }
  });

  it("usage errors: no ledger yet (2), bad token counts (2), no project (3)", async () => {
    const r = await budget(["reserve", "100", "--for", "x"], root);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no \.planning\/token-budget\.json/);
    expect((await budget(["report"], root)).code).toBe(2);
    expect(existsSync(join(root, LEDGER))).toBe(false);
    await budget(["init"], root);
    expect((await budget(["reserve", "lots", "--for", "x"], root)).code).toBe(2);
    expect((await budget(["reserve", "0", "--for", "x"], root)).code).toBe(2);
    expect((await budget(["reserve", "100"], root)).code).toBe(2);
    const empty = makeTree({ "x.txt": "" });
    try {
      expect((await budget(["report", "--cwd", empty], empty)).code).toBe(3);
    } finally {
      removeTree(empty);
    }
  });

  it("a corrupt ledger is a clear error (exit 4) and is never overwritten, by budget or by start", async () => {
    const corrupt = '{ "version": "1.0", "model": "x", "context_limit": "many" }\n';
    writeFileSync(join(root, LEDGER), corrupt);
    for (const argv of [["reserve", "10", "--for", "a"], ["record", "10", "--for", "a"], ["release", "--for", "a"], ["report"], ["init"]]) {
      const r = await budget(argv, root);
      expect(r.code).toBe(4);
      expect(r.err).toMatch(/token-budget\.json is not a valid gsd-async token budget: context_limit/);
    }
    const start = await cli(["start", "--cwd", root], { now: at(0) });
    expect(start.code).toBe(4);
    expect(readFileSync(join(root, LEDGER), "utf8")).toBe(corrupt);
    expect(readdirSync(join(root, ".planning")).filter((n) => n.startsWith("token-budget"))).toEqual(["token-budget.json"]);
  });

  it("a corrupt ledger can be mended: init --reset keeps it as a backup and starts anew; repair moves it aside", async () => {
    const corrupt = "{\n";
    writeFileSync(join(root, LEDGER), corrupt);
    expect((await cli(["status", "--cwd", root], { now: at(0) })).code).toBe(4);
    const reset = await budget(["init", "--reset"], root);
    expect(reset.code).toBe(0);
    const backups = readdirSync(join(root, ".planning")).filter((n) => n.startsWith("token-budget.json.corrupt-"));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(root, ".planning", backups[0] as string), "utf8")).toBe(corrupt);
    expect(JSON.parse(readFileSync(join(root, LEDGER), "utf8")).version).toBe("1.0");
    writeFileSync(join(root, LEDGER), corrupt);
    const repaired = await cli(["repair", "--cwd", root, "--json"], { now: at(1) });
    expect(repaired.code).toBe(0);
    expect(JSON.parse(repaired.out).ledger).toMatchObject({ repaired: true });
    expect(readdirSync(join(root, ".planning")).filter((n) => n.startsWith("token-budget.json.corrupt-"))).toHaveLength(2);
    expect((await cli(["status", "--cwd", root], { now: at(2) })).code).not.toBe(4);
  });

  it("estimate lists each unfinished plan and how many fit at once", async () => {
    const none = await budgetJson(["estimate"], root);
    expect(none.code).toBe(0);
    expect(none.body).toMatchObject({ action: "estimate", total: 4 * E, available: null, atOnce: null });
    expect(none.body.plans.map((p: { id: string; tokens: number }) => [p.id, p.tokens])).toEqual(IDS.map((id) => [id, E]));
    await budget(["init", "--limit", String(Math.ceil((2.5 * E) / 0.95))], root);
    const r = await budgetJson(["estimate"], root);
    expect(r.body.atOnce).toBe(2);
    expect((await budget(["estimate"], root)).out).toMatch(/at most 2 of 4 unfinished plans at once/);
  });
});

describe("the budget in start and status", () => {
  let root: string;
  beforeEach(() => {
    root = project();
  });
  afterEach(() => removeTree(root));
  const startJson = async (now = at(0)) => {
    const r = await cli(["start", "--json", "--cwd", root], { now });
    return { ...r, body: JSON.parse(r.out) };
  };
  const statusJson = async (now: () => Date) => {
    const r = await cli(["status", "--json", "--cwd", root], { now });
    return { ...r, body: JSON.parse(r.out) };
  };
  const plans = (spawn: { plan: string }[]) => spawn.map((s) => s.plan);

  it("with no ledger, nothing changes: the whole group starts", async () => {
    expect(IDS.map(estimateOf)).toEqual([E, E, E, E]);
    const r = await startJson();
    expect(plans(r.body.spawn)).toEqual(IDS);
    expect(r.body.budgetNote).toBeNull();
    expect(existsSync(join(root, LEDGER))).toBe(false);
  });

  it("starts fewer at once when the budget cannot cover the group, reserves on spawn, settles on completion", async () => {
    await budget(["init", "--limit", String(Math.ceil((2.5 * E) / 0.95))], root);
    const r = await startJson();
    expect(r.code).toBe(0);
    expect(plans(r.body.spawn)).toEqual(["01-01", "01-02"]);
    expect(r.body.budgetNote).toMatch(/^token budget: .* cover 01-01, 01-02 .* but not 01-03 as well .*: starting fewer plans at once/);
    const runId = r.body.run.run_id;
    expect(ledgerOf(root).reservations).toEqual({
      "01-01": { tokens: E, basis: E, kind: "plan", plan_file: `${P}/01-01-PLAN.md`, run_id: runId, reserved_at: new Date(T0).toISOString() },
      "01-02": { tokens: E, basis: E, kind: "plan", plan_file: `${P}/01-02-PLAN.md`, run_id: runId, reserved_at: new Date(T0).toISOString() },
    });
    for (const id of ["01-01", "01-02"])
      expect((await cli(["spawned", id, "--agent-id", `a${id.replace("-", "")}00000000`, "--cwd", root], { now: at(0) })).code).toBe(0);
    // The text output says why, too.
    const peek = await cli(["status", "--peek", "--cwd", root], { now: at(1) });
    expect(peek.out).toMatch(/Budget: token budget: 01-03 needs ~[\d,]+ tokens but [\d,]+ are left/);

    // 01-01 finishes with no count reported: its reservation is taken as spent, and the half-plan
    // left is not enough for 01-03 while 01-02 still runs.
    writeFileSync(join(root, P, "01-01-SUMMARY.md"), "---\nduration: 5min\n---\n# done\n");
    const s1 = await statusJson(at(5));
    expect(plans(s1.body.spawn)).toEqual([]);
    expect(ledgerOf(root).usage).toEqual([expect.objectContaining({ owner: "01-01", tokens: E, source: "reservation" })]);
    expect(s1.body.budgetNote).toMatch(/01-03 needs ~[\d,]+ tokens but [\d,]+ are left under the 95% stop threshold/);

    // The real count is a fifth of the estimate: recording it frees room, and it calibrates the
    // estimates (x0.2, clamped to x0.25), so the next status starts both remaining plans.
    const fifth = Math.round(E / 5);
    expect((await budget(["record", String(fifth), "--for", "01-01"], root)).code).toBe(0);
    const s2 = await statusJson(at(6));
    expect(plans(s2.body.spawn)).toEqual(["01-03", "01-04"]);
    const l = ledgerOf(root);
    expect(l.usage).toHaveLength(1);
    expect(l.usage[0]).toMatchObject({ tokens: fifth, estimate: E, basis: E, source: "reported" });
    expect(Object.keys(l.reservations).sort()).toEqual(["01-02", "01-03", "01-04"]);
    expect(l.reservations["01-03"]).toMatchObject({ tokens: Math.round(E * 0.25), basis: E });
    const est = await budgetJson(["estimate"], root);
    expect(est.body.calibration).toEqual({ factor: 0.25, samples: 1, actual: fifth, estimated: E });
  });

  it("never crosses the stop threshold: nothing starts when no plan fits, and status says it is stopped", async () => {
    const limit = Math.ceil((2.5 * E) / 0.95);
    await budget(["init", "--limit", String(limit)], root);
    await budget(["record", String(Math.round(2.4 * E)), "--for", "earlier-phase"], root);
    const r = await startJson();
    expect(r.code).toBe(0);
    expect(r.body.spawn).toEqual([]);
    expect(r.body.budgetNote).toMatch(/^token budget: 01-01 needs ~[\d,]+ tokens .*: not started until tokens are freed/);
    expect(ledgerOf(root).reservations).toEqual({});
    const s = await cli(["status", "--cwd", root], { now: at(1) });
    expect(s.code).toBe(1);
    expect(s.out).toMatch(/Budget: token budget: 01-01 needs/);
    expect(s.out).toMatch(/token budget critical: 9\d(\.\d)?% committed: past the critical threshold/);
  });
});
