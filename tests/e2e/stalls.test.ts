import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Entry, entriesByPlan, explained, helperResults, mainRequests, readHistory, realErrors, setConfig, storyOf } from "./checks";
import { Conversation, notificationsIn, resultText, textOf } from "./conversation";
import { gsdModel } from "./gsd-model";
import { type ChildProcess } from "node:child_process";
import { CLAUDE_VERSION, type RunResult, type Sandbox, cleanupAll, gsdArgs, helper, makeSandbox, runClaude, startMock, stopRun } from "./harness";
import { agentOf } from "./limit-api";
import type { MessagesBody, Reply, ScriptedModel } from "./mock-api";

afterAll(() => cleanupAll());

const PHASE = ".planning/phases/02-core-features";
// The background plans; 02-06 has checkpoints, so it is left for a person (never started).
const PLANS = ["02-01", "02-02", "02-03", "02-04", "02-05"];
/**
 * `parallelization.stall_minutes`: any positive number is accepted. 0.2 (12 s) is far above the
 * gaps between a healthy mock agent's writes (well under a second each, a few seconds on a
 * loaded machine), so only the agent that really hangs counts as stalled.
 */
const STALL_MINUTES = 0.2;

type Json = Record<string, unknown>;

function statusAnswers(mock: Parameters<typeof helperResults>[0]): Json[] {
  return helperResults(mock, /\sstatus\s/)
    .map((x) => x.json)
    .filter((j): j is Json => j?.command === "status");
}

/**
 * Wraps a scripted model so that one agent's first request is never answered, as when the API
 * hangs: the HTTP response stays open until `release()` (called when the test is over). The
 * other agents finish only once the hung one has been silent for `quietMs`, so the status their
 * notifications run sees the stall (and not a healthy agent a moment before it counts as one).
 */
function withHang(model: ScriptedModel, hangs: (plan: string, attempt: number) => boolean, quietMs: number) {
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  let hungAt: number | undefined;
  const hung: Array<{ plan: string; attempt: number }> = [];
  const wrapped: ScriptedModel = async (body: MessagesBody, seq) => {
    const a = agentOf(body);
    if (a && hangs(a.plan, a.attempt)) {
      hung.push(a);
      hungAt ??= Date.now();
      await released;
      return { content: [{ type: "text", text: "too late" }], label: `agent ${a.plan}#${a.attempt}: released after the test` } satisfies Reply;
    }
    return model(body, seq);
  };
  const quiet = async () => {
    while (hungAt === undefined || Date.now() - hungAt < quietMs) await new Promise((r) => setTimeout(r, 200));
  };
  return { model: wrapped, hung, release, quiet };
}

const taskStops = (mock: Parameters<typeof mainRequests>[0]) => {
  const seen = new Map<string, { input: Json; result: string; isError: boolean }>();
  for (const r of mainRequests(mock))
    for (const c of new Conversation(r.body!).calls)
      if (c.use.name === "TaskStop" && c.result) seen.set(c.use.id, { input: c.use.input, result: resultText(c), isError: c.result.is_error === true });
  return [...seen.values()];
};

/** The Claude Code log line of the hung request, aborted when its agent is stopped: the only error expected. */
const ABORTED = /Error in API request: Request was aborted/;

const attemptsOf = (sb: Sandbox, plan: string) => (readHistory(sb)?.entries ?? []).filter((e) => e.plan === plan) as Array<Entry & { attempt: number }>;

/** Every task notification the main conversations received, once per task id and status. */
function notifications(mock: Parameters<typeof mainRequests>[0]) {
  const seen = new Map<string, { taskId: string; status: string; summary: string }>();
  for (const r of mainRequests(mock))
    (r.body!.messages ?? []).forEach((m, i) => {
      if (m.role === "assistant") return;
      for (const n of notificationsIn(textOf(m.content), i)) seen.set(`${n.taskId}/${n.status}`, n);
    });
  return [...seen.values()];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

test(`${CLAUDE_VERSION}: an agent whose request never comes back is stopped with TaskStop as status says, and its plan retried: the run completes`, async () => {
  const sb = makeSandbox("stall-restart");
  setConfig(sb, (c) => {
    Object.assign(c.parallelization as Json, { stall_minutes: STALL_MINUTES, restart_stalled: true });
  });
  // The first wave's other agents end once 02-01 has been silent past stall_minutes (plus a margin).
  const hang = withHang(
    (body, seq) => model(body, seq),
    (plan, attempt) => plan === "02-01" && attempt === 1,
    STALL_MINUTES * 60_000 + 4000,
  );
  const model = gsdModel({ agentLatencyMs: 100, beforeAgentEnds: (plan) => (plan === "02-02" || plan === "02-03" ? hang.quiet() : Promise.resolve()) });
  const mock = await startMock(hang.model, sb);
  const runs: RunResult[] = [];
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), timeoutMs: 300_000 });
  runs.push(run);
  hang.release();

  await explained(storyOf(mock, sb, runs), () => {
    expect({ timedOut: run.timedOut, code: run.code, isError: run.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    // The one error: the hung request, aborted when TaskStop ended its agent.
    expect(realErrors(run.errors).filter((l) => !ABORTED.test(l))).toEqual([]);
    expect(realErrors(run.errors).filter((l) => ABORTED.test(l))).toHaveLength(1);
    expect(hang.hung).toEqual([{ plan: "02-01", attempt: 1 }]);

    // The first attempt: stopped for stalling (its error says so), its agent the one status said to stop.
    const [first, second, ...more] = attemptsOf(sb, "02-01");
    expect(more).toEqual([]);
    expect(first).toMatchObject({
      attempt: 1,
      status: "interrupted",
      error: expect.stringMatching(/^stalled: no output for [\d.]+ min; stopped and retried$/),
    });
    expect(first!.transitions.map((t) => t.via)).toEqual(["create", "dispatch", "spawn", "interrupt"]);
    const stoppedId = first!.agent_id!;
    expect(stoppedId).toMatch(/^\w+$/);

    // The status that saw the stall handed 02-01 out again and said to stop the old agent first.
    const stopping = statusAnswers(mock).filter((j) => Array.isArray(j.stop) && j.stop.length > 0);
    expect(stopping).toHaveLength(1);
    expect(stopping[0]!.stop).toEqual([{ plan: "02-01", tool: "TaskStop", input: { task_id: stoppedId } }]);
    expect((stopping[0]!.spawn as Array<{ plan: string; key: string }>).map((s) => s.key)).toEqual([expect.stringMatching(/\/02-01#2$/)]);
    expect(stopping[0]!.next).toMatch(/^First stop each stop item's agent/);

    // The conversation called TaskStop with that input; Claude Code stopped the agent and said so.
    const stops = taskStops(mock);
    expect(stops.map((s) => s.input)).toEqual([{ task_id: stoppedId }]);
    expect(stops[0]).toMatchObject({ isError: false, result: expect.stringContaining(stoppedId) });
    process.stderr.write(`${CLAUDE_VERSION} TaskStop said: ${stops[0]!.result}\n`);
    const killed = notifications(mock).filter((n) => n.taskId === stoppedId);
    process.stderr.write(`${CLAUDE_VERSION} stopped agent's notifications: ${JSON.stringify(killed)}\n`);

    // 02-01 ran again as attempt 2 with a new agent, after the stop; every plan completed with its SUMMARY.
    expect(second).toMatchObject({ attempt: 2, status: "completed", error: null });
    expect(second!.agent_id).not.toBe(stoppedId);
    expect(second!.transitions.map((t) => t.via)).toEqual(["create", "dispatch", "spawn", "interrupt", "retry", "dispatch", "spawn", "complete"]);
    const by = entriesByPlan(readHistory(sb));
    for (const plan of PLANS) {
      expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "completed" });
      expect(existsSync(join(sb.project, PHASE, `${plan}-SUMMARY.md`))).toBe(true);
    }
    // Its dependents started only after the retried attempt completed.
    for (const plan of ["02-04", "02-05"]) {
      const spawned = by.get(plan)!.transitions.find((t) => t.to === "spawned")!.at;
      expect(Date.parse(spawned)).toBeGreaterThanOrEqual(Date.parse(second!.completion_timestamp!));
    }
    process.stderr.write(`${CLAUDE_VERSION} stall-restart run: ${run.ms} ms\n`);
  });
}, 360_000);

test(`${CLAUDE_VERSION}: with restart_stalled off, a hung agent is shown stalled (with its minutes) by /gsd:status --wait and by status, and left running`, async () => {
  const sb = makeSandbox("stall-show");
  // One agent at a time: only 02-01 runs (and hangs); the other plans wait in the queue.
  setConfig(sb, (c) => {
    Object.assign(c.parallelization as Json, { stall_minutes: STALL_MINUTES, restart_stalled: false, max_concurrent_agents: 1 });
  });
  const hang = withHang(gsdModel({ agentLatencyMs: 100 }), (plan) => plan === "02-01", 0);
  const mock = await startMock(hang.model, sb);
  const runs: RunResult[] = [];
  const children: ChildProcess[] = [];
  const first = runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), timeoutMs: 300_000, onStart: (c) => children.push(c) });
  const waitAnswers = () =>
    helperResults(mock, /status --wait --brief/)
      .map((x) => x.json)
      .filter((j): j is Json => j?.command === "status");
  const stalledIn = (j: Json) => (j.stalled as Array<{ id: string; minutes: number }> | undefined)?.find((x) => x.id === "02-01");
  let text = "";
  try {
    await until("02-01's agent to send its request", () => hang.hung.length > 0, 120_000);
    // A second window follows the run while 02-01 is still young.
    const follow = runClaude(sb, { mock, args: gsdArgs("/gsd:status --wait"), timeoutMs: 300_000, onStart: (c) => children.push(c) });
    void follow.then((r) => runs.push(r));
    await until("a --wait answer with 02-01 stalled", () => waitAnswers().some((j) => stalledIn(j) !== undefined), 180_000);
    // What a person sees in a terminal.
    text = (await helper(sb, ["status"])).stdout;
  } finally {
    // Nothing ends a hung agent with restart off: close both windows, as a person would (the
    // follower first: it would otherwise see the agent's process gone and hand its plan out again).
    for (const c of [...children].reverse()) await stopRun(c);
    runs.unshift(await first);
    hang.release();
  }

  await explained(storyOf(mock, sb, runs), () => {
    const answers = waitAnswers();
    const stalled = answers.find((j) => stalledIn(j) !== undefined)!;
    // The wait returned for the stall: nothing else had happened (nothing done, nothing to start or stop).
    expect(stalled).toMatchObject({ outcome: "in-progress", stop: [], spawn: [], running: ["02-01"], progress: { done: 0, total: 6 } });
    expect(stalledIn(stalled)!.minutes).toBeGreaterThanOrEqual(STALL_MINUTES);
    expect(answers.slice(0, answers.indexOf(stalled)).every((j) => stalledIn(j) === undefined)).toBe(true);
    expect(text).toMatch(/02-01.*no output for \d+(\.\d)? min/);
    // Never stopped, never retried: still its first attempt, still spawned.
    expect(statusAnswers(mock).every((j) => Array.isArray(j.stop) && j.stop.length === 0)).toBe(true);
    expect(taskStops(mock)).toEqual([]);
    expect(attemptsOf(sb, "02-01").map((e) => [e.attempt, e.status])).toEqual([[1, "spawned"]]);
    expect(hang.hung).toEqual([{ plan: "02-01", attempt: 1 }]);
    process.stderr.write(`${CLAUDE_VERSION} stall-show: ${text}\n`);
  });
}, 480_000);

test(`${CLAUDE_VERSION}: a task notification the conversation misses: its dependents wait, and the next /gsd:status --wait starts them and finishes the run`, async () => {
  const sb = makeSandbox("lost-notification");
  const missed = (summary: string) => summary.includes('"gsd-async 02-01"');
  // 02-01 completes last of the first wave, once the other two notifications were acted on, so
  // its notification comes alone, and the conversation does not act on it.
  const othersHandled = () => {
    const seen = notifications(mock).filter((n) => /"gsd-async 02-0[23]"/.test(n.summary));
    if (new Set(seen.map((n) => n.taskId)).size < 2) return false;
    // The request each notification first arrived in, then a status report after the later one.
    const firstIn = (id: string) =>
      Math.min(
        ...mainRequests(mock)
          .filter((r) => new Conversation(r.body!).notifications.some((n) => n.taskId === id))
          .map((r) => r.seq),
      );
    const last = Math.max(...seen.map((n) => firstIn(n.taskId)));
    return mainRequests(mock).some((r) => r.seq > last && r.label === "main: status report");
  };
  const model = gsdModel({
    agentLatencyMs: 100,
    // 02-01 starts its work (and so completes) only after the other two were reported.
    beforeAgentStarts: (plan) => (plan === "02-01" ? until("02-02 and 02-03 to be reported", othersHandled, 180_000) : Promise.resolve()),
    overlooks: (n) => missed(n.summary),
  });
  const mock = await startMock(model, sb);
  const runs: RunResult[] = [];
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), timeoutMs: 300_000 });
  runs.push(run);
  const afterFirst = entriesByPlan(readHistory(sb));
  const firstSeq = mock.lastSeq;
  const follow = await runClaude(sb, { mock, args: gsdArgs("/gsd:status --wait"), timeoutMs: 300_000 });
  runs.push(follow);

  await explained(storyOf(mock, sb, runs), () => {
    for (const r of runs) expect({ timedOut: r.timedOut, code: r.code, isError: r.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    for (const r of runs) expect(realErrors(r.errors)).toEqual([]);
    // The notification arrived, and the turn it opened ran nothing.
    const lost = notifications(mock).filter((n) => missed(n.summary));
    expect(lost).toHaveLength(1);
    const turn = mainRequests(mock).filter((r) => r.seq <= firstSeq && new Conversation(r.body!).notifications.some((n) => n.taskId === lost[0]!.taskId));
    expect(turn.length).toBeGreaterThan(0);
    expect(turn.every((r) => (r.reply ?? []).every((b) => b.type === "text"))).toBe(true);
    // So the first run ended with 02-01 complete and its dependents never started.
    expect(afterFirst.get("02-01")?.status).toBe("completed");
    for (const plan of ["02-04", "02-05"])
      expect({ plan, spawned: afterFirst.get(plan)?.transitions.some((t) => t.to === "spawned") }).toEqual({ plan, spawned: false });

    // The next status (of /gsd:status --wait, a new session) started them, and the run finished.
    const waits = helperResults(mock, /status --wait --brief/)
      .map((x) => x.json)
      .filter((j): j is Json => j?.command === "status");
    expect((waits[0]!.spawn as Array<{ plan: string }>).map((s) => s.plan).sort()).toEqual(["02-04", "02-05"]);
    expect(waits[waits.length - 1]!.outcome).toBe("stopped");
    expect(waits[waits.length - 1]!.needsPerson).toEqual(["02-06"]);
    const by = entriesByPlan(readHistory(sb));
    for (const plan of PLANS) {
      expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "completed" });
      expect(existsSync(join(sb.project, PHASE, `${plan}-SUMMARY.md`))).toBe(true);
    }
    process.stderr.write(`${CLAUDE_VERSION} lost-notification: first run ${run.ms} ms, --wait ${follow.ms} ms\n`);
  });
}, 660_000);
