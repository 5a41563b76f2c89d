import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { explained, entriesByPlan, helperResults, mainRequests, readHistory, realErrors, setConfig, storyOf, analyzeEdges } from "./checks";
import { Conversation } from "./conversation";
import { gsdModel } from "./gsd-model";
import { agentOf } from "./limit-api";
import type { ScriptedModel } from "./mock-api";
import { CLAUDE_VERSION, type Sandbox, cleanupAll, findFiles, gsdArgs, helper, makeCorpusSandbox, runClaude, startMock } from "./harness";
import { CLEAN, cleanOutcome, phaseOutcome, phasePlans } from "./phase-checks";
import { describeCost, readingCost } from "./reading-cost";

afterAll(() => cleanupAll());

/**
 * The workflow engine on a real phase of the corpus: `parallelization.engine: workflow`, one
 * `/gsd:execute-phase-async <phase>`, the scripted model calls the Workflow tool with what the
 * helper hands out, and the workflow's agents (their prompts wrapped and indented by Claude Code)
 * run their plan and its `complete`. One plan fails: only the plans downstream of it are left; a
 * second run of the command hands the workflow only those and finishes the phase.
 */
const PHASE = { project: "Goom1000__Cue", dir: "23-the-chase", phase: "23" };
const CAP = 2;

/** Every plan downstream of `from`, transitively. */
function downstream(edges: Array<{ from: string; to: string; external: boolean }>, from: string): string[] {
  const out = new Set<string>();
  const walk = (id: string) => {
    for (const e of edges) if (!e.external && e.from === id && !out.has(e.to)) (out.add(e.to), walk(e.to));
  };
  walk(from);
  return [...out].sort();
}

/** Each workflow agent's start and end, by plan, from the workflow runs Claude Code saved (its progress records). */
function workflowSpans(sb: Sandbox): Record<string, { from: number; to: number }> {
  const out: Record<string, { from: number; to: number }> = {};
  for (const f of findFiles(join(sb.home, ".claude", "projects"), /^wf_.*\.json$/)) {
    const run = JSON.parse(readFileSync(f, "utf8")) as { workflowProgress?: Array<{ label?: string; startedAt?: number; durationMs?: number }> };
    for (const a of run.workflowProgress ?? []) {
      const plan = /^gsd-async (\S+)$/.exec(a.label ?? "")?.[1];
      if (plan && typeof a.startedAt === "number" && typeof a.durationMs === "number") out[plan] = { from: a.startedAt, to: a.startedAt + a.durationMs };
    }
  }
  return out;
}

/** The most spans open at one instant. */
function peakOf(spans: Array<{ from: number; to: number }>): number {
  return Math.max(0, ...spans.map((s) => spans.filter((o) => o.from <= s.from && s.from < o.to).length));
}

/**
 * The corpus phase set to the workflow engine at the cap, and the plan a test makes fail: the
 * first one some other plan depends on, but not all of them, with what it blocks.
 */
async function workflowPhase(name: string) {
  const sb = makeCorpusSandbox(name, PHASE);
  setConfig(sb, (c) => {
    const par = typeof c.parallelization === "object" && c.parallelization !== null ? (c.parallelization as Record<string, unknown>) : {};
    c.parallelization = { ...par, engine: "workflow", max_concurrent_agents: CAP };
    delete (c as { async?: unknown }).async;
  });
  const plans = await phasePlans(sb, PHASE.phase);
  const edges = await analyzeEdges(sb, PHASE.phase);
  const chosen = plans.autonomous.find((p) => {
    const d = downstream(edges, p);
    return d.length > 0 && d.length < plans.autonomous.length - 1;
  });
  expect(chosen).toBeDefined();
  return { sb, plans, edges, chosen: chosen!, blocked: downstream(edges, chosen!) };
}

test(`workflow engine on Claude Code ${CLAUDE_VERSION}: the phase runs as one workflow, a failure blocks only its dependents, a re-run finishes the rest`, async () => {
  const { sb, plans, edges, chosen: failing, blocked } = await workflowPhase("workflow");

  // One agent is held at its start while the test looks at the run from outside, as /gsd:status would.
  const held = plans.autonomous.find((p) => p !== failing && !blocked.includes(p))!;
  let reached: () => void = () => undefined;
  const atStart = new Promise<void>((r) => (reached = r));
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  const model = gsdModel({
    agentLatencyMs: 50,
    outcome: (p) => (p === failing ? "fail" : "complete"),
    beforeAgentStarts: async (p) => {
      if (p !== held) return;
      reached();
      await released;
    },
  });
  const mock = await startMock(model, sb);
  const running = runClaude(sb, { mock, args: gsdArgs(`/gsd:execute-phase-async ${PHASE.phase}`), timeoutMs: 240_000 });
  await atStart;
  const live = await helper(sb, ["status", "--json", PHASE.phase]);
  release();
  const first = await running;
  const firstRequests = mock.requests.length;
  process.stdout.write(`${describeCost(`workflow engine, Claude Code ${CLAUDE_VERSION}, first run`, readingCost(mock.requests), plans.autonomous.length)}\n`);
  await explained(storyOf(mock, sb, [first]), async () => {
    expect({ timedOut: first.timedOut, code: first.code }).toEqual({ timedOut: false, code: 0 });
    expect(realErrors(first.errors)).toEqual([]);
    // The model called Workflow once, by the plugin's name, with the helper's args.
    const workflowCalls = mainRequests(mock).flatMap((r) => (r.reply ?? []).filter((b) => b.type === "tool_use" && b.name === "Workflow"));
    expect(workflowCalls).toHaveLength(1);
    expect((workflowCalls[0] as unknown as { input: { name: string } }).input.name).toBe("gsd:run-phase");
    const by = entriesByPlan(readHistory(sb));
    const state = (ids: string[]) => Object.fromEntries(ids.map((p) => [p, by.get(p)?.status ?? "no entry"]));
    const others = plans.autonomous.filter((p) => p !== failing && !blocked.includes(p));
    expect(state(others)).toEqual(Object.fromEntries(others.map((p) => [p, "completed"])));
    expect(state([failing])).toEqual({ [failing]: "failed" });
    expect(state(blocked)).toEqual(Object.fromEntries(blocked.map((p) => [p, "blocked"])));
    const o = await phaseOutcome(sb, mock, PHASE.phase, plans);
    expect({ order: o.orderByHistory, orderRequests: o.orderByRequests, twice: o.runTwice, withinCap: o.peakRecorded <= CAP && o.peakLive <= CAP }).toEqual({
      order: [],
      orderRequests: [],
      twice: [],
      withinCap: true,
    });
    // While the workflow ran, status showed the held plan running as its workflow agent, and handed out no agent.
    const liveView = JSON.parse(live.stdout) as {
      spawn: unknown[];
      run: { engine?: string };
      plans: Array<{ id: string; state: string; agentId: string | null }>;
    };
    expect(liveView.spawn).toEqual([]);
    expect(liveView.run.engine).toBe("workflow");
    expect(liveView.plans.find((p) => p.id === held)).toMatchObject({ state: "running", agentId: expect.stringMatching(/^a[0-9a-f]+$/) });
    // The workflow's own record: every agent within the cap, none before its prerequisites ended.
    const spans = workflowSpans(sb);
    expect(Object.keys(spans).sort()).toEqual([...others, failing].sort());
    expect(peakOf(Object.values(spans))).toBeLessThanOrEqual(CAP);
    const early = edges.filter((e) => !e.external && spans[e.to] && spans[e.from] && spans[e.to]!.from < spans[e.from]!.to).map((e) => `${e.from} -> ${e.to}`);
    expect(early).toEqual([]);
    // The agents of the blocked plans never started.
    expect(
      readdirSync(join(sb.project, ".planning", "phases", PHASE.dir)).filter((f) => blocked.some((b) => f.startsWith(b) && f.endsWith("SUMMARY.md"))),
    ).toEqual([]);
  });

  // The re-run: the failing plan now succeeds; only what was left is handed to the new workflow.
  const mock2 = await startMock(gsdModel({ agentLatencyMs: 50 }), sb);
  const second = await runClaude(sb, { mock: mock2, args: gsdArgs(`/gsd:execute-phase-async ${PHASE.phase}`), timeoutMs: 240_000 });
  await explained(storyOf(mock2, sb, [second]), async () => {
    expect({ timedOut: second.timedOut, code: second.code }).toEqual({ timedOut: false, code: 0 });
    const wf = mainRequests(mock2).flatMap((r) => (r.reply ?? []).filter((b) => b.type === "tool_use" && b.name === "Workflow"));
    expect(wf).toHaveLength(1);
    const args = (wf[0] as unknown as { input: { args: { plans: Array<{ id: string }> } } }).input.args;
    expect(args.plans.map((p) => p.id).sort()).toEqual([failing, ...blocked].sort());
    expect(cleanOutcome(await phaseOutcome(sb, mock2, PHASE.phase, plans))).toEqual(CLEAN);
    // Main-thread requests of the first run, for the cost comparison.
    const main = mock.messageRequests.filter((r) => new Conversation(r.body!).command !== undefined).length;
    process.stdout.write(`workflow engine: first run ${main} main-thread requests of ${firstRequests} requests in all\n`);
  });
}, 600_000);

test(`/gsd:execute-phase-async --engine workflow on Claude Code ${CLAUDE_VERSION} without the Workflow tool: nothing starts, and the answer offers --engine agents`, async () => {
  // The config says agents (the default): the command's argument chooses the workflow engine.
  const sb = makeCorpusSandbox("workflow-missing", PHASE);
  const mock = await startMock(gsdModel({ agentLatencyMs: 50 }), sb);
  const run = await runClaude(sb, {
    mock,
    args: gsdArgs(`/gsd:execute-phase-async --engine workflow ${PHASE.phase}`, "--disallowedTools", "Workflow"),
    timeoutMs: 120_000,
  });
  await explained(storyOf(mock, sb, [run]), async () => {
    expect({ timedOut: run.timedOut, code: run.code }).toEqual({ timedOut: false, code: 0 });
    const main = mainRequests(mock);
    expect(new Conversation(main[0]!.body!).toolNames).not.toContain("Workflow");
    // The preview ran with the option before the `--`; no start, so nothing was recorded or claimed.
    const previews = helperResults(mock, /start --dry-run/);
    expect(previews.map((p) => p.command)).toEqual([expect.stringMatching(/start --dry-run --brief --engine workflow -- '23'$/)]);
    expect(previews[0]!.json).toMatchObject({ engine: "workflow", dryRun: true });
    expect(readHistory(sb)?.runs ?? []).toEqual([]);
    expect(String(run.json?.result ?? "")).toMatch(/no Workflow tool.*--engine agents/);
  });
}, 300_000);

test(`workflow engine on Claude Code ${CLAUDE_VERSION}: an agent that dies on an API error never reports; the status after the workflow's notification settles it from the workflow's result`, async () => {
  const { sb, plans, chosen: dying, blocked } = await workflowPhase("workflow-died");
  const base = gsdModel({ agentLatencyMs: 50 });
  const model: ScriptedModel = (body, seq) =>
    agentOf(body)?.plan === dying
      ? { content: [], error: { status: 400, type: "invalid_request_error", message: "mock: this request is refused" }, label: `agent ${dying}: API error` }
      : base(body, seq);
  const mock = await startMock(model, sb);
  const run = await runClaude(sb, { mock, args: gsdArgs(`/gsd:execute-phase-async ${PHASE.phase}`), timeoutMs: 240_000 });
  await explained(storyOf(mock, sb, [run]), async () => {
    expect({ timedOut: run.timedOut, code: run.code }).toEqual({ timedOut: false, code: 0 });
    const by = entriesByPlan(readHistory(sb));
    // Nobody recorded it: the agent never ran a command. The status after the notification read the result.
    expect(by.get(dying)).toMatchObject({ status: "failed", error: expect.stringMatching(/without a result|API error/) });
    expect(by.get(dying)!.transitions.map((t) => t.via)).toEqual(expect.arrayContaining(["fail"]));
    for (const b of blocked) expect(by.get(b)?.status).toBe("blocked");
    const others = plans.autonomous.filter((p) => p !== dying && !blocked.includes(p));
    for (const p of others) expect(by.get(p)?.status).toBe("completed");
    const statuses = helperResults(mock, /\sstatus --brief/);
    expect(statuses.at(-1)?.json).toMatchObject({ outcome: "stopped" });
  });
}, 300_000);
