import fc from "fast-check";
import { type History, emptyHistory } from "../../lib/core/queue/history-schema";
import { runEntries } from "../../lib/core/queue/history-ops";
import type { AgentEvidence, QueueEvent } from "../../lib/core/queue/queue-event";
import { queueStep } from "../../lib/core/queue/queue-step";
import { STATUS } from "../../lib/core/queue/run-status";
import type { SpawnInstruction } from "../../lib/core/queue/spawn";
import { type Job, analysisOf, factsOf, iso, planFile, queueOptions, roundTrip } from "../helpers/sched-fixtures";

/**
 * A model-based test of the queue: two Claude Code sessions (two windows, each its own process)
 * and their agents act in random interleavings: start, status, Agent calls for what they were
 * handed (through the PreToolUse and PostToolUse hooks), agents completing or failing, a
 * window's process crashing, cancel, and restarts (the history through JSON). After every step:
 * never more live plans than the cap, never a hand-out of a plan whose agent is alive, never two
 * live agents on one plan, no reported outcome lost, no entry of the active run dropped.
 */
type Cmd =
  | { k: "start"; s: number }
  | { k: "status"; s: number }
  | { k: "launch"; s: number; pick: number }
  | { k: "finish"; pick: number; ok: boolean }
  | { k: "crash"; s: number }
  | { k: "cancel"; s: number }
  | { k: "restart" };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ k: fc.constant("start" as const), s: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ k: fc.constant("status" as const), s: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ k: fc.constant("launch" as const), s: fc.integer({ min: 0, max: 1 }), pick: fc.nat(20) }),
  fc.record({ k: fc.constant("launch" as const), s: fc.integer({ min: 0, max: 1 }), pick: fc.nat(20) }),
  fc.record({ k: fc.constant("finish" as const), pick: fc.nat(20), ok: fc.boolean() }),
  fc.record({ k: fc.constant("finish" as const), pick: fc.nat(20), ok: fc.constant(true) }),
  fc.record({ k: fc.constant("crash" as const), s: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ k: fc.constant("cancel" as const), s: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ k: fc.constant("restart" as const) }),
);

const dagArb = fc.integer({ min: 2, max: 7 }).chain((n) =>
  fc.record({
    deps: fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
    cap: fc.integer({ min: 1, max: 3 }),
  }),
);

interface Agent {
  id: string;
  runId: string;
  plan: string;
  session: number;
  attempt: number;
  alive: boolean;
}

function check(jobsSpec: { deps: boolean[][]; cap: number }, cmds: Cmd[]): void {
  const n = jobsSpec.deps.length;
  const jobs: Job[] = Array.from({ length: n }, (_, i) => ({
    id: `01-0${i + 1}`,
    minutes: 5,
    deps: jobsSpec.deps[i]!.slice(0, i).flatMap((d, j) => (d ? [`01-0${j + 1}`] : [])),
  }));
  const done = new Set<string>();
  let history: History = emptyHistory();
  const handed: SpawnInstruction[][] = [[], []];
  const processes = [0, 1].map((s) => ({ pid: 100 + s, start: `boot-${s}`, host: "test", gen: 0 }));
  const agents: Agent[] = [];
  const reported = new Map<string, "completed" | "failed">(); // run/plan#attempt -> what its agent said
  let now = 0;
  let agentSeq = 0;

  const evidence = () => {
    const m = new Map<string, AgentEvidence>();
    for (const a of agents) m.set(a.id, { process: a.alive ? "alive" : "dead" });
    return m;
  };
  const step = (s: number, ev: QueueEvent) => {
    now += 1;
    const p = processes[s]!;
    const o = queueOptions(now, { sessionId: `session-${s}`, maxConcurrent: jobsSpec.cap, evidence: evidence() });
    const facts = { ...factsOf(analysisOf(jobs, done), o), process: { pid: p.pid, start: `${p.start}-${p.gen}`, host: p.host } };
    const r = queueStep({ history, ledger: null }, facts, ev);
    const activeBefore = history.runs.filter((run) => runEntries(history, run.run_id).some((e) => !STATUS[e.status].finished));
    const keptBefore = activeBefore.flatMap((run) => history.entries.filter((e) => e.run_id === run.run_id).map((e) => `${e.run_id}/${e.plan}#${e.attempt}`));
    history = r.state.history;
    // No entry of a run that was active is ever dropped.
    const keys = new Set(history.entries.map((e) => `${e.run_id}/${e.plan}#${e.attempt}`));
    for (const k of keptBefore) expect(keys.has(k)).toBe(true);
    return r.outcome;
  };

  for (const c of cmds) {
    switch (c.k) {
      case "start":
      case "status": {
        const out = step(c.s, c.k === "start" ? { kind: "start", options: { newRunId: `run-${now}` } } : { kind: "status" });
        if (out.kind !== "advanced") break;
        // Never handed out: a plan whose agent is alive.
        for (const sp of out.view.spawn) expect(agents.some((a) => a.plan === sp.plan && a.alive)).toBe(false);
        handed[c.s] = out.view.spawn;
        break;
      }
      case "launch": {
        const list = handed[c.s]!;
        if (list.length === 0) break;
        const sp = list[c.pick % list.length]!;
        const pre = step(c.s, { kind: "hook-pre-agent", runId: sp.runId, planFile: sp.planFile, attempt: sp.attempt });
        if (pre.kind !== "recorded") break; // the hook denied it: no agent runs
        const id = `a${(++agentSeq).toString(16).padStart(8, "0")}`;
        expect(agents.some((a) => a.plan === sp.plan && a.alive)).toBe(false);
        agents.push({ id, runId: sp.runId, plan: sp.plan, session: c.s, attempt: sp.attempt, alive: true });
        step(c.s, { kind: "hook-spawned", runId: sp.runId, planFile: sp.planFile, agentId: id, outputFile: null });
        break;
      }
      case "finish": {
        const live = agents.filter((a) => a.alive);
        if (live.length === 0) break;
        const a = live[c.pick % live.length]!;
        a.alive = false;
        if (c.ok) done.add(a.plan); // its SUMMARY.md is written first
        const ev: QueueEvent = c.ok
          ? { kind: "complete", plan: planFile(a.plan), runId: a.runId }
          : { kind: "fail", plan: planFile(a.plan), runId: a.runId, reason: "tests failed" };
        const out = step(a.session, ev);
        if (out.kind === "recorded" || out.kind === "unchanged") reported.set(`${a.runId}/${a.plan}#${a.attempt}`, c.ok ? "completed" : "failed");
        // A live agent's own outcome is always accepted.
        if (c.ok) expect(["recorded", "unchanged"]).toContain(out.kind);
        break;
      }
      case "crash": {
        const p = processes[c.s]!;
        for (const a of agents) if (a.session === c.s) a.alive = false;
        p.gen += 1; // the window is opened again: a new process
        handed[c.s] = [];
        break;
      }
      case "cancel":
        step(c.s, { kind: "cancel" });
        break;
      case "restart":
        history = roundTrip(history);
        break;
    }
    // Never more live plans than the cap, and never two live agents on one plan.
    for (const run of history.runs) {
      const live = runEntries(history, run.run_id).filter((e) => STATUS[e.status].live);
      expect(live.length).toBeLessThanOrEqual(run.max_concurrent);
    }
    const alivePlans = agents.filter((a) => a.alive).map((a) => a.plan);
    expect(new Set(alivePlans).size).toBe(alivePlans.length);
  }
  // No outcome lost: a plan whose agent completed is completed; a failure stays recorded on its attempt
  // unless a later report or SUMMARY.md completed it.
  for (const [key, said] of reported) {
    const [runAndPlan, attempt] = key.split("#") as [string, string];
    const [runId, plan] = runAndPlan.split("/") as [string, string];
    const entries = history.entries.filter((e) => e.plan === plan);
    const attemptEntry = entries.find((e) => e.run_id === runId && e.attempt === Number(attempt));
    if (said === "completed") expect(entries.some((e) => e.status === "completed")).toBe(true);
    else expect(attemptEntry === undefined ? false : ["failed", "completed"].includes(attemptEntry.status) || done.has(plan)).toBe(true);
  }
  expect(iso(now)).toBeDefined();
}

describe("the queue under random interleavings of two sessions", () => {
  it("keeps the cap, never doubles an agent, loses no outcome and keeps the active run", () => {
    fc.assert(
      fc.property(dagArb, fc.array(cmdArb, { minLength: 5, maxLength: 60 }), (spec, cmds) => check(spec, cmds)),
      { numRuns: 300 },
    );
  });

  it("the checks can fail: a queue that ignored the hook's refusal would start a second agent", () => {
    // Two sessions handed the same plan; both launch it. The second launch must be refused.
    const jobs: Job[] = [{ id: "01-01", minutes: 5 }];
    let history = emptyHistory();
    const o = (t: number, s: number) => ({
      ...factsOf(analysisOf(jobs), queueOptions(t, { sessionId: `s${s}` })),
      process: { pid: 100 + s, start: "x", host: "h" },
    });
    const first = queueStep({ history, ledger: null }, o(0, 0), { kind: "start", options: { newRunId: "r1" } });
    history = first.state.history;
    const sp = first.outcome.kind === "advanced" ? first.outcome.view.spawn[0]! : undefined;
    expect(sp).toBeDefined();
    const a = queueStep({ history, ledger: null }, o(1, 0), { kind: "hook-pre-agent", runId: sp!.runId, planFile: sp!.planFile, attempt: 1 });
    expect(a.outcome.kind).toBe("recorded");
    const b = queueStep({ history: a.state.history, ledger: null }, o(2, 1), { kind: "hook-pre-agent", runId: sp!.runId, planFile: sp!.planFile, attempt: 1 });
    expect(b.outcome).toMatchObject({ kind: "illegal", message: expect.stringContaining("already has an agent") });
  });
});
