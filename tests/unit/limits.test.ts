import { type History, emptyHistory } from "../../lib/core/queue/history-schema";
import { parseStopFailure } from "../../lib/core/queue/hook-payload";
import { limitKindOf } from "../../lib/core/queue/limit-kind";
import type { QueueEvent } from "../../lib/core/queue/queue-event";
import { queueStep } from "../../lib/core/queue/queue-step";
import type { StatusView } from "../../lib/core/queue/status-view";
import { type Job, analysisOf, factsOf, planFile, queueOptions, roundTrip } from "../helpers/sched-fixtures";

// 01-01 and 01-02 are independent; 01-03 needs 01-01.
const jobs: Job[] = [
  { id: "01-01", minutes: 5, deps: [] },
  { id: "01-02", minutes: 5, deps: [] },
  { id: "01-03", minutes: 5, deps: ["01-01"] },
];

function step(h: History, minute: number, ev: QueueEvent, done: ReadonlySet<string> = new Set(), cap = 4) {
  const o = queueOptions(minute, { maxConcurrent: cap, sessionId: "s1" });
  const r = queueStep({ history: h, ledger: null }, factsOf(analysisOf(jobs, done), o), ev);
  return { history: roundTrip(r.state.history), outcome: r.outcome };
}
const view = (o: ReturnType<typeof step>["outcome"]): StatusView => {
  if (o.kind !== "advanced") throw new Error(`expected a view, got ${o.kind}`);
  return o.view;
};
const stateOf = (v: StatusView, id: string) => v.plans.find((p) => p.id === id)?.state;

/** Starts the phase and gives each hand-out an agent (a1, a2), as the hooks would. */
function started(cap = 4): History {
  let h = step(emptyHistory(), 0, { kind: "start", options: { newRunId: "r1", maxConcurrent: cap } }, new Set(), cap).history;
  for (const [id, agent] of [
    ["01-01", "a1"],
    ["01-02", "a2"],
  ] as const)
    h = step(h, 1, { kind: "spawned", plan: planFile(id), agentId: agent }, new Set(), cap).history;
  return h;
}

describe("limits are not failures", () => {
  it("an agent that met a rate limit sends its plan back to the queue as a new attempt, and the cap halves", () => {
    const r = step(started(), 2, { kind: "hook-limited", agentId: "a1", limit: "rate_limit", message: "API Error: Request rejected (429)" });
    expect(r.outcome.kind).toBe("recorded");
    const e = r.history.entries.find((x) => x.plan === "01-01")!;
    expect(e.status).toBe("queued");
    expect(e.attempt).toBe(2);
    expect(e.agent_id).toBeNull();
    expect(e.limited?.kind).toBe("rate_limit");
    expect(e.limited?.retry_at).toBe(new Date(Date.parse(e.limited!.at) + 60_000).toISOString());
    expect(e.transitions.at(-1)?.via).toBe("limit");
    expect(r.history.runs[0]?.throttle?.effective).toBe(2);
    expect(r.history.runs[0]?.throttle?.reason).toMatch(/rate limit on 01-01/);
  });

  it("waits out its retry time: not handed out, shown as limited, its dependent waits (not blocked); then it is retried", () => {
    const h = step(started(), 2, { kind: "hook-limited", agentId: "a1", limit: "overloaded", message: "API Error: 529" }).history;
    const early = view(step(h, 2.5, { kind: "status" }).outcome);
    expect(stateOf(early, "01-01")).toBe("limited");
    expect(stateOf(early, "01-03")).toBe("waiting");
    expect(early.spawn).toEqual([]);
    expect(early.concurrency).toEqual({ cap: 4, effective: 2, reason: expect.stringContaining("API overloaded on 01-01") });
    // 01-02 still runs, so the run is not resting on the limit.
    expect(early.resume).toBeUndefined();
    expect(early.outcome).toBe("in-progress");
    const later = step(h, 3.5, { kind: "status" });
    expect(later.history.entries.find((x) => x.plan === "01-01")?.status).toBe("dispatched");
    expect(view(later.outcome).spawn.map((s) => [s.plan, s.attempt])).toEqual([["01-01", 2]]);
  });

  it("a late hook of the limited agent cannot touch the new attempt", () => {
    const h = step(started(), 2, { kind: "hook-limited", agentId: "a1", limit: "rate_limit", message: "429" }).history;
    const late = step(h, 2.1, { kind: "hook-stopped", agentId: "a1", lastMessage: "API Error", summaryPresent: false });
    expect(late.outcome.kind).toBe("unknown");
    expect(late.history.entries.find((x) => x.plan === "01-01")?.status).toBe("queued");
  });

  it("when every remaining plan waits on a limit, status says when to look again (exponential back-off)", () => {
    let h = step(started(), 2, { kind: "hook-limited", agentId: "a1", limit: "rate_limit", message: "429" }).history;
    h = step(h, 2, { kind: "hook-limited", agentId: "a2", limit: "rate_limit", message: "429" }).history;
    expect(h.runs[0]?.throttle?.effective).toBe(1);
    const v = view(step(h, 2.5, { kind: "status" }).outcome);
    expect(stateOf(v, "01-01")).toBe("limited");
    expect(stateOf(v, "01-02")).toBe("limited");
    // The first limit waits 60 s, the second (two in a row) 120 s: the earliest is 01-01's.
    expect(v.plans.find((p) => p.id === "01-02")?.limit?.retryAt).toBe(new Date(Date.parse(v.plans[0]!.limit!.at) + 120_000).toISOString());
    expect(v.resume?.at).toBe(v.plans.find((p) => p.id === "01-01")?.limit?.retryAt);
    expect(v.resume?.inSeconds).toBe(30);
    expect(v.outcome).toBe("in-progress");
  });

  it("clean completions raise the cap again, one at a time, up to the configured cap", () => {
    let h = step(started(2), 2, { kind: "hook-limited", agentId: "a1", limit: "rate_limit", message: "429" }, new Set(), 2).history;
    expect(h.runs[0]?.throttle?.effective).toBe(1);
    h = step(h, 3, { kind: "complete", plan: planFile("01-02") }, new Set(), 2).history;
    expect(h.runs[0]?.throttle).toMatchObject({ effective: 1, clean: 1 });
  });

  it("a limit reported before the agent was linked says so (the hook asks again), and lands once PostToolUse linked it", () => {
    let h = step(emptyHistory(), 0, { kind: "start", options: { newRunId: "r1", maxConcurrent: 4 } }).history;
    h = step(h, 1, { kind: "hook-pre-agent", runId: "r1", planFile: planFile("01-01") }).history;
    const early = step(h, 1, { kind: "hook-limited", agentId: "a9", limit: "rate_limit", message: "429" });
    expect(early.outcome).toEqual({ kind: "unknown", message: "agent a9 is not one of gsd-async's", awaiting: true });
    h = step(h, 1, { kind: "hook-spawned", runId: "r1", planFile: planFile("01-01"), agentId: "a9", outputFile: null }).history;
    const late = step(h, 1, { kind: "hook-limited", agentId: "a9", limit: "rate_limit", message: "429" });
    expect(late.outcome.kind).toBe("recorded");
    expect(late.history.entries.find((x) => x.plan === "01-01")).toMatchObject({ status: "queued", attempt: 2 });
  });

  it("a limit of an agent that is not the queue's, with no claim awaiting an id, is not waited for", () => {
    const r = step(started(), 2, { kind: "hook-limited", agentId: "zz", limit: "rate_limit", message: "429" });
    expect(r.outcome).toEqual({ kind: "unknown", message: "agent zz is not one of gsd-async's" });
  });

  it("an authentication failure is not a limit", () => {
    expect(limitKindOf("authentication_failed", "Invalid API key")).toBeNull();
    expect(limitKindOf("server_error", "API Error: 500 internal")).toBeNull();
  });
});

describe("StopFailure payloads (as 2.1.197 and 2.1.332 send them)", () => {
  const payload = (over: Record<string, unknown>) =>
    JSON.stringify({ session_id: "s", cwd: "/p", agent_id: "a9", agent_type: "general-purpose", hook_event_name: "StopFailure", ...over });
  it("reads a 429 as a rate limit and a 529 (server_error) as an overload", () => {
    expect(parseStopFailure(payload({ error: "rate_limit", last_assistant_message: "API Error: Request rejected (429) · slow down" }))).toMatchObject({
      kind: "limited",
      agentId: "a9",
      limit: "rate_limit",
    });
    expect(
      parseStopFailure(payload({ error: "server_error", last_assistant_message: "API Error: 529 overloaded_error. This is a server-side issue" })),
    ).toMatchObject({
      kind: "limited",
      limit: "overloaded",
    });
    expect(parseStopFailure(payload({ error: "rate_limit", last_assistant_message: "You've hit your limit · resets 4am" }))).toMatchObject({
      limit: "usage_limit",
    });
  });
  it("ignores the main thread's failure and what is not a StopFailure", () => {
    expect(parseStopFailure(JSON.stringify({ hook_event_name: "StopFailure", error: "rate_limit" })).kind).toBe("unrelated");
    expect(parseStopFailure("not json").kind).toBe("unrelated");
  });
  it("reads an agent's error that is not a limit as the agent's end, with the error as its last words", () => {
    expect(parseStopFailure(payload({ error: "authentication_failed", last_assistant_message: "Invalid API key" }))).toEqual({
      kind: "stopped",
      agentId: "a9",
      lastMessage: "the API ended it with authentication_failed: Invalid API key",
      transcript: null,
      sessionId: "s",
      cwd: "/p",
      apiError: true,
    });
    expect(parseStopFailure(payload({ error: "invalid_request", error_details: "400 prompt is too long" }))).toMatchObject({
      kind: "stopped",
      lastMessage: "the API ended it with invalid_request: 400 prompt is too long",
    });
  });
});
