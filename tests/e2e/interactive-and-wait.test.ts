import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  agentCalls,
  analyzeEdges,
  entriesByPlan,
  explained,
  helperResults,
  historyFile,
  mainRequests,
  orderViolations,
  peakConcurrency,
  readHistory,
  realErrors,
  setConfig,
  storyOf,
} from "./checks";
import { Conversation, resultText } from "./conversation";
import { gsdModel } from "./gsd-model";
import { CLAUDE_VERSION, type RunResult, cleanupAll, gsdArgs, makeSandbox, runClaude, startMock, stopRun } from "./harness";
import { waitStyle } from "../../lib/core/host/claude-version";

afterAll(() => cleanupAll());

const BATCH = ["02-01", "02-02", "02-03"];
const LATER = ["02-04", "02-05", "02-06"];

/**
 * Interactive mode, as far as `claude -p` allows, then `/gsd:status --wait` finishing a run:
 * 1. `/gsd:execute-phase-async 2` previews and asks before starting anything. In `-p` mode
 *    Claude Code 2.1.197 does not offer AskUserQuestion (even though the command's
 *    allowed-tools lists it); calling it returns "No such tool available", so the model asks
 *    in its reply and starts nothing.
 * 2. The user answers in the same conversation (`claude -p --continue "Proceed"`): the first
 *    batch starts, its agents write their summaries and report, and then the session is
 *    closed (killed) before it could act on their notifications, as when a terminal closes.
 * 3. A new session's `/gsd:status --wait` picks the run up, starts the dependents as they
 *    become ready and follows the run to the end. The copy's config also sets
 *    `skip_checkpoints: false`, so the checkpoint plan 02-06 runs in the background too.
 */
test("interactive mode asks before spawning; /gsd:status --wait drives the run to the end", async () => {
  const sb = makeSandbox("interactive");
  setConfig(sb, (c) => {
    c.mode = "interactive";
    (c.parallelization as Record<string, unknown>).skip_checkpoints = false;
  });
  // Agents of the first batch report `complete` and then hang on to their last reply until
  // the test lets them go, so their notifications never reach session 2 before it is closed.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  let holding = true;
  const mock = await startMock(gsdModel({ agentLatencyMs: 100, beforeAgentEnds: (plan) => (holding && BATCH.includes(plan) ? held : Promise.resolve()) }), sb);
  const runs: RunResult[] = [];
  const story = storyOf(mock, sb, runs);

  // 1. The question.
  const ask = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), timeoutMs: 90_000 });
  runs.push(ask);
  const afterAsk = mock.lastSeq;
  await explained(story, () => {
    expect({ timedOut: ask.timedOut, code: ask.code, isError: ask.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    expect(realErrors(ask.errors)).toEqual([]);
    const previews = helperResults(mock, /start --dry-run --brief -- '2'$/);
    expect(previews).toHaveLength(1);
    const preview = previews[0]!.json!;
    expect(preview).toMatchObject({ command: "start", dryRun: true, mode: "interactive", needsPerson: [] });
    expect((preview.spawn as Array<{ plan: string }>).map((s) => s.plan).sort()).toEqual(BATCH);
    expect((preview.waiting as Array<{ id: string }>).map((q) => q.id).sort()).toEqual(LATER);
    // The model asked, having seen the preview; -p mode does not offer AskUserQuestion.
    const asked = mainRequests(mock).filter((r) => r.reply?.some((b) => b.type === "tool_use" && b.name === "AskUserQuestion"));
    expect(asked).toHaveLength(1);
    const askedIn = new Conversation(asked[0]!.body!);
    expect(askedIn.answeredNow.map((c) => resultText(c))).toEqual([expect.stringContaining('"mode":"interactive"')]);
    expect(askedIn.toolNames).not.toContain("AskUserQuestion");
    expect(askedIn.toolNames).toEqual(expect.arrayContaining(["Agent", "Bash"]));
    const answer = mainRequests(mock)
      .flatMap((r) => new Conversation(r.body!).calls)
      .find((c) => c.use.name === "AskUserQuestion" && c.result);
    expect(answer?.result?.is_error).toBe(true);
    expect(resultText(answer!)).toContain("No such tool available: AskUserQuestion");
    // Nothing was started or recorded: not before the question, not after it.
    expect(agentCalls(mock)).toEqual([]);
    expect(helperResults(mock, /start --brief/).filter((x) => !/--dry-run/.test(x.command))).toEqual([]);
    expect(existsSync(historyFile(sb))).toBe(false);
    expect(ask.json?.result).toContain("nothing was started");
  });

  // 2. The answer, in the same conversation; closed once the first batch has reported.
  let poll: NodeJS.Timeout | undefined;
  let closedAfterBatch = false;
  const proceed = await runClaude(sb, {
    mock,
    args: gsdArgs("Proceed", "--continue"),
    timeoutMs: 90_000,
    onStart: (child) => {
      poll = setInterval(() => {
        const by = entriesByPlan(readHistory(sb));
        if (!closedAfterBatch && BATCH.every((p) => by.get(p)?.status === "completed")) {
          closedAfterBatch = true;
          clearInterval(poll);
          void stopRun(child);
        }
      }, 100);
    },
  });
  clearInterval(poll);
  runs.push(proceed);
  holding = false;
  release();
  const afterProceed = mock.lastSeq;
  await explained(story, () => {
    expect(closedAfterBatch).toBe(true);
    expect(proceed.timedOut).toBe(false);
    const continued = mock.messageRequests
      .filter((r) => r.seq > afterAsk)
      .map((r) => new Conversation(r.body!))
      .find((c) => c.command && /^\s*Proceed/m.test(c.newUserText));
    expect(continued).toBeDefined();
    expect(continued!.calls.some((c) => c.use.name === "AskUserQuestion")).toBe(true);
    expect(helperResults(mock, /start --brief -- '2'$/)).toHaveLength(1);
    expect(
      agentCalls(mock)
        .map((c) => c.plan)
        .sort(),
    ).toEqual(BATCH);
    const by = entriesByPlan(readHistory(sb));
    for (const plan of BATCH) expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "completed" });
    for (const plan of LATER)
      expect({ plan, status: by.get(plan)?.status, spawned: by.get(plan)?.transitions.some((t) => t.to === "spawned") }).toEqual({
        plan,
        status: "queued",
        spawned: false,
      });
  });

  // 3. A new session follows the run to the end.
  const wait = await runClaude(sb, { mock, args: gsdArgs("/gsd:status --wait"), timeoutMs: 150_000 });
  runs.push(wait);
  await explained(story, async () => {
    expect({ timedOut: wait.timedOut, code: wait.code, isError: wait.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    expect(realErrors(wait.errors)).toEqual([]);
    const waitRequests = mainRequests(mock).filter((r) => r.seq > afterProceed);
    expect(new Conversation(waitRequests[0]!.body!).command).toEqual({ name: "gsd:status", args: "--wait" });
    // The dependents were started by this session, from `status --wait` results.
    const later = agentCalls(mock).filter((c) => c.seq > afterProceed);
    expect(later.map((c) => c.plan).sort()).toEqual(LATER);
    for (const c of later) {
      const from = c.conv.answeredNow.filter((x) => /status --wait --brief/.test(String(x.use.input.command)));
      expect(from).toHaveLength(1);
      expect(resultText(from[0]!)).toContain(`"plan":"${c.plan}"`);
    }
    const cp = later.find((c) => c.plan === "02-06")!;
    expect(String(cp.use.input.prompt)).toContain("Its checkpoints need a person and nobody is watching");
    const waits = helperResults(mock, /status --wait --brief$/);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[waits.length - 1]!.json).toMatchObject({ command: "status", outcome: "done", progress: { done: 6, total: 6 } });
    expect(wait.json?.result).toContain("outcome: done");
    // How it waited: where Claude Code wakes a conversation up (2.1.332), no Bash call was held:
    // each unfinished answer asked for a wake-up, the model scheduled one and ended its turn, its
    // agents' notifications brought it back, and the finished run ended the pending wake-up.
    // Elsewhere (2.1.197) the helper blocked and no wake-up was asked for.
    const scheduled = waitRequests.flatMap((r) => (r.reply ?? []).filter((b) => b.type === "tool_use" && b.name === "ScheduleWakeup"));
    if (waitStyle(CLAUDE_VERSION, undefined) === "wake-up") {
      expect(waits.slice(0, -1).every((w) => w.json?.wakeUp !== undefined)).toBe(true);
      expect(waits[0]!.json?.wakeUp).toMatchObject({ delaySeconds: 1200, prompt: expect.stringContaining("status --wait --brief") });
      expect(scheduled.map((b) => (b.type === "tool_use" && b.input.stop === true ? "stop" : "wake"))).toEqual(["wake", "stop"]);
      expect(waits.every((w) => w.command.includes("--wait"))).toBe(true);
    } else {
      expect(waits.every((w) => w.json?.wakeUp === undefined)).toBe(true);
      expect(scheduled).toEqual([]);
    }

    const h = readHistory(sb)!;
    expect(h.runs).toHaveLength(1);
    expect(h.runs[0]).toMatchObject({ max_concurrent: 3, include_checkpoints: true });
    const by = entriesByPlan(h);
    for (const plan of [...BATCH, ...LATER]) {
      expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "completed" });
      expect(by.get(plan)?.agent_id).toMatch(/^a[0-9a-f]+$/);
      expect(existsSync(join(sb.project, ".planning/phases/02-core-features", `${plan}-SUMMARY.md`))).toBe(true);
    }
    expect(peakConcurrency(h.entries).peak).toBeLessThanOrEqual(3);
    expect(orderViolations(h.entries, await analyzeEdges(sb, "2"))).toEqual([]);
  });
}, 300_000);
