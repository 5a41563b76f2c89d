import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  agentBashCalls,
  agentRequests,
  explained,
  storyOf,
  agentCalls,
  analyzeEdges,
  entriesByPlan,
  helperResults,
  hookLog,
  launchedAgentIds,
  mainRequests,
  orderViolations,
  peakConcurrency,
  readHistory,
  realErrors,
  spawnedAt,
} from "./checks";
import { Conversation, helperJson, resultText, systemText } from "./conversation";
import { gsdModel } from "./gsd-model";
import { PLUGIN_ROOT, cleanupAll, gsdArgs, helper, makeSandbox, runClaude, startMock } from "./harness";

afterAll(() => cleanupAll());

const PHASE_DIR = ".planning/phases/02-core-features";
const AUTONOMOUS = ["02-01", "02-02", "02-03", "02-04", "02-05"];

test("YOLO: /gsd:execute-phase-async 2 runs the phase with background agents, within the cap and in dependency order", async () => {
  const sb = makeSandbox("yolo");
  const mock = await startMock(gsdModel({ agentLatencyMs: 150 }), sb);
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), timeoutMs: 150_000 });
  await explained(storyOf(mock, sb, [run]), async () => {
    expect({ timedOut: run.timedOut, code: run.code, isError: run.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    expect(realErrors(run.errors)).toEqual([]);

    // The expanded command reached the model, with the plugin root and the protocol filled in.
    const main = mainRequests(mock);
    expect(main.length).toBeGreaterThan(0);
    const first = new Conversation(main[0]!.body!);
    expect(first.command).toEqual({ name: "gsd:execute-phase-async", args: "2" });
    expect(first.firstUserText).toContain(`node "${PLUGIN_ROOT}/dist/cli.js" start --dry-run --brief`);
    expect(JSON.stringify(first.messages)).toContain("# gsd-async: how to run a phase in the background");
    // Nothing the model reads before it acts holds a placeholder it could copy into a command
    // (2.1.332's Bash refuses `${NAME}`; 2.1.197's shell would expand it to nothing).
    expect(first.firstUserText).not.toMatch(/\$\{CLAUDE_[A-Z_]+\}/);
    const ran = main.flatMap((r) =>
      (r.reply ?? []).filter((b) => b.type === "tool_use" && b.name === "Bash").map((b) => String((b as { input: { command?: unknown } }).input.command)),
    );
    expect(ran.filter((c) => c.includes("${"))).toEqual([]);
    expect(first.toolNames).toEqual(expect.arrayContaining(["Agent", "Bash"]));

    // The helper ran: a preview, then one real start that queued the phase.
    const previews = helperResults(mock, /start --dry-run --brief/);
    expect(previews).toHaveLength(1);
    expect(previews[0]!.json).toMatchObject({ command: "start", dryRun: true, mode: "yolo" });
    const starts = helperResults(mock, /start --brief -- '2'$/);
    expect(starts).toHaveLength(1);
    const start = starts[0]!.json!;
    expect(start).toMatchObject({ command: "start", mode: "yolo", outcome: "in-progress" });
    const startSpawn = start.spawn as Array<{ plan: string; agentInput: Record<string, unknown> }>;
    // The three independent plans, in the helper's order (longest remaining path first).
    expect(startSpawn.map((s) => s.plan).sort()).toEqual(["02-01", "02-02", "02-03"]);

    // The spawn batch was started as background Agent calls, in one message, with exactly the
    // helper's inputs; nothing was started twice, and the checkpoint plan 02-06 never.
    const calls = agentCalls(mock);
    const firstBatch = calls.filter((c) => c.seq === calls[0]?.seq);
    expect(firstBatch.map((c) => c.use.input)).toEqual(startSpawn.map((s) => s.agentInput));
    expect(calls.every((c) => c.use.input.run_in_background === true)).toBe(true);
    expect(calls.map((c) => c.plan).sort()).toEqual(AUTONOMOUS);
    // Run from the plugin, the helper starts the plugin's executor agent, which Claude Code gives
    // its own instructions (the agent file's body) as the system prompt.
    expect(new Set(calls.map((c) => c.use.input.subagent_type))).toEqual(new Set(["gsd:gsd-executor"]));
    const agentSystems = agentRequests(mock).map((r) => systemText(r.body!));
    expect(agentSystems.length).toBeGreaterThan(0);
    expect(agentSystems.every((t) => t.includes("You carry out one GSD plan on your own"))).toBe(true);

    // The hooks recorded each agent's id (as Claude Code reported it) and output file.
    const ids = launchedAgentIds(mock);
    const h = readHistory(sb);
    expect(h).toBeDefined();
    expect(h!.runs).toHaveLength(1);
    const runEntries = h!.entries.filter((e) => e.run_id === h!.runs[0]!.run_id);
    const by = entriesByPlan(h);
    const log = hookLog(sb);
    for (const plan of AUTONOMOUS) {
      const e = by.get(plan);
      expect({ plan, agent: e?.agent_id }).toEqual({ plan, agent: ids.get(plan) });
      expect(e?.output_file).toEqual(expect.stringContaining(`${ids.get(plan)}.output`));
      expect(log).toContain(`hook post-tool-use: ${plan} spawned as agent ${ids.get(plan)}`);
      expect(e?.transitions.some((t) => t.to === "spawned")).toBe(true);
    }

    // The agents wrote their summaries and reported with `complete`.
    const agentBash = agentBashCalls(mock);
    for (const plan of AUTONOMOUS) {
      const summary = join(sb.project, PHASE_DIR, `${plan}-SUMMARY.md`);
      expect(existsSync(summary)).toBe(true);
      expect(readFileSync(summary, "utf8")).toMatch(/^duration: 1min$/m);
      // Its `complete` was accepted once (the first try chains it after the summary's heredoc).
      const done = agentBash.filter((b) => b.plan === plan && / complete /.test(b.command) && /: completed \(agent /.test(b.result));
      expect(done).toHaveLength(1);
      expect(done[0]!.result).toContain(`${plan}: completed (agent ${ids.get(plan)})`);
    }

    // Task notifications led to the dependents being started: each dependent's Agent call
    // answers a `status --brief` the model ran after a complete <task-notification> block.
    for (const plan of ["02-04", "02-05"]) {
      const call = calls.find((c) => c.plan === plan)!;
      expect(call.conv.notifications.length).toBeGreaterThan(0);
      const statusNow = call.conv.answeredNow.filter((c) => c.use.name === "Bash" && /status --brief/.test(String(c.use.input.command)));
      expect(statusNow).toHaveLength(1);
      const j = helperJson(resultText(statusNow[0]!));
      expect((j?.spawn as Array<{ plan: string }>).map((s) => s.plan)).toContain(plan);
      const ask = call.conv.calls.find((c) => c.use.id === statusNow[0]!.use.id)!;
      expect(call.conv.notifications.some((n) => n.at < ask.at)).toBe(true);
    }
    // The helper's own commands in those notification turns ran through the plugin's
    // PreToolUse hook (nothing else grants Bash there).
    expect(log).toContain(`hook pre-tool-use: allowed: node "${PLUGIN_ROOT}/dist/cli.js" status --brief`);
    expect(run.debugLog).toContain("Hook approved tool use for Bash");

    // At the end every autonomous plan is completed; 02-06 (a checkpoint plan, and the demo's
    // config skips checkpoints) needs the foreground and was never started.
    for (const plan of AUTONOMOUS) expect({ plan, status: by.get(plan)?.status }).toEqual({ plan, status: "completed" });
    const cp = by.get("02-06");
    expect(cp).toMatchObject({ status: "queued", execution_mode: "foreground", agent_id: null });
    expect(spawnedAt(cp!)).toBeUndefined();
    const peek = await helper(sb, ["status", "2", "--json", "--peek"]);
    const view = helperJson(peek.stdout)!;
    expect(view.needsForeground).toEqual(["02-06"]);
    expect(view.outcome).toBe("stopped");
    expect((view.plans as Array<{ id: string; state: string }>).map((p) => [p.id, p.state])).toEqual([
      ["02-01", "completed"],
      ["02-02", "completed"],
      ["02-03", "completed"],
      ["02-04", "completed"],
      ["02-05", "completed"],
      ["02-06", "needs-person"],
    ]);

    // The cap (3, from config.json) was never exceeded, by the recorded timestamps.
    expect(h!.runs[0]!.max_concurrent).toBe(3);
    const peak = peakConcurrency(runEntries);
    expect(peak.peak).toBeLessThanOrEqual(3);
    expect(peak.peak).toBeGreaterThanOrEqual(2);

    // Every dependency edge of the phase was respected.
    const edges = await analyzeEdges(sb, "2");
    expect(
      edges
        .filter((e) => !e.external)
        .map((e) => `${e.from}->${e.to}`)
        .sort(),
    ).toEqual(["02-01->02-04", "02-01->02-05", "02-01->02-06", "02-02->02-04", "02-02->02-05", "02-03->02-06"]);
    expect(orderViolations(runEntries, edges)).toEqual([]);

    // An agent writes its SUMMARY.md before it runs `complete`, and a `status` in between
    // records the plan as completed from that file (seen in these runs): a `complete` that
    // comes second must still succeed, or the agent is told its plan failed to record.
    const again = await helper(sb, ["complete", `${PHASE_DIR}/02-01-PLAN.md`, "--run", h!.runs[0]!.run_id]);
    expect({ code: again.code, out: again.stdout.trim(), err: again.stderr }).toEqual({
      code: 0,
      out: `02-01: completed (agent ${ids.get("02-01")})\nnote: 02-01 was already recorded as completed`,
      err: "",
    });
  });
}, 180_000);
