import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import type { WorkflowArgs } from "../../lib/core/workflow/workflow-args";

/**
 * The plugin's workflow script, run in a `node:vm` context the way Claude Code runs it: its body in
 * an async context with the globals `args`, `agent` and `log`. The fake `agent()` never settles by
 * itself: the test settles the running agents one at a time in an order it chooses, and records
 * every start and end, so the properties are checked against an exact event order.
 */
const SCRIPT = readFileSync(join(__dirname, "../../workflows/run-phase.js"), "utf8");

type Outcome = "completed" | "failed" | "null" | "throw";
type Ev = { kind: "start" | "end"; id: string; running: number };

interface Pending {
  id: string;
  settle: (o: Outcome) => void;
}

interface Run {
  events: Ev[];
  result: { gsdAsyncRun: string; launch: string; phase: string; results: Record<string, { outcome: string; blockedBy?: string[]; reason?: string }> };
  opts: Record<string, Record<string, unknown>>;
  prompts: Record<string, string>;
}

const tick = () => new Promise((r) => setImmediate(r));

/** Runs the script; `pick(pending)` chooses which running agent ends next and how. */
async function runScript(args: WorkflowArgs, pick: (pending: Pending[]) => { index: number; outcome: Outcome }, onStart?: (id: string) => void): Promise<Run> {
  const events: Ev[] = [];
  const pending: Pending[] = [];
  const opts: Run["opts"] = {};
  const prompts: Run["prompts"] = {};
  let running = 0;
  const idOf = (prompt: string) => /^plan (\S+)/.exec(prompt)?.[1] ?? "?";
  const agent = (prompt: string, o: Record<string, unknown>) => {
    const id = idOf(prompt);
    running++;
    events.push({ kind: "start", id, running });
    opts[id] = o;
    prompts[id] = prompt;
    onStart?.(id);
    return new Promise((resolve, reject) => {
      pending.push({
        id,
        settle: (outcome) => {
          running--;
          events.push({ kind: "end", id, running });
          if (outcome === "throw") reject(new Error("no StructuredOutput"));
          else resolve(outcome === "null" ? null : outcome === "completed" ? { outcome } : { outcome, reason: "tests failed" });
        },
      });
    });
  };
  const body = SCRIPT.replace(/^export const meta = /m, "const meta = ");
  const context = vm.createContext({ args: JSON.parse(JSON.stringify(args)), agent, log: () => undefined });
  const done = vm.runInContext(`(async () => {\n${body}\n})()`, context) as Promise<Run["result"]>;
  let result: Run["result"] | undefined;
  void done.then((r) => (result = r));
  for (let guard = 0; guard < 10_000; guard++) {
    await tick();
    if (result !== undefined) break;
    if (pending.length === 0) throw new Error("the script waits with no agent running");
    const { index, outcome } = pick(pending);
    const [p] = pending.splice(index % pending.length, 1);
    p!.settle(outcome);
  }
  if (result === undefined) throw new Error("the script did not end");
  return { events, result: JSON.parse(JSON.stringify(result)) as Run["result"], opts, prompts };
}

const argsOf = (deps: Record<string, string[]>, cap: number, order?: string[]): WorkflowArgs => {
  const ids = Object.keys(deps);
  return {
    run: "r1",
    launch: "2026-01-01T00:00:00.000Z",
    phase: ".planning/phases/01-x",
    cap,
    order: order ?? ids,
    complete: [],
    plans: ids.map((id) => ({ id, label: `gsd-async ${id}`, prompt: `plan ${id}\nrun it`, after: deps[id]! })),
  };
};

/** A random DAG: plan i may depend on any earlier plan; random priorities, cap and outcomes. */
const dagCase = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    deps: fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => `p${j}`)))),
    cap: fc.integer({ min: 1, max: 4 }),
    order: fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => `p${i}`),
      { minLength: n, maxLength: n },
    ),
    outcomes: fc.array(fc.constantFrom<Outcome>("completed", "completed", "completed", "failed", "null", "throw"), { minLength: n, maxLength: n }),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
  }),
);

describe("workflows/run-phase.js", () => {
  it("starts with a pure-literal meta and mentions no clock or randomness", () => {
    expect(SCRIPT.startsWith("export const meta = {")).toBe(true);
    const literal = /^export const meta = (\{[\s\S]*?\n\});/.exec(SCRIPT)?.[1] ?? "";
    expect(literal).not.toMatch(/[`(]|\.\.\./);
    expect(vm.runInNewContext(`(${literal})`)).toMatchObject({ name: "run-phase", description: expect.stringContaining("gsd-async") });
    expect(SCRIPT).not.toMatch(/Date\.now|new Date|Math\.random/);
  });

  it("property: prerequisites first, cap held, each runnable plan exactly once, failures skip exactly their dependents, best free plan first, no idle slot", async () => {
    await fc.assert(
      fc.asyncProperty(dagCase, async ({ deps: depList, cap, order, outcomes, picks }) => {
        const deps = Object.fromEntries(depList.map((d, i) => [`p${i}`, d]));
        const outcomeOf = (id: string) => outcomes[Number(id.slice(1))]!;
        const rank = (id: string) => order.indexOf(id);
        const ok = new Set<string>();
        const endedOrStarted = new Set<string>();
        let step = 0;
        const ready = () => Object.keys(deps).filter((id) => !endedOrStarted.has(id) && deps[id]!.every((d) => ok.has(d)));
        const r = await runScript(
          argsOf(deps, cap, order),
          (pending) => {
            const index = picks[step++ % picks.length]! % pending.length;
            const id = pending[index]!.id;
            const outcome = outcomeOf(id);
            if (outcome === "completed") ok.add(id);
            return { index, outcome };
          },
          (id) => {
            // The plan started is the best of those ready at this moment.
            const better = ready().filter((x) => x !== id && rank(x) < rank(id));
            expect(better).toEqual([]);
            endedOrStarted.add(id);
          },
        );
        const startIdx = (id: string) => r.events.findIndex((e) => e.kind === "start" && e.id === id);
        const endIdx = (id: string) => r.events.findIndex((e) => e.kind === "end" && e.id === id);
        // Which plans should run: every prerequisite ran and completed, transitively.
        const shouldRun = new Set<string>();
        for (const id of Object.keys(deps)) if (deps[id]!.every((d) => shouldRun.has(d) && outcomeOf(d) === "completed")) shouldRun.add(id);
        const startedIds = r.events.filter((e) => e.kind === "start").map((e) => e.id);
        expect([...startedIds].sort()).toEqual([...shouldRun].sort());
        for (const id of shouldRun) {
          for (const d of deps[id]!) expect(endIdx(d)).toBeLessThan(startIdx(id));
        }
        expect(Math.max(0, ...r.events.map((e) => e.running))).toBeLessThanOrEqual(cap);
        // No idle slot: after each end, a plan that became ready starts before the next end.
        for (let i = 0; i < r.events.length; i++) {
          const e = r.events[i]!;
          const running = e.running;
          const next = r.events[i + 1];
          if (e.kind === "end" && next?.kind !== "start") {
            const done = new Set(
              r.events
                .slice(0, i + 1)
                .filter((x) => x.kind === "end" && outcomeOf(x.id) === "completed")
                .map((x) => x.id),
            );
            const begun = new Set(
              r.events
                .slice(0, i + 1)
                .filter((x) => x.kind === "start")
                .map((x) => x.id),
            );
            const waiting = Object.keys(deps).filter((id) => !begun.has(id) && deps[id]!.every((d) => done.has(d)));
            if (running < cap) expect(waiting).toEqual([]);
          }
        }
        // The result: each plan's outcome, skipped ones with what they waited for.
        for (const id of Object.keys(deps)) {
          const got = r.result.results[id]!;
          if (!shouldRun.has(id)) expect(got.outcome).toBe("skipped");
          else expect(got.outcome).toBe({ completed: "completed", failed: "failed", null: "no-result", throw: "failed" }[outcomeOf(id)]);
        }
        expect([r.result.gsdAsyncRun, r.result.launch]).toEqual(["r1", "2026-01-01T00:00:00.000Z"]);
      }),
      { numRuns: 300 },
    );
  });

  it("no barrier: a dependent starts while an unrelated slow plan still runs", async () => {
    // a is slow; b then c is a chain. With cap 2, c starts when b ends, before a ends.
    const r = await runScript(argsOf({ a: [], b: [], c: ["b"] }, 2), (pending) => ({
      index: Math.max(
        0,
        pending.findIndex((p) => p.id !== "a"),
      ),
      outcome: "completed",
    }));
    const at = (kind: string, id: string) => r.events.findIndex((e) => e.kind === kind && e.id === id);
    expect(at("start", "c")).toBeLessThan(at("end", "a"));
    expect(Object.values(r.result.results).map((x) => x.outcome)).toEqual(["completed", "completed", "completed"]);
  });

  it("complete plans count as succeeded prerequisites; agents get the schema, label, agent type and the result line", async () => {
    const args = argsOf({ b: ["a"] }, 1);
    args.complete = ["a"];
    args.plans[0]!.agentType = "gsd:gsd-executor";
    const r = await runScript(args, () => ({ index: 0, outcome: "completed" }));
    expect(r.result.results).toEqual({ b: { outcome: "completed" } });
    expect(r.opts.b).toMatchObject({ label: "gsd-async b", agentType: "gsd:gsd-executor", schema: { type: "object", required: ["outcome"] } });
    expect(r.prompts.b).toMatch(/^plan b\nrun it\n.*outcome completed/s);
  });

  it("a prerequisite neither complete nor listed skips the plan; empty args end at once", async () => {
    const r = await runScript(argsOf({ b: ["gone"], c: ["b"], d: [] }, 2), () => ({ index: 0, outcome: "completed" }));
    expect(r.result.results).toEqual({
      b: { outcome: "skipped", blockedBy: ["gone"] },
      c: { outcome: "skipped", blockedBy: ["b"] },
      d: { outcome: "completed" },
    });
    const empty = await runScript(argsOf({}, 3), () => ({ index: 0, outcome: "completed" }));
    expect(empty.result.results).toEqual({});
  });
});
