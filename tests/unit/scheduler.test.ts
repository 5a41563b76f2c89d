import fc from "fast-check";
import { type History, type HistoryEntry, emptyHistory } from "../../lib/core/queue/history-schema";
import { replaceEntry, runEntries, transition } from "../../lib/core/queue/history-ops";
import { type Strategy, remainingPath, schedule } from "../../lib/core/schedule/scheduler";
import { type SimPlan, compareSchedules, criticalPathMinutes, simulateScheduler, simulateWaveBarrier } from "../../lib/core/schedule/simulate";
import { parseMarkers } from "../../lib/core/queue/spawn";
import {
  type Ev,
  type Job,
  type QueueOptions,
  type QueueStep,
  analysisOf,
  driveSchedule,
  iso,
  peakConcurrency,
  planFile,
  queueOptions,
  queueStep,
  roundTrip,
} from "../helpers/sched-fixtures";

const starts = (events: readonly Ev[]) => events.filter((e) => e.kind === "start");
const startOf = (events: readonly Ev[], id: string) => events.find((e) => e.kind === "start" && e.id === id)?.t;
const endOf = (events: readonly Ev[], id: string) => events.find((e) => e.kind !== "start" && e.id === id)?.t;
/**
 * Events in a canonical order: by time, finishes before starts, then by id. Plans that start at
 * the same instant are one decision; the queue lists their spawn instructions in plan order,
 * the pure scheduler in priority order, and both are started together.
 */
const canonical = (events: readonly Ev[]) =>
  [...events].sort((a, b) => a.t - b.t || Number(a.kind === "start") - Number(b.kind === "start") || a.id.localeCompare(b.id));

describe("scheduler on a fake clock (pure schedule())", () => {
  it("starts by priority, and a dependent starts the moment its last prerequisite completes (no wave barrier)", () => {
    const jobs: Job[] = [
      { id: "A", minutes: 10 },
      { id: "B", minutes: 30 },
      { id: "C", minutes: 5, deps: ["A"] },
      { id: "D", minutes: 5, deps: ["C"] },
      { id: "E", minutes: 1, deps: ["B", "C"] },
    ];
    const r = driveSchedule(jobs, 3);
    expect(r.events).toEqual([
      { t: 0, kind: "start", id: "B" },
      { t: 0, kind: "start", id: "A" },
      { t: 10, kind: "finish", id: "A" },
      { t: 10, kind: "start", id: "C" },
      { t: 15, kind: "finish", id: "C" },
      { t: 15, kind: "start", id: "D" },
      { t: 20, kind: "finish", id: "D" },
      { t: 30, kind: "finish", id: "B" },
      { t: 30, kind: "start", id: "E" },
      { t: 31, kind: "finish", id: "E" },
    ]);
    expect(r.makespan).toBe(31);
    // C is in wave 2 with B in wave 1 still running: a wave barrier would hold it until 30.
    expect(startOf(r.events, "C")).toBeLessThan(endOf(r.events, "B") as number);
    const waves: SimPlan[] = [
      { id: "A", order: 0, deps: [], minutes: 10, wave: 1 },
      { id: "B", order: 1, deps: [], minutes: 30, wave: 1 },
      { id: "C", order: 2, deps: ["A"], minutes: 5, wave: 2 },
      { id: "D", order: 3, deps: ["C"], minutes: 5, wave: 3 },
      { id: "E", order: 4, deps: ["B", "C"], minutes: 1, wave: 3 },
    ];
    expect(simulateWaveBarrier(waves, 3).slots.find((s) => s.id === "C")?.start).toBe(30);
  });

  it("reports what each waiting plan waits for, in queue order", () => {
    const jobs: Job[] = [
      { id: "A", minutes: 10 },
      { id: "B", minutes: 30 },
      { id: "C", minutes: 5, deps: ["A"] },
      { id: "D", minutes: 5, deps: ["C"] },
      { id: "E", minutes: 1, deps: ["B", "C"] },
    ];
    const first = driveSchedule(jobs, 3).decisions[0]?.s;
    expect(first?.start).toEqual(["B", "A"]);
    expect(first?.waiting).toEqual([
      { id: "C", waitsFor: ["A"], position: 1 },
      { id: "D", waitsFor: ["C"], position: 2 },
      { id: "E", waitsFor: ["B", "C"], position: 3 },
    ]);
  });

  it("never runs more than the cap (fifo: exact order)", () => {
    const jobs: Job[] = [4, 3, 2, 6, 1, 5].map((minutes, i) => ({ id: `P${i + 1}`, minutes }));
    const r = driveSchedule(jobs, 2, "fifo");
    expect(r.events.map((e) => `${e.t} ${e.kind} ${e.id}`)).toEqual([
      "0 start P1",
      "0 start P2",
      "3 finish P2",
      "3 start P3",
      "4 finish P1",
      "4 start P4",
      "5 finish P3",
      "5 start P5",
      "6 finish P5",
      "6 start P6",
      "10 finish P4",
      "11 finish P6",
    ]);
    expect(peakConcurrency(r.events)).toBe(2);
    for (const d of r.decisions) expect(d.s.running.length + d.s.start.length).toBeLessThanOrEqual(2);
  });

  it("critical-path runs the long chain first where fifo does not", () => {
    const jobs: Job[] = [
      { id: "A", minutes: 1 },
      { id: "B", minutes: 1 },
      { id: "C", minutes: 1 },
      { id: "D", minutes: 10, deps: ["C"] },
    ];
    const cp = driveSchedule(jobs, 2, "critical-path");
    expect(cp.decisions[0]?.s.start).toEqual(["C", "A"]);
    expect(startOf(cp.events, "D")).toBe(1);
    expect(startOf(cp.events, "B")).toBe(1);
    expect(cp.makespan).toBe(11);
    const fifo = driveSchedule(jobs, 2, "fifo");
    expect(fifo.decisions[0]?.s.start).toEqual(["A", "B"]);
    expect(startOf(fifo.events, "C")).toBe(1);
    expect(startOf(fifo.events, "D")).toBe(2);
    expect(fifo.makespan).toBe(12);
  });

  it("breaks critical-path ties by plan order, not by id", () => {
    const jobs: Job[] = [
      { id: "c", minutes: 5 },
      { id: "a", minutes: 5 },
      { id: "b", minutes: 5 },
    ];
    expect(starts(driveSchedule(jobs, 1).events).map((e) => e.id)).toEqual(["c", "a", "b"]);
    expect(starts(driveSchedule(jobs, 1, "fifo").events).map((e) => e.id)).toEqual(["c", "a", "b"]);
  });

  it("remainingPath is the longest path to the end, ignoring done plans", () => {
    const plans = [
      { id: "A", order: 0, deps: [], externalPending: [], autonomous: true, minutes: 2, state: "pending" as const },
      { id: "B", order: 1, deps: ["A"], externalPending: [], autonomous: true, minutes: 3, state: "pending" as const },
      { id: "C", order: 2, deps: ["A"], externalPending: [], autonomous: true, minutes: 7, state: "completed" as const },
    ];
    const r = remainingPath(plans);
    expect(r.get("B")).toBe(3);
    expect(r.get("A")).toBe(5);
    expect(r.has("C")).toBe(false);
  });

  it("a failed prerequisite blocks its dependents transitively; unrelated plans go on", () => {
    const jobs: Job[] = [
      { id: "A", minutes: 5, ends: "fail" },
      { id: "B", minutes: 5, deps: ["A"] },
      { id: "C", minutes: 5, deps: ["B"] },
      { id: "D", minutes: 20 },
      { id: "E", minutes: 3, deps: ["D"] },
      { id: "G", minutes: 1, deps: ["D", "A"] },
    ];
    const r = driveSchedule(jobs, 2);
    expect(r.events.map((e) => `${e.t} ${e.kind} ${e.id}`)).toEqual(["0 start D", "0 start A", "5 fail A", "20 finish D", "20 start E", "23 finish E"]);
    // At the moment A fails, G is blocked even though D is still running.
    const at5 = r.decisions.find((d) => d.t === 5)?.s;
    expect(at5?.blocked).toEqual([
      { id: "B", blockedBy: ["A"] },
      { id: "C", blockedBy: ["B"] },
      { id: "G", blockedBy: ["A"] },
    ]);
    expect(at5?.waiting).toEqual([{ id: "E", waitsFor: ["D"], position: 1 }]);
    expect(r.final.failed).toEqual(["A"]);
    expect(r.final.done).toEqual(["D", "E"]);
    expect(r.final.blocked.map((b) => b.id)).toEqual(["B", "C", "G"]);
    expect(r.final.start).toEqual([]);
  });

  it("reports checkpoint plans as needing the foreground instead of starting them", () => {
    const jobs: Job[] = [
      { id: "P1", minutes: 5 },
      { id: "P2", minutes: 5, autonomous: false },
      { id: "P3", minutes: 5, deps: ["P2"] },
      { id: "P4", minutes: 2, deps: ["P1"], autonomous: false },
    ];
    const r = driveSchedule(jobs, 3);
    expect(r.decisions[0]?.s).toMatchObject({ start: ["P1"], needsForeground: ["P2"] });
    // P4 is a checkpoint that still waits: it waits, it does not need a person yet.
    expect(r.decisions[0]?.s.waiting.map((w) => w.id).sort()).toEqual(["P3", "P4"]);
    expect(starts(r.events).map((e) => e.id)).toEqual(["P1"]);
    expect(r.final.needsForeground).toEqual(["P2", "P4"]);
    expect(r.final.waiting).toEqual([{ id: "P3", waitsFor: ["P2"], position: 1 }]);

    const opted = driveSchedule(jobs, 3, "critical-path", true);
    expect(opted.final.needsForeground).toEqual([]);
    expect(opted.final.done).toEqual(["P1", "P2", "P3", "P4"]);
    expect(opted.makespan).toBe(10);
  });

  it("a plan with a pending prerequisite in another phase waits for it", () => {
    const jobs: Job[] = [
      { id: "P1", minutes: 5, external: ["00-09"] },
      { id: "P2", minutes: 5 },
    ];
    const r = driveSchedule(jobs, 3);
    expect(starts(r.events).map((e) => e.id)).toEqual(["P2"]);
    expect(r.final.waiting).toEqual([{ id: "P1", waitsFor: ["00-09"], position: 1 }]);
    const cleared = driveSchedule([{ ...jobs[0], external: [] } as Job, jobs[1] as Job], 3);
    expect(starts(cleared.events).map((e) => e.id)).toEqual(["P1", "P2"]);
  });

  it("queues ready-but-capped plans ahead of waiting ones", () => {
    const s = schedule({
      plans: [
        { id: "A", order: 0, deps: [], externalPending: [], autonomous: true, minutes: 1, state: "pending" },
        { id: "B", order: 1, deps: [], externalPending: [], autonomous: true, minutes: 5, state: "pending" },
        { id: "C", order: 2, deps: [], externalPending: [], autonomous: true, minutes: 3, state: "pending" },
        { id: "D", order: 3, deps: ["A"], externalPending: [], autonomous: true, minutes: 1, state: "pending" },
      ],
      maxConcurrent: 1,
      strategy: "critical-path",
      includeCheckpoints: false,
    });
    expect(s.start).toEqual(["B"]);
    expect(s.waiting).toEqual([
      { id: "C", waitsFor: [], position: 1 },
      { id: "A", waitsFor: [], position: 2 },
      { id: "D", waitsFor: ["A"], position: 3 },
    ]);
  });

  it("counts running plans against the cap and starts nothing when it is full", () => {
    const s = schedule({
      plans: [
        { id: "A", order: 0, deps: [], externalPending: [], autonomous: true, minutes: 1, state: "running" },
        { id: "B", order: 1, deps: [], externalPending: [], autonomous: true, minutes: 1, state: "running" },
        { id: "C", order: 2, deps: [], externalPending: [], autonomous: true, minutes: 1, state: "pending" },
      ],
      maxConcurrent: 2,
      strategy: "critical-path",
      includeCheckpoints: false,
    });
    expect(s.start).toEqual([]);
    expect(s.running).toEqual(["A", "B"]);
    expect(s.waiting).toEqual([{ id: "C", waitsFor: [], position: 1 }]);
  });

  it("a budget that says no starts fewer, but never deadlocks with nothing running", () => {
    const plans = ["A", "B", "C"].map((id, order) => ({ id, order, deps: [], externalPending: [], autonomous: true, minutes: 1, state: "pending" as const }));
    const oneAtATime = schedule({
      plans,
      maxConcurrent: 3,
      strategy: "fifo",
      includeCheckpoints: false,
      budget: (_c, starting) => (starting.length === 0 ? { ok: true } : { ok: false, reason: "budget: one group at a time" }),
    });
    expect(oneAtATime.start).toEqual(["A"]);
    expect(oneAtATime.budgetNote).toBe("budget: one group at a time");
    const never = schedule({ plans, maxConcurrent: 3, strategy: "fifo", includeCheckpoints: false, budget: () => ({ ok: false, reason: "over budget" }) });
    expect(never.start).toEqual(["A"]);
    const busy = schedule({
      plans: [{ ...(plans[0] as (typeof plans)[0]), state: "running" as never }, ...plans.slice(1)],
      maxConcurrent: 3,
      strategy: "fifo",
      includeCheckpoints: false,
      budget: () => ({ ok: false, reason: "over budget" }),
    });
    expect(busy.start).toEqual([]);
    const none = schedule({ plans, maxConcurrent: 3, strategy: "fifo", includeCheckpoints: false });
    expect(none.start).toEqual(["A", "B", "C"]);
    expect(none.budgetNote).toBeUndefined();
  });
});

/* ------------------------------------------------------------------------------------------ */
/* The live path: queueStep with the history serialized to JSON between every step.           */
/* ------------------------------------------------------------------------------------------ */

interface QueueRun {
  events: Ev[];
  history: History;
  steps: QueueStep[];
  /** Spawned entries counted right after every step's spawns were carried out. */
  peakSpawned: number;
}

/**
 * The orchestrator and its agents, scripted: every spawn instruction is carried out at once
 * (recorded as the hook would), each agent ends at now + its minutes, its outcome is recorded
 * (`complete` also writes its SUMMARY.md), and `status` is asked again. Every step reads the
 * history from JSON, as a new process would.
 */
function driveQueue(jobs: readonly Job[], cap: number, strategy: Strategy = "critical-path", extra: Partial<QueueOptions> = {}): QueueRun {
  const done = new Set<string>();
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const ends = new Map<string, number>();
  const events: Ev[] = [];
  const steps: QueueStep[] = [];
  let text = JSON.stringify(emptyHistory());
  let now = 0;
  let peak = 0;
  let step = queueStep(
    analysisOf(jobs, done),
    roundTrip(JSON.parse(text)),
    queueOptions(now, { mode: "start", maxConcurrent: cap, strategy, newRunId: "run-1", ...extra }),
  );
  for (let guard = 0; guard <= jobs.length * 3 + 3; guard++) {
    steps.push(step);
    let h = roundTrip(step.history);
    for (const sp of step.spawn) {
      const e = h.entries.find((x) => x.plan_file === sp.planFile && x.run_id === sp.runId && x.status === "dispatched") as HistoryEntry;
      expect(e).toBeDefined();
      h = replaceEntry(h, transition(e, "spawn", iso(now), { agent_id: `a${sp.plan.toLowerCase()}0000`, output_file: `/tmp/${sp.plan}.output` }));
      ends.set(sp.plan, now + (byId.get(sp.plan) as Job).minutes);
      events.push({ t: now, kind: "start", id: sp.plan });
    }
    const spawned = h.entries.filter((e) => e.status === "spawned").length;
    peak = Math.max(peak, spawned);
    text = JSON.stringify(h);
    if (ends.size === 0) return { events, history: roundTrip(h), steps, peakSpawned: peak };
    now = Math.min(...ends.values());
    h = roundTrip(JSON.parse(text));
    for (const [id, end] of [...ends].sort()) {
      if (end !== now) continue;
      ends.delete(id);
      const j = byId.get(id) as Job;
      const e = h.entries.find((x) => x.plan_file === planFile(id) && x.status === "spawned") as HistoryEntry;
      if (j.ends === "fail") h = replaceEntry(h, transition(e, "fail", iso(now), { error: "tests failed" }));
      else if (j.ends === "interrupt") h = replaceEntry(h, transition(e, "interrupt", iso(now), { error: "session ended" }));
      else {
        done.add(id);
        h = replaceEntry(h, transition(e, "complete", iso(now)));
      }
      events.push({ t: now, kind: j.ends ?? "finish", id });
    }
    text = JSON.stringify(h);
    step = queueStep(analysisOf(jobs, done), roundTrip(JSON.parse(text)), queueOptions(now, { maxConcurrent: cap, strategy, ...extra }));
  }
  throw new Error("the queue did not settle");
}

const byPlan = (h: History, id: string) => h.entries.filter((e) => e.plan_file === planFile(id));

describe("the queue (queueStep) on a fake clock with restarts between steps", () => {
  const dag: Job[] = [
    { id: "01-01", minutes: 10 },
    { id: "01-02", minutes: 30 },
    { id: "01-03", minutes: 5, deps: ["01-01"] },
    { id: "01-04", minutes: 5, deps: ["01-03"] },
    { id: "01-05", minutes: 1, deps: ["01-02", "01-03"] },
  ];

  it("makes the same decisions as the pure scheduler, at the same fake times", () => {
    const q = driveQueue(dag, 3);
    expect(canonical(q.events)).toEqual(canonical(driveSchedule(dag, 3).events));
    expect(startOf(q.events, "01-03")).toBe(endOf(q.events, "01-01"));
    expect(q.peakSpawned).toBeLessThanOrEqual(3);
    expect(q.history.runs).toHaveLength(1);
    expect(q.history.entries).toHaveLength(5);
    expect(q.history.entries.every((e) => e.status === "completed" && e.background_status === "completed" && e.run_id === "run-1")).toBe(true);
    // Each entry's transitions tell its story with fake-clock times.
    const e3 = byPlan(q.history, "01-03")[0] as HistoryEntry;
    expect(e3.transitions.map((t) => [t.to, t.at])).toEqual([
      ["queued", iso(0)],
      ["dispatched", iso(10)],
      ["spawned", iso(10)],
      ["completed", iso(15)],
    ]);
  });

  it("never has more spawned agents than the cap at any instant", () => {
    const wide: Job[] = Array.from({ length: 7 }, (_, i) => ({ id: `01-0${i + 1}`, minutes: 3 + ((i * 5) % 7) }));
    const q = driveQueue(wide, 2);
    expect(q.peakSpawned).toBe(2);
    expect(peakConcurrency(q.events)).toBe(2);
    expect(q.events.filter((e) => e.kind === "finish")).toHaveLength(7);
  });

  it("spawn instructions carry the run, the plan file and the attempt", () => {
    const q = driveQueue(dag, 3);
    const first = q.steps[0] as QueueStep;
    // Both start at once; the order of the list is not part of the contract.
    expect([...first.spawn].sort((a, b) => a.plan.localeCompare(b.plan)).map((s) => [s.plan, s.planFile, s.runId, s.attempt])).toEqual([
      ["01-01", planFile("01-01"), "run-1", 1],
      ["01-02", planFile("01-02"), "run-1", 1],
    ]);
    for (const s of first.spawn) expect(parseMarkers(s.agentInput.prompt)).toEqual({ runId: "run-1", planFile: s.planFile, attempt: 1 });
    // Waiting plans get queue positions in the history.
    const pos = Object.fromEntries(runEntries(first.history, "run-1").map((e) => [e.plan, e.queue_position]));
    expect(pos).toEqual({ "01-01": null, "01-02": null, "01-03": 1, "01-04": 2, "01-05": 3 });
  });

  it("a failed plan blocks its dependents in the history; unrelated plans go on", () => {
    const jobs: Job[] = [
      { id: "01-01", minutes: 5, ends: "fail" },
      { id: "01-02", minutes: 5, deps: ["01-01"] },
      { id: "01-03", minutes: 5, deps: ["01-02"] },
      { id: "01-04", minutes: 20 },
      { id: "01-05", minutes: 3, deps: ["01-04"] },
    ];
    const q = driveQueue(jobs, 2);
    expect(canonical(q.events).map((e) => `${e.t} ${e.kind} ${e.id}`)).toEqual([
      "0 start 01-01",
      "0 start 01-04",
      "5 fail 01-01",
      "20 finish 01-04",
      "20 start 01-05",
      "23 finish 01-05",
    ]);
    const st = Object.fromEntries(q.history.entries.map((e) => [e.plan, [e.status, e.background_status, e.blocked_by]]));
    expect(st).toEqual({
      "01-01": ["failed", "failed", []],
      "01-02": ["blocked", "blocked", ["01-01"]],
      "01-03": ["blocked", "blocked", ["01-02"]],
      "01-04": ["completed", "completed", []],
      "01-05": ["completed", "completed", []],
    });
    expect(byPlan(q.history, "01-01")[0]?.error).toBe("tests failed");
  });

  it("an interrupted plan blocks its dependents too", () => {
    const jobs: Job[] = [
      { id: "01-01", minutes: 5, ends: "interrupt" },
      { id: "01-02", minutes: 5, deps: ["01-01"] },
      { id: "01-03", minutes: 8 },
    ];
    const q = driveQueue(jobs, 3);
    expect(byPlan(q.history, "01-02")[0]).toMatchObject({ status: "blocked", blocked_by: ["01-01"] });
    expect(byPlan(q.history, "01-03")[0]?.status).toBe("completed");
    expect(starts(q.events).map((e) => e.id)).toEqual(["01-01", "01-03"]);
  });

  it("a live agent of another session is left running; one whose Claude Code process ended is interrupted and retried at once, its dependent still waiting", () => {
    const jobs: Job[] = [
      { id: "01-01", minutes: 5 },
      { id: "01-02", minutes: 5, deps: ["01-01"] },
    ];
    let step = queueStep(analysisOf(jobs), emptyHistory(), queueOptions(0, { mode: "start", sessionId: "s-old", newRunId: "run-1" }));
    let h = roundTrip(step.history);
    const e = h.entries.find((x) => x.plan === "01-01") as HistoryEntry;
    h = replaceEntry(h, transition(e, "spawn", iso(0), { agent_id: "a1234567", session_id: "s-old" }));
    // A second window (another session id) looks while the agent's process still runs: nothing changes.
    const alive = queueStep(
      analysisOf(jobs),
      roundTrip(h),
      queueOptions(7, { sessionId: "s-new", evidence: new Map([["a1234567", { process: "alive" as const }]]) }),
    );
    expect(alive.changes).toEqual([]);
    expect(alive.view.plans.map((p) => p.state)).toEqual(["running", "waiting"]);
    step = queueStep(analysisOf(jobs), roundTrip(h), queueOptions(7, { sessionId: "s-new", evidence: new Map([["a1234567", { process: "dead" as const }]]) }));
    expect(step.changes.map((c) => [c.plan, c.transition])).toEqual([
      ["01-01", "interrupt"],
      ["01-01", "retry"],
    ]);
    const after = roundTrip(step.history);
    expect(after.entries.map((x) => [x.plan, x.attempt, x.status])).toEqual([
      ["01-01", 1, "interrupted"],
      ["01-02", 1, "queued"],
      ["01-01", 2, "dispatched"],
    ]);
    expect(step.spawn.map((s) => [s.plan, s.attempt])).toEqual([["01-01", 2]]);
  });

  it("interrupts a spawned agent with no news for longer than the stale limit when no session is known", () => {
    const jobs: Job[] = [{ id: "01-01", minutes: 5 }];
    let h = roundTrip(queueStep(analysisOf(jobs), emptyHistory(), queueOptions(0, { mode: "start", newRunId: "run-1" })).history);
    h = replaceEntry(h, transition(h.entries[0] as HistoryEntry, "spawn", iso(0), { agent_id: "a1234567" }));
    expect(queueStep(analysisOf(jobs), roundTrip(h), queueOptions(60, { staleMinutes: 60 })).changes).toEqual([]);
    const late = queueStep(analysisOf(jobs), roundTrip(h), queueOptions(61, { staleMinutes: 60 }));
    expect(late.changes.map((c) => c.transition)).toEqual(["interrupt"]);
  });

  it("checkpoint plans are recorded as foreground, reported, and never spawned", () => {
    const jobs: Job[] = [
      { id: "01-01", minutes: 5 },
      { id: "01-02", minutes: 5, autonomous: false },
      { id: "01-03", minutes: 5, deps: ["01-02"] },
    ];
    const q = driveQueue(jobs, 3);
    expect(starts(q.events).map((e) => e.id)).toEqual(["01-01"]);
    expect(q.steps[0]?.view.needsForeground).toEqual(["01-02"]);
    expect(byPlan(q.history, "01-02")[0]).toMatchObject({ status: "queued", execution_mode: "foreground" });
    expect(byPlan(q.history, "01-03")[0]).toMatchObject({ status: "queued", execution_mode: "background", queue_position: 1 });

    const opted = driveQueue(jobs, 3, "critical-path", { includeCheckpoints: true });
    expect(
      starts(opted.events)
        .map((e) => e.id)
        .sort(),
    ).toEqual(["01-01", "01-02", "01-03"]);
    expect(opted.steps[0]?.spawn.find((s) => s.plan === "01-02")?.agentInput.prompt).toContain("Its checkpoints need a person");
    expect(opted.steps[0]?.spawn.find((s) => s.plan === "01-01")?.agentInput.prompt).not.toContain("checkpoint");
  });

  it("waits for a pending prerequisite in another phase, and starts once it is complete", () => {
    const jobs: Job[] = [
      { id: "01-01", minutes: 5, external: ["00-03"] },
      { id: "01-02", minutes: 5 },
    ];
    const first = queueStep(analysisOf(jobs), emptyHistory(), queueOptions(0, { mode: "start", newRunId: "run-1" }));
    expect(first.spawn.map((s) => s.plan)).toEqual(["01-02"]);
    expect(first.view.plans.find((p) => p.id === "01-01")).toMatchObject({ state: "waiting", waitsFor: ["00-03"], queuePosition: 1 });
    const later = queueStep(analysisOf(jobs, new Set(), new Set(["00-03"])), roundTrip(first.history), queueOptions(1));
    expect(later.spawn.map((s) => s.plan)).toEqual(["01-01"]);
  });

  it("completes a queued plan whose SUMMARY.md appeared without an agent", () => {
    const jobs: Job[] = [
      { id: "01-01", minutes: 5, autonomous: false },
      { id: "01-02", minutes: 5, deps: ["01-01"] },
    ];
    const first = queueStep(analysisOf(jobs), emptyHistory(), queueOptions(0, { mode: "start", newRunId: "run-1" }));
    expect(first.spawn).toEqual([]);
    const later = queueStep(analysisOf(jobs, new Set(["01-01"])), roundTrip(first.history), queueOptions(9));
    expect(later.changes).toEqual([{ plan: "01-01", transition: "complete", reason: "its SUMMARY.md exists" }]);
    expect(later.spawn.map((s) => s.plan)).toEqual(["01-02"]);
  });

  it("status without a run records nothing and starts nothing", () => {
    const step = queueStep(analysisOf(dag), emptyHistory(), queueOptions(0));
    expect(step.run).toBeUndefined();
    expect(step.spawn).toEqual([]);
    expect(step.history).toEqual(emptyHistory());
  });
});

describe("resume after a restart", () => {
  const jobs: Job[] = [
    { id: "01-01", minutes: 10 },
    { id: "01-02", minutes: 10 },
    { id: "01-03", minutes: 5, deps: ["01-01"] },
    { id: "01-04", minutes: 5, deps: ["01-02"] },
  ];
  const spawnAll = (h: History, step: QueueStep, at: number): History => {
    let out = h;
    for (const sp of step.spawn) {
      const e = out.entries.find((x) => x.plan_file === sp.planFile && x.status === "dispatched" && x.attempt === sp.attempt) as HistoryEntry;
      out = replaceEntry(out, transition(e, "spawn", iso(at), { agent_id: `a${sp.plan.replace("-", "")}${sp.attempt}000` }));
    }
    return out;
  };
  const record = (h: History, id: string, t: "complete" | "fail", at: number): History => {
    const e = h.entries.find((x) => x.plan_file === planFile(id) && x.status === "spawned") as HistoryEntry;
    return replaceEntry(h, transition(e, t, iso(at), t === "fail" ? { error: "broke" } : {}));
  };
  const keys = (h: History) => h.entries.map((e) => `${e.plan}#${e.attempt}`);

  it("a second start resumes the same run, retries the failed plan, unblocks its dependent and duplicates nothing", () => {
    const done = new Set<string>();
    // First process: start, two agents go out.
    const s1 = queueStep(analysisOf(jobs, done), emptyHistory(), queueOptions(0, { mode: "start", maxConcurrent: 2, newRunId: "run-1" }));
    expect(s1.spawn.map((s) => s.plan)).toEqual(["01-01", "01-02"]);
    let text = JSON.stringify(spawnAll(roundTrip(s1.history), s1, 0));

    // At 10: 01-01 completes (with its summary), 01-02 fails; status hands out 01-03, blocks 01-04.
    let h = record(record(roundTrip(JSON.parse(text)), "01-01", "complete", 10), "01-02", "fail", 10);
    done.add("01-01");
    const s2 = queueStep(analysisOf(jobs, done), roundTrip(h), queueOptions(10, { maxConcurrent: 2 }));
    expect(s2.spawn.map((s) => s.plan)).toEqual(["01-03"]);
    expect(s2.changes).toEqual([{ plan: "01-04", transition: "block", reason: expect.stringContaining("01-02") }]);
    text = JSON.stringify(spawnAll(roundTrip(s2.history), s2, 10));

    // Restart: a new process runs `start` again, with a different candidate run id.
    const before = roundTrip(JSON.parse(text));
    const s3 = queueStep(analysisOf(jobs, done), before, queueOptions(12, { mode: "start", maxConcurrent: 2, newRunId: "run-2" }));
    const after = roundTrip(s3.history);
    expect(s3.run?.run_id).toBe("run-1");
    expect(after.runs.map((r) => r.run_id)).toEqual(["run-1"]);
    expect(after.entries.every((e) => e.run_id === "run-1")).toBe(true);
    // No plan-attempt appears twice; only the retried plan gained an attempt.
    expect(new Set(keys(after)).size).toBe(after.entries.length);
    expect(keys(after).sort()).toEqual(["01-01#1", "01-02#1", "01-02#2", "01-03#1", "01-04#1"]);
    expect(runEntries(after, "run-1").map((e) => [e.plan, e.status, e.attempt])).toEqual([
      ["01-01", "completed", 1],
      ["01-02", "dispatched", 2],
      ["01-03", "spawned", 1],
      ["01-04", "queued", 1],
    ]);
    expect(s3.changes.map((c) => [c.plan, c.transition])).toEqual([
      ["01-02", "retry"],
      ["01-04", "unblock"],
    ]);
    // The retry goes out at once (01-03 runs, the cap is 2), as attempt 2.
    expect(s3.spawn.map((s) => [s.plan, s.attempt])).toEqual([["01-02", 2]]);
    expect(s3.spawn[0]?.agentInput.prompt).toContain("gsd-async-attempt: 2");
    text = JSON.stringify(after);

    // Another start while the lease holds and no agent was recorded yet: nothing is handed out twice.
    const s4 = queueStep(analysisOf(jobs, done), roundTrip(JSON.parse(text)), queueOptions(14, { mode: "start", maxConcurrent: 2, newRunId: "run-3" }));
    expect(s4.run?.run_id).toBe("run-1");
    expect(s4.spawn).toEqual([]);
    expect(keys(roundTrip(s4.history))).toEqual(keys(after));
    expect(s4.changes).toEqual([]);

    // The lease (3 fake minutes) ran out and no agent showed up: the same attempt is handed out again.
    const s5 = queueStep(analysisOf(jobs, done), roundTrip(s4.history), queueOptions(16, { mode: "status" }));
    expect(s5.spawn.map((s) => [s.plan, s.attempt])).toEqual([["01-02", 2]]);
    expect(keys(roundTrip(s5.history))).toEqual(keys(after));

    // Finish the run: retried 01-02 and then its dependent complete.
    h = spawnAll(roundTrip(s5.history), s5, 16);
    h = record(h, "01-03", "complete", 17);
    done.add("01-03");
    h = record(h, "01-02", "complete", 26);
    done.add("01-02");
    const s6 = queueStep(analysisOf(jobs, done), roundTrip(h), queueOptions(26));
    expect(s6.spawn.map((s) => s.plan)).toEqual(["01-04"]);
    h = record(spawnAll(roundTrip(s6.history), s6, 26), "01-04", "complete", 31);
    done.add("01-04");
    const s7 = queueStep(analysisOf(jobs, done), roundTrip(h), queueOptions(31, { mode: "start", newRunId: "run-4" }));
    // Everything is finished: a new start opens a new run, but every plan is done so it queues nothing.
    expect(runEntries(roundTrip(s7.history), "run-1").every((e) => e.status === "completed")).toBe(true);
    expect(s7.spawn).toEqual([]);
    expect(s7.history.entries.filter((e) => e.run_id !== "run-1")).toEqual([]);
  });
});

/* ------------------------------------------------------------------------------------------ */
/* Properties over random DAGs.                                                               */
/* ------------------------------------------------------------------------------------------ */

const dagArb = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.record({
      minutes: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: n, maxLength: n }),
      // For each plan, which earlier plans it depends on.
      deps: fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
      cap: fc.integer({ min: 1, max: 5 }),
      strategy: fc.constantFrom<Strategy>("critical-path", "fifo"),
    }),
  )
  .map(({ minutes, deps, cap, strategy }) => {
    const jobs: Job[] = minutes.map((m, i) => ({ id: `01-${String(i + 1).padStart(2, "0")}`, minutes: m, deps: [] as string[] }));
    jobs.forEach((j, i) => {
      for (let k = 0; k < i; k++) if (deps[i]?.[k]) (j.deps as string[]).push(`01-${String(k + 1).padStart(2, "0")}`);
    });
    return { jobs, cap, strategy };
  });

function simPlans(jobs: readonly Job[]): SimPlan[] {
  const wave = new Map<string, number>();
  return jobs.map((j, order) => {
    const w = 1 + Math.max(0, ...(j.deps ?? []).map((d) => wave.get(d) ?? 0));
    wave.set(j.id, w);
    return { id: j.id, order, deps: j.deps ?? [], minutes: j.minutes, wave: w };
  });
}

function checkTimeline(jobs: readonly Job[], slots: readonly { id: string; start: number; end: number }[], cap: number): void {
  const at = new Map(slots.map((s) => [s.id, s]));
  expect(at.size).toBe(jobs.length);
  for (const j of jobs) {
    const s = at.get(j.id) as { start: number; end: number };
    expect(s.end - s.start).toBeCloseTo(j.minutes, 9);
    for (const d of j.deps ?? []) expect(s.start).toBeGreaterThanOrEqual((at.get(d) as { end: number }).end);
  }
  const events: Ev[] = slots.flatMap((s) => [
    { t: s.start, kind: "start" as const, id: s.id },
    { t: s.end, kind: "finish" as const, id: s.id },
  ]);
  expect(peakConcurrency(events)).toBeLessThanOrEqual(cap);
}

describe("scheduler properties on random DAGs", () => {
  it("never exceeds the cap, never starts early, finishes everything, stays within the bounds", () => {
    fc.assert(
      fc.property(dagArb, ({ jobs, cap, strategy }) => {
        const r = driveSchedule(jobs, cap, strategy);
        // Every plan starts once and finishes once.
        expect(
          starts(r.events)
            .map((e) => e.id)
            .sort(),
        ).toEqual(jobs.map((j) => j.id).sort());
        expect(r.events.filter((e) => e.kind === "finish")).toHaveLength(jobs.length);
        expect(r.final.done).toHaveLength(jobs.length);
        // Cap at every decision and at every instant.
        for (const d of r.decisions) expect(d.s.running.length + d.s.start.length).toBeLessThanOrEqual(cap);
        expect(peakConcurrency(r.events)).toBeLessThanOrEqual(cap);
        // Greedy: a plan that is ready is held back only because the cap is full.
        for (const d of r.decisions) if (d.s.waiting.some((w) => w.waitsFor.length === 0)) expect(d.s.running.length + d.s.start.length).toBe(cap);
        // Prerequisites complete before dependents start.
        for (const j of jobs) for (const dep of j.deps ?? []) expect(startOf(r.events, j.id) as number).toBeGreaterThanOrEqual(endOf(r.events, dep) as number);
        // Bounds: lower bound <= makespan <= sequential, and Graham's list-scheduling bound.
        const total = jobs.reduce((s, j) => s + j.minutes, 0);
        const cp = criticalPathMinutes(simPlans(jobs));
        expect(r.makespan).toBeGreaterThanOrEqual(Math.max(cp, total / cap) - 1e-9);
        expect(r.makespan).toBeLessThanOrEqual(total);
        expect(r.makespan).toBeLessThanOrEqual(total / cap + (1 - 1 / cap) * cp + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it("a dependent starts exactly when its last prerequisite finishes whenever a slot is free then", () => {
    fc.assert(
      fc.property(dagArb, ({ jobs, strategy }) => {
        // With a cap as large as the phase, nothing ever waits for a slot.
        const r = driveSchedule(jobs, jobs.length, strategy);
        for (const j of jobs) {
          const ready = Math.max(0, ...(j.deps ?? []).map((d) => endOf(r.events, d) as number));
          expect(startOf(r.events, j.id)).toBe(ready);
        }
        expect(r.makespan).toBe(criticalPathMinutes(simPlans(jobs)));
      }),
      { numRuns: 200 },
    );
  });

  it("failures block exactly the plans downstream of them and nothing else", () => {
    fc.assert(
      fc.property(dagArb, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), ({ jobs, cap, strategy }, failing) => {
        const scripted: Job[] = jobs.map((j, i) => (failing[i] ? { ...j, ends: "fail" as const } : j));
        const r = driveSchedule(scripted, cap, strategy);
        const failed = new Set(scripted.filter((j) => j.ends).map((j) => j.id));
        // Downstream of a failure = some prerequisite failed or is itself downstream.
        const downstream = new Set<string>();
        for (const j of scripted)
          if ((j.deps ?? []).some((d) => (failed.has(d) && startOf(r.events, d) !== undefined) || downstream.has(d))) downstream.add(j.id);
        for (const j of scripted) {
          if (downstream.has(j.id)) {
            expect(startOf(r.events, j.id)).toBeUndefined();
            expect(r.final.blocked.map((b) => b.id)).toContain(j.id);
          } else {
            expect(startOf(r.events, j.id)).toBeDefined();
            expect(failed.has(j.id) ? r.final.failed : r.final.done).toContain(j.id);
          }
        }
        expect(peakConcurrency(r.events)).toBeLessThanOrEqual(cap);
      }),
      { numRuns: 200 },
    );
  });

  it("the live queue, restarted from JSON at every step, makes the same decisions as the pure scheduler", () => {
    fc.assert(
      fc.property(dagArb, ({ jobs, cap, strategy }) => {
        const q = driveQueue(jobs, cap, strategy);
        expect(canonical(q.events)).toEqual(canonical(driveSchedule(jobs, cap, strategy).events));
        expect(q.peakSpawned).toBeLessThanOrEqual(cap);
        expect(q.history.entries).toHaveLength(jobs.length);
        expect(q.history.entries.every((e) => e.status === "completed")).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("the simulator's timelines respect the cap and prerequisites, and its makespans relate as they must", () => {
    fc.assert(
      fc.property(dagArb, ({ jobs, cap, strategy }) => {
        const plans = simPlans(jobs);
        const c = compareSchedules(plans, cap, strategy);
        checkTimeline(jobs, c.timelines.scheduler, cap);
        checkTimeline(jobs, c.timelines.waveBarrier, cap);
        for (const s of [...c.timelines.scheduler, ...c.timelines.waveBarrier]) {
          expect(s.lane).toBeGreaterThanOrEqual(0);
          expect(s.lane).toBeLessThan(cap);
        }
        // No two bars share a lane at the same time.
        for (const tl of [c.timelines.scheduler, c.timelines.waveBarrier])
          for (const a of tl) for (const b of tl) if (a !== b && a.lane === b.lane) expect(a.end <= b.start || b.end <= a.start).toBe(true);
        expect(c.sequential).toBe(c.totalWork);
        expect(c.lowerBound).toBe(Math.max(c.criticalPath, c.totalWork / cap));
        expect(c.scheduler).toBeGreaterThanOrEqual(c.lowerBound - 1e-9);
        expect(c.scheduler).toBeLessThanOrEqual(c.sequential);
        expect(c.waveBarrier).toBeGreaterThanOrEqual(c.lowerBound - 1e-9);
        expect(c.waveBarrier).toBeLessThanOrEqual(c.sequential);
        // The simulator replays the same scheduler as the live loop.
        expect(c.scheduler).toBe(driveSchedule(jobs, cap, strategy).makespan);
        expect(simulateScheduler(plans, cap, strategy).slots.map((s) => [s.id, s.start])).toEqual(
          starts(driveSchedule(jobs, cap, strategy).events).map((e) => [e.id, e.t]),
        );
      }),
      { numRuns: 300 },
    );
  });
});
