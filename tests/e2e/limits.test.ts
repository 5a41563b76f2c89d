import { existsSync } from "node:fs";
import { join } from "node:path";
import { agentCalls, entriesByPlan, explained, helperResults, mainRequests, readHistory, realErrors, storyOf } from "./checks";
import { Conversation } from "./conversation";
import { gsdModel } from "./gsd-model";
import { CLAUDE_VERSION, cleanupAll, gsdArgs, makeSandbox, runClaude, startMock } from "./harness";
import { withLimits } from "./limit-api";
import { VERSIONS } from "./versions";

afterAll(() => cleanupAll());

const PHASE = ".planning/phases/02-core-features";
// The background plans; 02-06 has checkpoints, so it is left for a person (never started) in every run.
const PLANS = ["02-01", "02-02", "02-03", "02-04", "02-05"];
const CHECKPOINT_PLAN = "02-06";
// One answer ends the agent: Claude Code retries a 429 or 529 by itself otherwise (tests/e2e/README.md).
const ENV = { CLAUDE_CODE_MAX_RETRIES: "0" };
/**
 * ScheduleWakeup wakes a `claude -p` process up on 2.1.332; 2.1.197 offers the tool but its
 * process ends with the turn (tests/e2e/README.md). So the runs that resume by themselves use the
 * newest version (the suite's default, or the chosen one when it is not the oldest), and the
 * oldest is checked for what it can do: re-queue, drop the cap, and say what to run and when.
 */
const WAKING = CLAUDE_VERSION === VERSIONS.oldest ? VERSIONS.newest : CLAUDE_VERSION;

type Status = Record<string, unknown> & { concurrency?: { cap: number; effective: number; reason: string | null }; resume?: unknown };

function statusAnswers(mock: Parameters<typeof helperResults>[0]): Status[] {
  return helperResults(mock, /status --brief/)
    .map((x) => x.json as Status | undefined)
    .filter((j): j is Status => j?.command === "status");
}

/** Claude Code logs the limited requests it answered itself; anything else is a real error. */
const LIMIT_LOG = /mock: (rate limited|overloaded|prompt is too long)|API (rate_limit|overloaded|server_error|invalid_request)/;
const otherErrors = (errors: string[]) => realErrors(errors).filter((l) => !LIMIT_LOG.test(l));

const wakeUps = (mock: Parameters<typeof mainRequests>[0]) =>
  mainRequests(mock).flatMap((r) => new Conversation(r.body!).calls.filter((c) => c.use.name === "ScheduleWakeup").map((c) => c.use.id));

test("one agent meets a rate limit mid-run: its plan is queued again (not failed), the cap drops, and the run finishes by itself", async () => {
  const sb = makeSandbox("limit-one");
  const limits = withLimits(gsdModel({ agentLatencyMs: 150 }), (plan, attempt) => (plan === "02-01" && attempt === 1 ? "rate_limit" : undefined));
  const mock = await startMock(limits.model, sb);
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), env: ENV, timeoutMs: 420_000, version: WAKING });

  await explained(storyOf(mock, sb, [run]), () => {
    expect({ timedOut: run.timedOut, code: run.code, isError: run.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    expect(realErrors(run.errors).length).toBeGreaterThan(0);
    expect(otherErrors(run.errors)).toEqual([]);
    expect(limits.limited.map((l) => `${l.plan}#${l.attempt}`)).toEqual(["02-01#1"]);

    const by = entriesByPlan(readHistory(sb));
    for (const plan of PLANS) {
      expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "completed" });
      expect(existsSync(join(sb.project, PHASE, `${plan}-SUMMARY.md`))).toBe(true);
    }
    expect(by.get(CHECKPOINT_PLAN)?.transitions.some((t) => t.to === "spawned")).toBe(false);
    // 02-01 went back to the queue through the limit transition (never failed), and ran again as attempt 2.
    const e = by.get("02-01")! as typeof by extends Map<string, infer E> ? E & { attempt: number } : never;
    expect(e.attempt).toBe(2);
    expect(e.transitions.map((t) => t.via)).toEqual(["create", "dispatch", "spawn", "limit", "dispatch", "spawn", "complete"]);
    expect(e.transitions.some((t) => t.to === "failed")).toBe(false);
    // Its dependents waited; they were never blocked.
    for (const plan of ["02-04", "02-05", "02-06"]) expect(by.get(plan)?.transitions.some((t) => t.to === "blocked")).toBe(false);

    // The helper showed the drop of the effective cap and why.
    const seen = statusAnswers(mock);
    const dropped = seen.find((j) => j.concurrency && j.concurrency.effective < j.concurrency.cap);
    expect(dropped?.concurrency).toEqual({ cap: 3, effective: 1, reason: expect.stringContaining("rate limit on 02-01") });
    expect(
      agentCalls(mock)
        .filter((c) => c.plan === "02-01")
        .map((c) => c.plan),
    ).toEqual(["02-01", "02-01"]);
  });
}, 480_000);

test("an agent ended by an API error that is not a limit (400): its plan fails at once with the error, only its dependents are blocked, the rest completes", async () => {
  const sb = makeSandbox("api-error");
  const limits = withLimits(gsdModel({ agentLatencyMs: 150 }), (plan) => (plan === "02-01" ? "bad_request" : undefined));
  const mock = await startMock(limits.model, sb);
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), env: ENV, timeoutMs: 300_000 });

  await explained(storyOf(mock, sb, [run]), () => {
    expect({ timedOut: run.timedOut, code: run.code, isError: run.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    expect(otherErrors(run.errors)).toEqual([]);
    expect(limits.limited.map((l) => `${l.plan}#${l.attempt}`)).toEqual(["02-01#1"]);
    const by = entriesByPlan(readHistory(sb));
    // Failed by its StopFailure, not left spawned for the liveness lease, and never retried as a limit.
    const e = by.get("02-01")!;
    expect(e.status).toBe("failed");
    expect(e.error).toMatch(/the API ended it with/);
    expect(e.transitions.map((t) => t.via)).toEqual(["create", "dispatch", "spawn", "fail"]);
    for (const plan of ["02-04", "02-05"]) expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "blocked" });
    for (const plan of ["02-02", "02-03"]) expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "completed" });
  });
}, 360_000);

test("every agent meets a limit at once: the conversation schedules a wake-up and the run completes after it", async () => {
  const sb = makeSandbox("limit-all");
  const limits = withLimits(gsdModel({ agentLatencyMs: 150 }), (_plan, attempt) => (attempt === 1 ? "overloaded" : undefined));
  const mock = await startMock(limits.model, sb);
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), env: ENV, timeoutMs: 600_000, version: WAKING });

  await explained(storyOf(mock, sb, [run]), () => {
    expect({ timedOut: run.timedOut, code: run.code, isError: run.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    expect(realErrors(run.errors).length).toBeGreaterThan(0);
    expect(otherErrors(run.errors)).toEqual([]);
    const by = entriesByPlan(readHistory(sb));
    for (const plan of PLANS) expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "completed" });
    // Every first attempt was limited; the status that saw nothing left to run said when to resume.
    expect(limits.limited.every((l) => l.attempt === 1)).toBe(true);
    const resting = statusAnswers(mock).filter((j) => j.resume !== undefined);
    expect(resting.length).toBeGreaterThan(0);
    expect(resting[0]!.next).toMatch(/ScheduleWakeup/);
    // The conversation scheduled its own wake-up, and work went on after it without a person.
    expect(new Set(wakeUps(mock)).size).toBeGreaterThan(0);
    const woke = mock.requests.filter((r) => r.label === "main: woke up, status");
    expect(woke.length).toBeGreaterThan(0);
    expect(limits.limited.map((l) => l.plan)).toEqual(expect.arrayContaining(["02-01", "02-03"]));
  });
}, 660_000);

test(`on ${VERSIONS.oldest} (no headless wake-up): a limited plan is queued again, the conversation says when to run status, and that status finishes the run`, async () => {
  const sb = makeSandbox("limit-oldest");
  const limits = withLimits(gsdModel({ agentLatencyMs: 150 }), (plan, attempt) => (plan === "02-01" && attempt === 1 ? "rate_limit" : undefined));
  const mock = await startMock(limits.model, sb);
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), env: ENV, timeoutMs: 300_000, version: VERSIONS.oldest });
  const told = statusAnswers(mock).find((j) => j.resume !== undefined) as (Status & { resume: { at: string } }) | undefined;
  // What the person does: wait until the time the conversation gave, then run /gsd:status.
  if (told) await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(told.resume.at) - Date.now()) + 1000));
  const later = await runClaude(sb, { mock, args: gsdArgs("/gsd:status"), env: ENV, timeoutMs: 300_000, version: VERSIONS.oldest });

  await explained(storyOf(mock, sb, [run, later]), () => {
    for (const r of [run, later])
      expect({ timedOut: r.timedOut, code: r.code, isError: r.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    expect(otherErrors(run.errors)).toEqual([]);
    expect(told).toBeDefined();
    // The first run ended with the plan re-queued (never failed) and the user told when to look again.
    expect(run.json?.result).toContain(told!.resume.at);
    expect(run.json?.result).toContain("run /gsd:status");
    expect(told!.concurrency).toEqual({ cap: 3, effective: 1, reason: expect.stringContaining("rate limit on 02-01") });
    const by = entriesByPlan(readHistory(sb));
    for (const plan of PLANS) expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "completed" });
    expect(by.get("02-01")?.transitions.map((t) => t.via)).toEqual(["create", "dispatch", "spawn", "limit", "dispatch", "spawn", "complete"]);
  });
}, 720_000);
