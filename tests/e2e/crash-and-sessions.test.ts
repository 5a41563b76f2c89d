import type { ChildProcess } from "node:child_process";
import { entriesByPlan, explained, readHistory, storyOf } from "./checks";
import { gsdModel } from "./gsd-model";
import { type RunResult, type Sandbox, cleanupAll, crashRun, gsdArgs, makeCorpusSandbox, runClaude, startMock } from "./harness";
import type { MockApi } from "./mock-api";
import { CLEAN, cleanOutcome, phaseOutcome, phasePlans } from "./phase-checks";
import { agentSpans, sessionOf } from "./timeline";

afterAll(() => cleanupAll());

/**
 * The run survives what users do: Claude Code killed mid-run (SIGKILL: no hook, no goodbye),
 * then one more command; and two windows working on the same phase at once. The phase is a
 * real one (Goom1000__Cue phase 23: 8 plans, 5 waves).
 */
const PHASE = { project: "Goom1000__Cue", dir: "23-the-chase" };
const FIRST = "23-01";

/** A model whose agents for plans after the first wait at their start while `holding`. */
function heldModel() {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const state = { holding: true, held: 0 };
  const hold = (plan: string) => {
    if (!state.holding || plan === FIRST) return Promise.resolve();
    state.held++;
    return gate;
  };
  const model = gsdModel({ agentLatencyMs: 50, beforeAgentStarts: hold });
  return {
    model,
    /** Agents waiting at their start (their requests are not in the mock's log until answered). */
    held: () => state.held,
    release: () => {
      state.holding = false;
      release();
    },
  };
}

/** SIGKILLs the run once the first plan completed and agents of the next wave are recorded and at work. */
function crashMidRun(sb: Sandbox, held: () => number, killed: { at?: number }): (child: ChildProcess) => void {
  return (child) => {
    const poll = setInterval(() => {
      const by = entriesByPlan(readHistory(sb));
      const linked = [...by.values()].filter((e) => e.plan !== FIRST && e.status === "spawned");
      if (by.get(FIRST)?.status === "completed" && held() > 0 && linked.length > 0) {
        clearInterval(poll);
        killed.at = Date.now();
        crashRun(child);
      }
    }, 50);
    child.on("close", () => {
      clearInterval(poll);
      // The boundary is when the killed process was gone, not when the signal was sent: a request it
      // sent just before the kill can reach the mock a few milliseconds after the signal.
      if (killed.at !== undefined) killed.at = Date.now();
    });
  };
}

async function crashThen(after: (sb: Sandbox, mock: MockApi) => Promise<RunResult>, name: string): Promise<void> {
  const sb = makeCorpusSandbox(name, PHASE);
  const plans = await phasePlans(sb, "23");
  const held = heldModel();
  const mock = await startMock(held.model, sb);
  const runs: RunResult[] = [];
  const killed: { at?: number } = {};
  runs.push(await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 23"), timeoutMs: 60_000, onStart: crashMidRun(sb, held.held, killed) }));
  held.release();
  const before = entriesByPlan(readHistory(sb));
  runs.push(await after(sb, mock));
  await explained(storyOf(mock, sb, runs), async () => {
    expect({ killed: killed.at !== undefined, signal: runs[0]!.signal ?? (runs[0]!.code === 137 ? "SIGKILL" : runs[0]!.code) }).toEqual({
      killed: true,
      signal: "SIGKILL",
    });
    // At the kill, the next wave had been handed out and was not finished.
    expect([...before.values()].filter((e) => e.plan !== FIRST && e.status === "spawned").length).toBeGreaterThan(0);
    expect({ timedOut: runs[1]!.timedOut, code: runs[1]!.code }).toEqual({ timedOut: false, code: 0 });
    expect(cleanOutcome(await phaseOutcome(sb, mock, "23", plans, killed.at))).toEqual(CLEAN);
  });
}

test("SIGKILL of Claude Code mid-run, then one /gsd:execute-phase-async finishes the phase", async () => {
  await crashThen((sb, mock) => runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 23"), timeoutMs: 150_000 }), "crash-start");
}, 300_000);

test('SIGKILL of Claude Code mid-run, then claude --continue "/gsd:status --wait" finishes the phase', async () => {
  await crashThen((sb, mock) => runClaude(sb, { mock, args: gsdArgs("/gsd:status --wait", "--continue"), timeoutMs: 150_000 }), "crash-continue");
}, 300_000);

test("two sessions at once on one phase: never more live agents than the cap, no plan run twice, every complete accepted", async () => {
  const sb = makeCorpusSandbox("two-sessions", PHASE);
  const plans = await phasePlans(sb, "23");
  const mock = await startMock(gsdModel({ agentLatencyMs: 100 }), sb);
  const runs: RunResult[] = [];
  // The second window opens once the first has its first agent at work.
  let second: Promise<RunResult> | undefined;
  const first = runClaude(sb, {
    mock,
    args: gsdArgs("/gsd:execute-phase-async 23"),
    timeoutMs: 240_000,
    onStart: (child) => {
      const poll = setInterval(() => {
        if (agentSpans(mock.requests).length > 0) {
          clearInterval(poll);
          second = runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 23"), timeoutMs: 240_000 });
        }
      }, 50);
      child.on("close", () => clearInterval(poll));
    },
  });
  runs.push(await first);
  if (second) runs.push(await second);
  await explained(storyOf(mock, sb, runs), async () => {
    expect(runs).toHaveLength(2);
    for (const r of runs) expect({ timedOut: r.timedOut, code: r.code }).toEqual({ timedOut: false, code: 0 });
    const sessions = new Set(mock.messageRequests.map((r) => sessionOf(r)));
    expect(sessions.size).toBe(2);
    expect(cleanOutcome(await phaseOutcome(sb, mock, "23", plans))).toEqual(CLEAN);
  });
}, 300_000);
