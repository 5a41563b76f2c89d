import {
  type RunStatus,
  type Transition,
  IllegalTransition,
  RUN_STATUSES,
  backgroundStatusOf,
  STATUS,
  canTransition,
  isFinished,
  nextStatus,
} from "../../lib/core/queue/run-status";
import { transition } from "../../lib/core/queue/history-ops";
import type { HistoryEntry } from "../../lib/core/queue/history-schema";

const TRANSITIONS: readonly Transition[] = ["dispatch", "expire", "spawn", "relaunch", "complete", "fail", "interrupt", "block", "unblock", "cancel", "retry"];

/**
 * The state machine as the spec and the module's header describe it, written out independently
 * of the implementation's table: every pair not listed here must be refused.
 */
const ALLOWED: ReadonlyArray<[RunStatus, Transition, RunStatus]> = [
  ["queued", "dispatch", "dispatched"],
  ["dispatched", "expire", "queued"],
  ["queued", "spawn", "spawned"],
  ["dispatched", "spawn", "spawned"],
  ["spawned", "relaunch", "queued"],
  ["spawned", "complete", "completed"],
  ["spawned", "fail", "failed"],
  ["spawned", "interrupt", "interrupted"],
  ["queued", "block", "blocked"],
  ["queued", "cancel", "cancelled"],
  ["dispatched", "cancel", "cancelled"],
  ["blocked", "cancel", "cancelled"],
  ["blocked", "unblock", "queued"],
  ["failed", "retry", "queued"],
  ["interrupted", "retry", "queued"],
  ["cancelled", "retry", "queued"],
  // Done outside the queue (its SUMMARY.md appeared), or the agent's own report after the queue gave up on it.
  ["queued", "complete", "completed"],
  ["dispatched", "complete", "completed"],
  ["blocked", "complete", "completed"],
  ["failed", "complete", "completed"],
  ["interrupted", "complete", "completed"],
  ["cancelled", "complete", "completed"],
  // The agent's own failure report, also before the hooks linked it or after it was thought interrupted.
  ["dispatched", "fail", "failed"],
  ["interrupted", "fail", "failed"],
];

const allowedKey = new Map(ALLOWED.map(([from, t, to]) => [`${from}/${t}`, to]));

function entry(status: RunStatus): HistoryEntry {
  return {
    agent_id: status === "queued" ? null : "a0123456789abcdef",
    task_description: "Execute 01-01",
    phase: "01",
    plan: "01-01",
    segment: null,
    timestamp: "2026-01-01T00:00:00.000Z",
    status,
    completion_timestamp: null,
    execution_mode: "background",
    output_file: status === "queued" ? null : "/tmp/out.output",
    background_status: backgroundStatusOf(status),
    queue_position: null,
    plan_file: ".planning/phases/01-x/01-01-PLAN.md",
    phase_dir: ".planning/phases/01-x",
    depends_on: [],
    run_id: "r1",
    attempt: 1,
    session_id: null,
    error: status === "failed" ? "boom" : null,
    dispatched_at: status === "dispatched" ? "2026-01-01T00:00:00.000Z" : null,
    blocked_by: status === "blocked" ? ["01-00"] : [],
    transitions: [{ to: status, at: "2026-01-01T00:00:00.000Z", via: "create" }],
  };
}

describe("run status state machine", () => {
  it("knows exactly the eight statuses", () => {
    expect([...RUN_STATUSES].sort()).toEqual(["blocked", "cancelled", "completed", "dispatched", "failed", "interrupted", "queued", "spawned"]);
  });

  describe.each(ALLOWED)("%s --%s--> %s", (from, t, to) => {
    it("is allowed by nextStatus/canTransition", () => {
      expect(nextStatus(from, t)).toBe(to);
      expect(canTransition(from, t)).toBe(true);
    });

    it("is applied by transition() with a derived background_status and a transition record", () => {
      const at = "2026-01-02T03:04:05.000Z";
      const next = transition(entry(from), t, at);
      expect(next.status).toBe(to);
      expect(next.background_status).toBe(backgroundStatusOf(to));
      expect(next.transitions[next.transitions.length - 1]).toEqual({ to, at, via: t });
      expect(next.transitions).toHaveLength(2);
      if (isFinished(to)) expect(next.completion_timestamp).toBe(at);
    });
  });

  const refused: Array<[RunStatus, Transition]> = [];
  for (const s of RUN_STATUSES) for (const t of TRANSITIONS) if (!allowedKey.has(`${s}/${t}`)) refused.push([s, t]);

  it("refuses every other pair (sanity: the list is not empty and complements the allowed list)", () => {
    expect(refused.length + ALLOWED.length).toBe(RUN_STATUSES.length * TRANSITIONS.length);
    expect(refused.length).toBeGreaterThan(50);
  });

  it.each(refused)("refuses %s --%s", (from, t) => {
    expect(nextStatus(from, t)).toBeUndefined();
    expect(canTransition(from, t)).toBe(false);
    const e = entry(from);
    const before = JSON.stringify(e);
    let thrown: unknown;
    try {
      transition(e, t, "2026-01-02T00:00:00.000Z");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(IllegalTransition);
    const ill = thrown as IllegalTransition;
    expect(ill.from).toBe(from);
    expect(ill.transition).toBe(t);
    expect(ill.plan).toBe("01-01");
    expect(ill.message).toBe(`cannot ${t} 01-01: it is ${from}`);
    // The entry passed in is not mutated by a refused transition.
    expect(JSON.stringify(e)).toBe(before);
  });

  it("derives background_status for every status", () => {
    const expected: Record<RunStatus, string> = {
      queued: "queued",
      dispatched: "queued",
      spawned: "running",
      completed: "completed",
      failed: "failed",
      interrupted: "interrupted",
      blocked: "blocked",
      cancelled: "cancelled",
    };
    for (const s of RUN_STATUSES) expect(backgroundStatusOf(s)).toBe(expected[s]);
  });

  it("classifies finished and dependent-blocking statuses", () => {
    const finished = RUN_STATUSES.filter(isFinished).sort();
    expect(finished).toEqual(["cancelled", "completed", "failed", "interrupted"]);
    // What the scheduler sees: these block dependents; dispatched and spawned hold a slot.
    expect(RUN_STATUSES.filter((s) => STATUS[s].sched === "failed").sort()).toEqual(["cancelled", "failed", "interrupted"]);
    expect(RUN_STATUSES.filter((s) => STATUS[s].sched === "running").sort()).toEqual(["dispatched", "spawned"]);
    expect(RUN_STATUSES.filter((s) => STATUS[s].live).sort()).toEqual(["dispatched", "spawned"]);
  });

  it("retry starts a fresh attempt: attempt+1, outcome fields cleared", () => {
    const failed = transition(entry("spawned"), "fail", "2026-01-02T00:00:00.000Z", { error: "tests failed" });
    expect(failed.error).toBe("tests failed");
    expect(failed.completion_timestamp).toBe("2026-01-02T00:00:00.000Z");
    const again = transition(failed, "retry", "2026-01-03T00:00:00.000Z");
    expect(again).toMatchObject({
      status: "queued",
      background_status: "queued",
      attempt: 2,
      error: null,
      completion_timestamp: null,
      agent_id: null,
      output_file: null,
      dispatched_at: null,
    });
  });

  it("leaving dispatched clears the lease; unblock clears blocked_by", () => {
    expect(transition(entry("dispatched"), "spawn", "2026-01-02T00:00:00.000Z").dispatched_at).toBeNull();
    const b = transition(entry("queued"), "block", "2026-01-02T00:00:00.000Z", { blocked_by: ["01-00"] });
    expect(b.blocked_by).toEqual(["01-00"]);
    expect(transition(b, "unblock", "2026-01-02T00:01:00.000Z").blocked_by).toEqual([]);
  });

  it("a patch can never override the derived background_status", () => {
    const next = transition(entry("queued"), "spawn", "2026-01-02T00:00:00.000Z", { background_status: "completed" });
    expect(next.status).toBe("spawned");
    expect(next.background_status).toBe("running");
  });
});
