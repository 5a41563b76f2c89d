import { type History, emptyHistory } from "../../lib/core/queue/history-schema";
import { briefView } from "../../lib/core/queue/brief-view";
import { parseConfig } from "../../lib/core/plan/config";
import type { AgentEvidence, QueueEvent, QueueFacts } from "../../lib/core/queue/queue-event";
import { queueStep } from "../../lib/core/queue/queue-step";
import type { StatusView } from "../../lib/core/queue/status-view";
import { readableMinutes } from "../../lib/core/queue/liveness";
import { renderStatus } from "../../lib/render/status-text";
import { createStyle } from "../../lib/render/style";
import { type Job, analysisOf, factsOf, queueOptions } from "../helpers/sched-fixtures";

// A fake clock: every step is given its minute; the agents' evidence is what a shell would have seen.
const jobs: Job[] = [
  { id: "01-01", minutes: 5 },
  { id: "01-02", minutes: 5, deps: ["01-01"] },
];

interface World {
  history: History;
  done: Set<string>;
}

function step(w: World, minute: number, ev: QueueEvent, o: { evidence?: Map<string, AgentEvidence>; stall?: QueueFacts["stall"] } = {}) {
  const facts: QueueFacts = {
    ...factsOf(analysisOf(jobs, w.done), queueOptions(minute, { maxConcurrent: 2, ...(o.evidence ? { evidence: o.evidence } : {}) })),
    ...(o.stall ? { stall: o.stall } : {}),
  };
  const r = queueStep({ history: w.history, ledger: null }, facts, ev);
  w.history = r.state.history;
  return r.outcome;
}

function look(w: World, minute: number, o: Parameters<typeof step>[3] = {}): StatusView {
  const out = step(w, minute, { kind: "status" }, o);
  if (out.kind !== "advanced") throw new Error(`expected a view, got ${out.kind}`);
  return out.view;
}

/** Starts the run and records the first plan's agent, as the hooks would. */
function started(agentId = "agent-a"): World {
  const w: World = { history: emptyHistory(), done: new Set() };
  const out = step(w, 0, { kind: "start", options: { newRunId: "run-1" } });
  if (out.kind !== "advanced") throw new Error("start refused");
  expect(out.view.spawn.map((s) => s.plan)).toEqual(["01-01"]);
  step(w, 1, { kind: "spawned", plan: "01-01", runId: "run-1", agentId, outputFile: `/tmp/${agentId}.output` });
  return w;
}

const alive = (agentId: string, idle: number) => new Map<string, AgentEvidence>([[agentId, { process: "alive", outputIdleMinutes: idle }]]);
const plan = (v: StatusView, id: string) => v.plans.find((p) => p.id === id)!;

describe("a stalled agent", () => {
  it("is running until its output has been still for stall_minutes, then stalled with how long", () => {
    const w = started();
    const policy = { minutes: 20, restart: false, maxRestarts: 2 };
    expect(plan(look(w, 15, { evidence: alive("agent-a", 14), stall: policy }), "01-01").state).toBe("running");
    const v = look(w, 31, { evidence: alive("agent-a", 25.4), stall: policy });
    expect(plan(v, "01-01")).toMatchObject({ state: "stalled", stalledMinutes: 25.4 });
    // Still an agent at work: the run is in progress, nothing is stopped and the plan is not handed out again.
    expect(v.outcome).toBe("in-progress");
    expect(v.stop).toEqual([]);
    expect(v.spawn).toEqual([]);
    const b = briefView(v, { command: "status", mode: "yolo" });
    expect(b.stalled).toEqual([{ id: "01-01", minutes: 25.4 }]);
    expect(b.running).toEqual(["01-01"]);
  });

  it("without output file evidence, counts from the last recorded news", () => {
    const w = started();
    const quiet = new Map<string, AgentEvidence>([["agent-a", { process: "alive" }]]);
    expect(plan(look(w, 10, { evidence: quiet }), "01-01").state).toBe("running");
    // The default policy: 20 minutes. Spawned at minute 1, so minute 22 is 21 minutes of silence.
    expect(plan(look(w, 22, { evidence: quiet }), "01-01")).toMatchObject({ state: "stalled", stalledMinutes: 21 });
  });

  it("with restart_stalled, is stopped (TaskStop with its agent id) and its plan retried as a new attempt", () => {
    const w = started();
    const policy = { minutes: 0.5, restart: true, maxRestarts: 2 };
    const v = look(w, 3, { evidence: alive("agent-a", 1), stall: policy });
    expect(v.stop).toEqual([{ plan: "01-01", agentId: "agent-a", tool: "TaskStop", input: { task_id: "agent-a" } }]);
    expect(v.spawn.map((s) => [s.plan, s.attempt])).toEqual([["01-01", 2]]);
    expect(v.changes.map((c) => c.transition)).toEqual(["interrupt", "retry"]);
    const old = w.history.entries.find((e) => e.agent_id === "agent-a")!;
    expect(old.status).toBe("interrupted");
    expect(old.error).toMatch(/^stalled: no output for 1 min/);
    expect(briefView(v, { command: "status", mode: "yolo" }).next).toMatch(/^First stop each stop item/);
  });

  it("is restarted at most max_restarts times; after that it stays stalled and is shown", () => {
    const w = started("agent-1");
    const policy = { minutes: 1, restart: true, maxRestarts: 2 };
    let minute = 2;
    for (const n of [1, 2]) {
      const v = look(w, (minute += 5), { evidence: alive(`agent-${n}`, 4), stall: policy });
      expect(v.stop.map((s) => s.agentId)).toEqual([`agent-${n}`]);
      step(w, (minute += 1), { kind: "spawned", plan: "01-01", runId: "run-1", agentId: `agent-${n + 1}` });
    }
    const v = look(w, minute + 5, { evidence: alive("agent-3", 4), stall: policy });
    expect(v.stop).toEqual([]);
    expect(plan(v, "01-01")).toMatchObject({ state: "stalled", attempt: 3, stalledMinutes: 4 });
  });

  it("a late complete from the stopped attempt completes the plan once, and the dependent starts", () => {
    const w = started();
    const policy = { minutes: 1, restart: true, maxRestarts: 2 };
    look(w, 5, { evidence: alive("agent-a", 3), stall: policy });
    step(w, 6, { kind: "spawned", plan: "01-01", runId: "run-1", agentId: "agent-b" });
    // The stopped agent had in fact finished its work: its SUMMARY.md and its `complete` arrive late.
    w.done.add("01-01");
    const late = step(w, 7, { kind: "complete", plan: "01-01", runId: "run-1" });
    expect(late.kind).toBe("recorded");
    // The new attempt's agent says the same: nothing is counted twice.
    const again = step(w, 8, { kind: "complete", plan: "01-01", runId: "run-1" });
    expect(again.kind).toBe("unchanged");
    const v = look(w, 9, { stall: policy });
    expect(v.progress).toMatchObject({ done: 1, total: 2 });
    expect(w.history.entries.filter((e) => e.plan === "01-01" && e.status === "completed")).toHaveLength(1);
    expect(v.spawn.map((s) => s.plan)).toEqual(["01-02"]);
  });
});

describe("a lost notification", () => {
  it("a recorded complete with no notification: the next status starts the dependent", () => {
    const w = started();
    step(w, 4, { kind: "complete", plan: "01-01", runId: "run-1" });
    w.done.add("01-01");
    const v = look(w, 5);
    expect(v.spawn.map((s) => s.plan)).toEqual(["01-02"]);
    expect(plan(v, "01-01").state).toBe("completed");
  });

  it("only a SUMMARY.md and a settled agent (no complete, no notification): the next status completes it and starts the dependent", () => {
    const w = started();
    w.done.add("01-01");
    // Its output still moved a minute ago: it may be committing, so not yet.
    expect(look(w, 4, { evidence: alive("agent-a", 1) }).spawn).toEqual([]);
    const v = look(w, 8, { evidence: alive("agent-a", 4) });
    expect(plan(v, "01-01").state).toBe("completed");
    expect(v.spawn.map((s) => s.plan)).toEqual(["01-02"]);
  });
});

describe("the stall settings", () => {
  it("default to 20 minutes, no restart, two restarts", () => {
    expect(parseConfig("{}", "config.json").settings.stall).toEqual({ minutes: 20, restart: false, maxRestarts: 2 });
  });
  it("read parallelization.stall_minutes (fractions allowed), restart_stalled and max_restarts", () => {
    const r = parseConfig(JSON.stringify({ parallelization: { stall_minutes: 0.25, restart_stalled: true, max_restarts: 1 } }), "config.json");
    expect(r.diagnostics).toEqual([]);
    expect(r.settings.stall).toEqual({ minutes: 0.25, restart: true, maxRestarts: 1 });
  });
  it("a bad value is a diagnostic and only that value falls back", () => {
    const r = parseConfig(JSON.stringify({ parallelization: { stall_minutes: -3, restart_stalled: true } }), "config.json");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["config-invalid"]);
    expect(r.settings.stall).toEqual({ minutes: 20, restart: true, maxRestarts: 2 });
  });
});

describe("stalled minutes as people read them", () => {
  it("a fractional stall_minutes gives tenths, not 0 min, in the error and the text", () => {
    const w = started();
    const v = look(w, 1, { evidence: alive("agent-a", 0.27), stall: { minutes: 0.2, restart: true, maxRestarts: 2 } });
    expect(v.stop).toHaveLength(1);
    expect(w.history.entries.find((e) => e.agent_id === "agent-a")!.error).toBe("stalled: no output for 0.3 min; stopped and retried");
    const shown = look(started(), 1, { evidence: alive("agent-a", 0.27), stall: { minutes: 0.2, restart: false, maxRestarts: 2 } });
    const text = renderStatus(shown, createStyle(false), "2026-01-01T00:01:00.000Z", {});
    expect(text).toMatch(/no output for 0\.3 min/);
    expect(readableMinutes(21.4)).toBe(21);
  });
});
