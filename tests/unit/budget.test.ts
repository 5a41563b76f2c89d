import fc from "fast-check";
import {
  availableTokens,
  ceiling,
  levelOf,
  newLedger,
  ownerKind,
  recordUse,
  releaseReservation,
  reserveTokens,
  reservedTokens,
  usedTokens,
} from "../../lib/core/budget/budget";
import { budgetCheck, budgetLevelNote, settleStep } from "../../lib/core/budget/budget-gate";
import { budgetJsonText } from "../../lib/json/budget-json";
import { budgetReport } from "../../lib/core/budget/budget-report";
import { DEFAULT_CONTEXT_LIMIT, type Ledger, contextLimitFor, parseBudgetText } from "../../lib/core/budget/budget-schema";
import { parsePlanDoc } from "../../lib/core/plan/plan-doc";
import { type SchedPlan, schedule } from "../../lib/core/schedule/scheduler";
import { parseTokenCount } from "../../lib/core/budget/token-count";
import { CALIBRATION_CLAMP, TOKEN_ESTIMATE, type PlanSize, calibration, contentEstimate, estimateTokens, planSize } from "../../lib/core/budget/token-estimate";
import { JSON_SCHEMA_VERSION } from "../../lib/json/analysis-json";

const NOW = "2026-03-01T09:00:00.000Z";
const ledger = (limit = 100_000) => newLedger({ now: NOW, limit });
const must = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
  if (!r.ok) throw new Error(`expected ok: ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
};
/** Ledger with `reserved` held by "held" and `used` recorded by "done". */
function filled(used: number, reserved: number, limit = 100_000): Ledger {
  let l = ledger(limit);
  if (used > 0) l = recordUse(l, used, "done", {}, NOW).ledger;
  if (reserved > 0) l = must(reserveTokens(l, reserved, "held", {}, NOW)).ledger;
  return l;
}

describe("ledger maths", () => {
  it("starts with the model's context limit (200k by default, 1M for [1m] variants) unless --limit says otherwise", () => {
    expect(newLedger({ now: NOW }).context_limit).toBe(DEFAULT_CONTEXT_LIMIT);
    expect(newLedger({ now: NOW, model: "claude-opus-4-1" }).context_limit).toBe(200_000);
    expect(contextLimitFor("sonnet[1m]")).toBe(1_000_000);
    expect(contextLimitFor("some-other-model")).toBe(200_000);
    expect(newLedger({ now: NOW, model: "sonnet[1m]", limit: 50_000 }).context_limit).toBe(50_000);
    expect(newLedger({ now: NOW }).thresholds).toEqual({ warn: 0.8, critical: 0.9, stop: 0.95 });
  });

  it("available = stop * limit - used - reserved", () => {
    const l = filled(30_000, 20_000);
    expect(ceiling(l)).toBe(95_000);
    expect(usedTokens(l)).toBe(30_000);
    expect(reservedTokens(l)).toBe(20_000);
    expect(availableTokens(l)).toBe(45_000);
    // An owner's own reservation does not count against it when it reserves again.
    expect(availableTokens(l, "held")).toBe(65_000);
  });

  it("grants a reservation that fits exactly and refuses one token more, saying why", () => {
    const l = filled(30_000, 20_000);
    const exact = must(reserveTokens(l, 45_000, "01-03", {}, NOW));
    expect(availableTokens(exact.ledger)).toBe(0);
    expect(exact.ledger.reservations["01-03"]).toMatchObject({ tokens: 45_000, kind: "plan", reserved_at: NOW });
    const over = reserveTokens(l, 45_001, "01-03", {}, NOW);
    expect(over.ok).toBe(false);
    if (!over.ok) {
      expect(over.available).toBe(45_000);
      expect(over.reason).toMatch(/45,001 tokens for 01-03 .*past the 95% stop threshold: 45,000 available/);
    }
    expect(reserveTokens(l, 0, "x", {}, NOW).ok).toBe(false);
    expect(reserveTokens(l, 1.5, "x", {}, NOW).ok).toBe(false);
    expect(reserveTokens(l, 10, " ", {}, NOW).ok).toBe(false);
  });

  it("reserving again for the same owner replaces its reservation", () => {
    const l = must(reserveTokens(ledger(), 40_000, "01-01", {}, NOW)).ledger;
    const again = must(reserveTokens(l, 90_000, "01-01", {}, NOW));
    expect(again.replaced).toBe(40_000);
    expect(reservedTokens(again.ledger)).toBe(90_000);
  });

  it("record replaces the owner's reservation with actual use, and may go past the stop (it happened)", () => {
    const l = must(reserveTokens(ledger(), 40_000, "01-01", { plan_file: "p/01-01-PLAN.md", run_id: "r1" }, NOW)).ledger;
    const r = recordUse(l, 35_000, "01-01", {}, NOW);
    expect(r.replaced).toBe(40_000);
    expect(r.ledger.reservations).toEqual({});
    expect(r.ledger.usage).toEqual([
      expect.objectContaining({ owner: "01-01", tokens: 35_000, estimate: 40_000, source: "reported", plan_file: "p/01-01-PLAN.md", run_id: "r1" }),
    ]);
    expect(r.warning).toBeUndefined();
    const past = recordUse(r.ledger, 70_000, "big", {}, NOW);
    expect(past.warning).toMatch(/past the 95% stop threshold/);
    expect(availableTokens(past.ledger)).toBeLessThan(0);
    expect(reserveTokens(past.ledger, 1, "x", {}, NOW).ok).toBe(false);
  });

  it("a reported count replaces the stand-in use of a plan that finished without one", () => {
    let l = must(reserveTokens(ledger(), 40_000, "01-01", { basis: 40_000 }, NOW)).ledger;
    l = recordUse(l, 40_000, "01-01", {}, NOW, "reservation").ledger;
    const r = recordUse(l, 25_000, "01-01", {}, NOW);
    expect(r.replaced).toBe(40_000);
    expect(r.ledger.usage).toHaveLength(1);
    expect(r.ledger.usage[0]).toMatchObject({ tokens: 25_000, estimate: 40_000, basis: 40_000, source: "reported" });
    // A second report is more use (a retry), not a correction.
    expect(recordUse(r.ledger, 5_000, "01-01", {}, NOW).ledger.usage).toHaveLength(2);
  });

  it("release drops a reservation; releasing nothing says so", () => {
    const l = must(reserveTokens(ledger(), 40_000, "01-01", {}, NOW)).ledger;
    const r = must(releaseReservation(l, "01-01", NOW));
    expect(r.released).toBe(40_000);
    expect(availableTokens(r.ledger)).toBe(95_000);
    const none = releaseReservation(r.ledger, "01-01", NOW);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.reason).toBe("no reservation for 01-01 (nothing is reserved)");
  });

  it("levels: ok below 80%, warn from 80%, critical from 90%, stop from 95%", () => {
    const t = { warn: 0.8, critical: 0.9, stop: 0.95 };
    expect([0, 0.799, 0.8, 0.899, 0.9, 0.949, 0.95, 1.2].map((f) => levelOf(f, t))).toEqual([
      "ok",
      "ok",
      "warn",
      "warn",
      "critical",
      "critical",
      "stop",
      "stop",
    ]);
    const r = budgetReport(filled(50_000, 35_000));
    expect(r).toMatchObject({
      level: "warn",
      used: 50_000,
      reserved: 35_000,
      committed: 85_000,
      available: 10_000,
      ceiling: 95_000,
      percent: { used: 50, reserved: 35, committed: 85 },
    });
    expect(budgetReport(filled(50_000, 40_000)).level).toBe("critical");
    expect(budgetReport(filled(50_000, 45_000)).level).toBe("stop");
    expect(budgetReport(filled(10_000, 0)).level).toBe("ok");
    expect(budgetLevelNote(filled(10_000, 0))).toBeUndefined();
    expect(budgetLevelNote(filled(50_000, 40_000))).toMatch(/^token budget critical: 90% committed/);
    expect(budgetLevelNote(null)).toBeUndefined();
  });

  it("reports per owner and validates as --json output", () => {
    let l = filled(30_000, 20_000);
    l = recordUse(l, 5_000, "done", {}, NOW).ledger;
    const r = budgetReport(l);
    expect(r.owners).toEqual([
      { owner: "done", kind: "other", reserved: 0, used: 35_000, records: 2, planFile: null, runId: null },
      { owner: "held", kind: "other", reserved: 20_000, used: 0, records: 0, planFile: null, runId: null },
    ]);
    const text = budgetJsonText({
      schemaVersion: JSON_SCHEMA_VERSION,
      command: "budget",
      file: ".planning/token-budget.json",
      action: "report",
      report: r,
      calibration: calibration(l.usage),
    });
    expect(JSON.parse(text).report.level).toBe("ok");
    expect(() =>
      budgetJsonText({
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "budget",
        file: "x",
        action: "report",
        report: { ...r, level: "bad" as never },
        calibration: calibration([]),
      }),
    ).toThrow();
  });

  it("never lets reservations cross the stop threshold, whatever the sequence (property)", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("reserve" as const), n: fc.integer({ min: 1, max: 60_000 }), owner: fc.constantFrom("a", "b", "c", "d") }),
      fc.record({ kind: fc.constant("record" as const), n: fc.integer({ min: 0, max: 30_000 }), owner: fc.constantFrom("a", "b", "c", "d") }),
      fc.record({ kind: fc.constant("release" as const), n: fc.constant(0), owner: fc.constantFrom("a", "b", "c", "d") }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let l = ledger();
        for (const o of ops) {
          if (o.kind === "reserve") {
            const before = availableTokens(l, o.owner);
            const r = reserveTokens(l, o.n, o.owner, {}, NOW);
            expect(r.ok).toBe(o.n <= before);
            if (r.ok) {
              l = r.ledger;
              expect(usedTokens(l) + reservedTokens(l)).toBeLessThanOrEqual(ceiling(l));
            }
          } else if (o.kind === "record") l = recordUse(l, o.n, o.owner, {}, NOW).ledger;
          else {
            const r = releaseReservation(l, o.owner, NOW);
            if (r.ok) l = r.ledger;
          }
          expect(parseBudgetText(JSON.stringify(l)).ok).toBe(true);
        }
      }),
    );
  });

  it("names owners: plans, phases, anything else", () => {
    expect(["01-03", "02.1-04", "36B-01", "3", "02.1", "phase-3", "01-core", "nightly"].map(ownerKind)).toEqual([
      "plan",
      "plan",
      "plan",
      "phase",
      "phase",
      "phase",
      "phase",
      "other",
    ]);
  });

  it("parses token counts as people type them", () => {
    const ok = (t: string) => must(parseTokenCount(t)).tokens;
    expect([ok("45000"), ok("45_000"), ok("45,000"), ok("45k"), ok("1.5M"), ok(" 2K ")]).toEqual([45_000, 45_000, 45_000, 45_000, 1_500_000, 2_000]);
    for (const bad of ["", "-5", "abc", "1.5", "4.5e3", "12kk", "0"]) expect(parseTokenCount(bad).ok).toBe(false);
    expect(parseTokenCount("0", true)).toEqual({ ok: true, tokens: 0 });
  });
});

describe("token-budget.json", () => {
  it("round-trips and keeps unknown fields", () => {
    const l = { ...must(reserveTokens(ledger(), 10, "x", {}, NOW)).ledger, note: "kept" };
    const r = must(parseBudgetText(JSON.stringify(l)));
    expect(r.ledger).toEqual(l);
  });

  it("rejects what it cannot trust, with readable problems", () => {
    const bad = (v: unknown) => {
      const r = parseBudgetText(typeof v === "string" ? v : JSON.stringify(v));
      if (r.ok) throw new Error("expected problems");
      return r.problems;
    };
    expect(bad("{ nope")[0]?.message).toMatch(/^not valid JSON/);
    expect(bad({ ...ledger(), version: "9" })[0]).toEqual({ path: "version", message: "unsupported version '9' (this gsd-async reads 1.0)" });
    expect(bad({ ...ledger(), thresholds: { warn: 0.9, critical: 0.8, stop: 0.95 } })[0]?.message).toMatch(/ordered/);
    expect(bad({ ...ledger(), context_limit: -1 })[0]?.path).toBe("context_limit");
    expect(bad({ ...ledger(), reservations: { a: { tokens: "lots", kind: "plan", reserved_at: NOW } } })[0]?.path).toBe("reservations.a.tokens");
    expect(bad({ ...ledger(), usage: [{ owner: "a", tokens: -3, estimate: null, source: "reported", kind: "plan", recorded_at: NOW }] })[0]?.path).toBe(
      "usage.0.tokens",
    );
  });
});

const PLAN = `---
phase: 01-core
plan: 02
depends_on: []
files_modified:
  - src/a.ts
  - src/b.ts
---

<context>
@.planning/STATE.md
@src/types.ts
@src/a.ts
</context>

<tasks>
<task type="auto">
  <name>Add a</name>
  <files>src/a.ts</files>
  <read_first>src/util.ts</read_first>
</task>
<task type="auto"><name>Add b</name><files>src/b.ts</files></task>
<task type="checkpoint:human-verify"><name>Look at it</name></task>
</tasks>
`;

describe("token estimates", () => {
  const size: PlanSize = { tasks: 2, checkpoints: 1, filesModified: 2, contextRefs: 3, chars: 4_000 };

  it("reads tasks, checkpoints, modified files, files only read, and length from the plan", () => {
    const doc = parsePlanDoc(PLAN, ".planning/phases/01-core/01-02-PLAN.md");
    // src/a.ts is both read and modified: counted once, as modified.
    expect(planSize(doc, PLAN)).toEqual({ tasks: 2, checkpoints: 1, filesModified: 2, contextRefs: 3, chars: PLAN.length });
  });

  it("is the documented sum, clamped", () => {
    const e = TOKEN_ESTIMATE;
    expect(contentEstimate(size)).toBe(e.base + 2 * e.perTask + e.perCheckpoint + 2 * e.perFile + 3 * e.perContextRef + 4_000 / e.charsPerToken);
    expect(contentEstimate({ tasks: 0, checkpoints: 0, filesModified: 0, contextRefs: 0, chars: 0 })).toBe(e.min);
    expect(contentEstimate({ ...size, tasks: 100 })).toBe(e.max);
  });

  it("grows with every part of the plan", () => {
    const base = contentEstimate(size);
    for (const k of ["tasks", "checkpoints", "filesModified", "contextRefs"] as const)
      expect(contentEstimate({ ...size, [k]: size[k] + 1 })).toBeGreaterThan(base);
    expect(contentEstimate({ ...size, chars: size.chars + 4_000 })).toBe(base + 1_000);
  });

  it("is calibrated by reported use: sum(actual) / sum(basis), clamped, reservations taken as spent ignored", () => {
    let l = ledger(1_000_000);
    expect(calibration(l.usage)).toEqual({ factor: 1, samples: 0, actual: 0, estimated: 0 });
    l = must(reserveTokens(l, 40_000, "01-01", { basis: 40_000 }, NOW)).ledger;
    l = must(reserveTokens(l, 20_000, "01-02", { basis: 20_000 }, NOW)).ledger;
    l = must(reserveTokens(l, 30_000, "01-03", { basis: 30_000 }, NOW)).ledger;
    l = recordUse(l, 60_000, "01-01", {}, NOW).ledger;
    l = recordUse(l, 30_000, "01-02", {}, NOW).ledger;
    l = recordUse(l, 30_000, "01-03", {}, NOW, "reservation").ledger; // no count: not a sample
    l = recordUse(l, 99_000, "manual", {}, NOW).ledger; // no basis: not a sample
    const cal = calibration(l.usage);
    expect(cal).toEqual({ factor: 1.5, samples: 2, actual: 90_000, estimated: 60_000 });
    expect(estimateTokens(size, cal)).toEqual({ basis: contentEstimate(size), tokens: Math.round(contentEstimate(size) * 1.5) });
    expect(estimateTokens(size)).toEqual({ basis: contentEstimate(size), tokens: contentEstimate(size) });
    const runaway = recordUse(must(reserveTokens(ledger(), 10_000, "x", { basis: 10_000 }, NOW)).ledger, 900_000, "x", {}, NOW).ledger;
    expect(calibration(runaway.usage).factor).toBe(CALIBRATION_CLAMP.max);
  });
});

describe("the budget in the scheduler", () => {
  const plans = (ids: string[], running: string[] = []): SchedPlan[] =>
    ids.map((id, order) => ({
      id,
      order,
      deps: [],
      externalPending: [],
      autonomous: true,
      minutes: 5,
      state: running.includes(id) ? ("running" as const) : ("pending" as const),
    }));
  const est = (ids: string[], n: number) => new Map(ids.map((id) => [id, n]));
  const ids = ["01-01", "01-02", "01-03", "01-04"];
  const run = (l: Ledger | null, p = plans(ids)) => {
    const budget = budgetCheck(l, est(ids, 20_000));
    return schedule({ plans: p, maxConcurrent: 4, strategy: "fifo", includeCheckpoints: false, ...(budget ? { budget } : {}) });
  };

  it("the scheduler contract: a soft refusal still lets one plan go alone, a hard one never does", () => {
    const p = plans(["A", "B"]);
    const soft = schedule({
      plans: p,
      maxConcurrent: 2,
      strategy: "fifo",
      includeCheckpoints: false,
      budget: () => ({ ok: false, reason: "too big together" }),
    });
    expect(soft.start).toEqual(["A"]);
    const hard = schedule({
      plans: p,
      maxConcurrent: 2,
      strategy: "fifo",
      includeCheckpoints: false,
      budget: () => ({ ok: false, reason: "over the stop", hard: true }),
    });
    expect(hard.start).toEqual([]);
    expect(hard.budgetNote).toBe("over the stop");
    expect(hard.waiting.map((w) => [w.id, w.position])).toEqual([
      ["A", 1],
      ["B", 2],
    ]);
  });

  it("with no ledger, nothing changes", () => {
    expect(budgetCheck(null, new Map())).toBeUndefined();
    const s = run(null);
    expect(s.start).toEqual(ids);
    expect(s.budgetNote).toBeUndefined();
  });

  it("starts the whole group when the budget covers it", () => {
    const s = run(filled(0, 0));
    expect(s.start).toEqual(ids);
    expect(s.budgetNote).toBeUndefined();
  });

  it("starts fewer at once when it cannot, and says why", () => {
    const s = run(filled(40_000, 0)); // 55k available: 2 of 4
    expect(s.start).toEqual(["01-01", "01-02"]);
    expect(s.waiting.map((w) => w.id)).toEqual(["01-03", "01-04"]);
    expect(s.budgetNote).toBe(
      "token budget: 55,000 tokens left under the 95% stop threshold cover 01-01, 01-02 (~40,000) but not 01-03 as well (~20,000): starting fewer plans at once",
    );
  });

  it("falls back to sequential when only one plan fits", () => {
    const s = run(filled(60_000, 0)); // 35k available
    expect(s.start).toEqual(["01-01"]);
    expect(s.budgetNote).toMatch(/cover 01-01 .* but not 01-02 as well/);
  });

  it("never crosses the stop threshold: a plan that does not fit alone is not started (hard refusal)", () => {
    const s = run(filled(80_000, 0)); // 15k available, each plan needs 20k
    expect(s.start).toEqual([]);
    expect(s.waiting.map((w) => w.id)).toEqual(ids);
    expect(s.budgetNote).toMatch(
      /^token budget: 01-01 needs ~20,000 tokens but 15,000 are left under the 95% stop threshold \(80% of 100,000 committed\): not started until tokens are freed/,
    );
  });

  it("a smaller plan still goes when a bigger one does not fit", () => {
    const budget = budgetCheck(
      filled(70_000, 0),
      new Map([
        ["01-01", 30_000],
        ["01-02", 10_000],
      ]),
    );
    const s = schedule({ plans: plans(["01-01", "01-02"]), maxConcurrent: 4, strategy: "fifo", includeCheckpoints: false, ...(budget ? { budget } : {}) });
    expect(s.start).toEqual(["01-02"]);
  });

  it("counts what a plan already holds (a spawn lease that ran out keeps its reservation)", () => {
    const l = must(reserveTokens(filled(60_000, 0), 20_000, "01-01", {}, NOW)).ledger; // 15k left, 01-01 covered
    const s = run(l);
    expect(s.start).toEqual(["01-01"]);
  });

  it("settles a step: finished plans' reservations become use, started plans reserve their estimate", () => {
    let l = must(reserveTokens(ledger(), 30_000, "01-01", { basis: 30_000, run_id: "r1" }, NOW)).ledger;
    l = must(reserveTokens(l, 50_000, "01-02", { run_id: "r1" }, NOW)).ledger;
    const estimates = new Map([
      ["01-02", { tokens: 20_000, basis: 20_000 }],
      ["01-03", { tokens: 12_000, basis: 10_000 }],
      ["01-04", { tokens: 80_000, basis: 80_000 }],
    ]);
    const dispatched = ["01-02", "01-03", "01-04"].map((plan) => ({ plan, planFile: `p/${plan}-PLAN.md`, runId: "r1" }));
    const r = settleStep(l, ["01-01", "01-09"], dispatched, estimates, NOW);
    expect(r.changed).toBe(true);
    expect(r.ledger.usage).toEqual([expect.objectContaining({ owner: "01-01", tokens: 30_000, source: "reservation", basis: 30_000 })]);
    expect(r.ledger.reservations["01-02"]?.tokens).toBe(50_000); // a larger reservation it holds is kept
    expect(r.ledger.reservations["01-03"]).toMatchObject({ tokens: 12_000, basis: 10_000, kind: "plan", plan_file: "p/01-03-PLAN.md", run_id: "r1" });
    expect(r.refused).toEqual(["01-04"]); // 30k + 50k + 12k + 80k > 95k
    expect(settleStep(r.ledger, [], dispatched.slice(0, 2), estimates, NOW).changed).toBe(false);
  });
});
