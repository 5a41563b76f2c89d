import { emptyHistory, type History } from "../../lib/core/queue/history-schema";
import type { QueueEvent, QueueFacts } from "../../lib/core/queue/queue-event";
import { queueStep } from "../../lib/core/queue/queue-step";
import { runEntries } from "../../lib/core/queue/history-ops";
import { type Job, analysisOf, factsOf, queueOptions, roundTrip } from "../helpers/sched-fixtures";

/**
 * An agent that writes its SUMMARY.md and then reports a failure (its tests failed after the
 * summary was written): the summary must not complete the plan behind the failure's back, or its
 * dependents would start on failed work. A summary a person writes after a failure still does.
 */
const JOBS: Job[] = [
  { id: "a", minutes: 5 },
  { id: "b", minutes: 5, deps: ["a"] },
];

const facts = (t: number, done: Set<string> = new Set()): QueueFacts => ({
  ...factsOf(analysisOf(JOBS, done), queueOptions(t, { maxConcurrent: 2 })),
  sessionId: "s1",
});

function step(h: History, f: QueueFacts, ev: QueueEvent): History {
  const r = queueStep({ history: h, ledger: null }, f, ev);
  if (r.outcome.kind === "illegal" || r.outcome.kind === "unknown") throw new Error(r.outcome.message);
  return roundTrip(r.state.history);
}
const entry = (h: History, plan: string) => runEntries(h, "r1").find((e) => e.plan === plan)!;

function failedA(summaryExists: boolean): History {
  let h = step(emptyHistory(), facts(0), { kind: "start", options: { newRunId: "r1" } });
  h = step(h, facts(60_000), { kind: "spawned", plan: "a", runId: "r1", agentId: "agent-a" });
  return step(h, facts(120_000, summaryExists ? new Set(["a"]) : new Set()), { kind: "fail", plan: "a", runId: "r1", reason: "tests failed", summaryExists });
}

describe("a summary written before a reported failure", () => {
  it("is recorded on the failure and does not complete the plan on a later status; its dependent stays blocked", () => {
    const h = failedA(true);
    expect(entry(h, "a")).toMatchObject({ status: "failed", error: "tests failed", summary_at_failure: true });
    const later = step(h, facts(180_000, new Set(["a"])), { kind: "status" });
    expect(entry(later, "a").status).toBe("failed");
    expect(entry(later, "b").status).toBe("blocked");
  });

  it("a retried attempt whose agent stops without completing is not completed from the old summary either", () => {
    let h = step(failedA(true), facts(150_000, new Set(["a"])), { kind: "start", options: { newRunId: "r2" } });
    expect(entry(h, "a")).toMatchObject({ status: "dispatched", attempt: 2, summary_at_failure: true });
    h = step(h, facts(160_000, new Set(["a"])), { kind: "spawned", plan: "a", runId: "r1", agentId: "agent-a2" });
    h = step(h, facts(170_000, new Set(["a"])), {
      kind: "hook-stopped",
      agentId: "agent-a2",
      lastMessage: "the API ended it with server_error",
      summaryPresent: true,
    });
    expect(entry(h, "a")).toMatchObject({ status: "failed", error: expect.stringMatching(/server_error/) });
    h = step(h, facts(180_000, new Set(["a"])), { kind: "status" });
    expect([entry(h, "a").status, entry(h, "b").status]).toEqual(["failed", "blocked"]);
  });

  it("an explicit complete still completes it, and clears the failure's error and flag", () => {
    const h = step(failedA(true), facts(180_000, new Set(["a"])), { kind: "complete", plan: "a", runId: "r1" });
    const a = entry(h, "a");
    expect(a.status).toBe("completed");
    expect(a.error).toBeNull();
    expect(a).not.toHaveProperty("summary_at_failure");
  });

  it("a summary that appears after the failure (a person finished it) completes the plan as before", () => {
    const h = failedA(false);
    expect(entry(h, "a")).not.toHaveProperty("summary_at_failure");
    const later = step(h, facts(180_000, new Set(["a"])), { kind: "status" });
    expect(entry(later, "a")).toMatchObject({ status: "completed", error: null });
  });
});
