import { existsSync } from "node:fs";
import { join } from "node:path";
import { agentBashCalls, agentCalls, entriesByPlan, explained, helperResults, mainRequests, readHistory, realErrors, storyOf } from "./checks";
import { Conversation } from "./conversation";
import { gsdModel } from "./gsd-model";
import { PLUGIN_ROOT, cleanupAll, gsdArgs, makeSandbox, runClaude, startMock } from "./harness";

afterAll(() => cleanupAll());

test("a failing agent blocks its dependents only, and /gsd:status reports it", async () => {
  const sb = makeSandbox("fail");
  // The agent for 02-01 runs the `fail` line of its prompt; every other agent completes.
  const mock = await startMock(gsdModel({ agentLatencyMs: 150, outcome: (plan) => (plan === "02-01" ? "fail" : "complete") }), sb);
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), timeoutMs: 150_000 });
  const firstRunRequests = mock.lastSeq;
  const status = await runClaude(sb, { mock, args: gsdArgs("/gsd:status"), timeoutMs: 120_000 });

  await explained(storyOf(mock, sb, [run, status]), () => {
    for (const r of [run, status]) {
      expect({ timedOut: r.timedOut, code: r.code, isError: r.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
      expect(realErrors(r.errors)).toEqual([]);
    }

    // The agent reported its failure through the helper.
    const failCall = agentBashCalls(mock).filter((b) => b.plan === "02-01");
    expect(failCall).toHaveLength(1);
    expect(failCall[0]!.command).toMatch(/ fail 02-01 --run \S+ --reason 'mock agent: the plan tests failed'$/);
    expect(failCall[0]!.result).toContain("02-01: failed");

    // 02-01 failed; its dependents 02-04, 02-05 (and 02-06, which needs 02-01's tags) are
    // blocked and were never started; the unrelated 02-02 and 02-03 completed.
    const by = entriesByPlan(readHistory(sb));
    expect(by.get("02-01")).toMatchObject({ status: "failed", error: "mock agent: the plan tests failed" });
    for (const plan of ["02-02", "02-03"]) {
      expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "completed" });
      expect(existsSync(join(sb.project, ".planning/phases/02-core-features", `${plan}-SUMMARY.md`))).toBe(true);
    }
    for (const plan of ["02-04", "02-05", "02-06"]) {
      expect({ plan, status: by.get(plan)?.status, blockedBy: by.get(plan)?.blocked_by }).toEqual({
        plan,
        status: "blocked",
        blockedBy: expect.arrayContaining(["02-01"]),
      });
      expect(by.get(plan)?.transitions.some((t) => t.to === "spawned")).toBe(false);
    }
    expect(existsSync(join(sb.project, ".planning/phases/02-core-features/02-01-SUMMARY.md"))).toBe(false);
    expect(
      agentCalls(mock)
        .map((c) => c.plan)
        .sort(),
    ).toEqual(["02-01", "02-02", "02-03"]);

    // /gsd:status: the expanded command carries the read-only snapshot of its `!` line, the
    // model ran `status --brief`, and what it got back (and so reported) names the failure
    // and the blocked plans.
    const statusRequests = mainRequests(mock).filter((r) => r.seq > firstRunRequests && new Conversation(r.body!).command?.name === "gsd:status");
    expect(statusRequests.length).toBeGreaterThan(0);
    const first = new Conversation(statusRequests[0]!.body!);
    expect(first.firstUserText).toContain(`Snapshot of the current phase`);
    expect(first.firstUserText).toMatch(/02-01[^\n]*failed/);
    expect(first.firstUserText).not.toContain(`node "${PLUGIN_ROOT}/dist/cli.js" status --peek --bang`);
    const seen = helperResults(mock, /status --brief$/).filter((x) => x.json?.command === "status" && x.json.outcome === "stopped");
    expect(seen.length).toBeGreaterThan(0);
    const view = seen[seen.length - 1]!.json!;
    const problems = new Map((view.problems as Array<{ id: string; state: string; blockedBy: string[]; error: string | null }>).map((p) => [p.id, p]));
    expect([...problems.keys()].sort()).toEqual(["02-01", "02-04", "02-05", "02-06"]);
    expect(problems.get("02-01")).toMatchObject({ state: "failed", error: "mock agent: the plan tests failed" });
    for (const plan of ["02-04", "02-05", "02-06"])
      expect(problems.get(plan)).toMatchObject({ state: "blocked", blockedBy: expect.arrayContaining(["02-01"]) });
    // 02-02 and 02-03 are the two plans done.
    expect(view.progress).toEqual({ done: 2, total: 6 });
    expect(view.spawn).toEqual([]);
    expect(status.json?.result).toContain("02-01: failed error: mock agent: the plan tests failed");
    expect(status.json?.result).toContain("02-04: blocked (blocked by 02-01");
  });
}, 240_000);
