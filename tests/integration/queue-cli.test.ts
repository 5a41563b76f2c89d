import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readHistoryText } from "../../lib/core/queue/history-migrate";
import type { History, HistoryEntry } from "../../lib/core/queue/history-schema";
import { buildSpawn } from "../../lib/core/queue/spawn";
import { TEST_HELPER, cli, makeTree, plan, removeTree } from "../helpers/tree";
import { spawn } from "node:child_process";
import { run } from "../../lib/cli/program";

const P = ".planning/phases/01-core";
const HISTORY = ".planning/agent-history.json";
const T0 = Date.parse("2026-03-01T09:00:00.000Z");
/** A fixed fake clock, `m` minutes after T0. */
const at = (m: number) => () => new Date(T0 + m * 60_000);

/**
 * 01-01 and 01-02 are independent; 01-03 needs 01-01, 01-04 needs 01-02. At most 2 at once.
 */
function tree(extra: Record<string, string> = {}): string {
  return makeTree({
    ".planning/STATE.md": "# State\n\n## Current Position\n\nPhase: 1 of 1 (Core)\n",
    ".planning/config.json": JSON.stringify({ mode: "yolo", parallelization: { max_concurrent_agents: 2 } }),
    [`${P}/01-01-PLAN.md`]: plan("phase: 01-core\nplan: 01\ndepends_on: []\nfiles_modified:\n  - src/a.ts"),
    [`${P}/01-02-PLAN.md`]: plan("phase: 01-core\nplan: 02\ndepends_on: []\nfiles_modified:\n  - src/b.ts"),
    [`${P}/01-03-PLAN.md`]: plan('phase: 01-core\nplan: 03\ndepends_on: ["01-01"]\nfiles_modified:\n  - src/c.ts'),
    [`${P}/01-04-PLAN.md`]: plan('phase: 01-core\nplan: 04\ndepends_on: ["01-02"]\nfiles_modified:\n  - src/d.ts'),
    ...extra,
  });
}

const file = (id: string) => `${P}/${id}-PLAN.md`;
const summary = (root: string, id: string, minutes = 7) =>
  writeFileSync(join(root, P, `${id}-SUMMARY.md`), `---\nduration: ${minutes}min\n---\n# ${id} done\n`);
const historyText = (root: string) => readFileSync(join(root, HISTORY), "utf8");
function history(root: string): History {
  const r = readHistoryText(historyText(root));
  if (!r.ok) throw new Error(`invalid history: ${JSON.stringify(r.problems)}`);
  return r.history;
}
const entryOf = (root: string, id: string) => {
  const all = history(root).entries.filter((e) => e.plan === id);
  return all[all.length - 1] as HistoryEntry;
};

async function json(argv: string[], opts: Parameters<typeof cli>[1] = {}) {
  const r = await cli([...argv, "--json"], opts);
  let body: any;
  try {
    body = JSON.parse(r.out);
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.out}\n${r.err}`);
  }
  return { ...r, body };
}

/** The PostToolUse payload Claude Code sends after an Agent call made from a spawn instruction. */
function postToolUse(root: string, agentInput: Record<string, unknown>, agentId: string, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    session_id: "sess-test",
    transcript_path: "/tmp/transcript.jsonl",
    cwd: root,
    permission_mode: "default",
    hook_event_name: "PostToolUse",
    tool_name: "Agent",
    tool_input: agentInput,
    tool_response: {
      isAsync: true,
      status: "async_launched",
      agentId,
      description: agentInput.description,
      prompt: agentInput.prompt,
      outputFile: `/tmp/claude-0/proj/sess-test/tasks/${agentId}.output`,
      canReadOutputFile: true,
    },
    tool_use_id: `toolu_${agentId}`,
    duration_ms: 4,
    ...over,
  });
}

function subagentStop(root: string, agentId: string, last: string): string {
  return JSON.stringify({
    session_id: "sess-test",
    cwd: root,
    hook_event_name: "SubagentStop",
    stop_hook_active: false,
    agent_id: agentId,
    agent_type: "general-purpose",
    last_assistant_message: last,
  });
}

/** start, then record both first agents through the PostToolUse hook. */
async function startAndSpawn(root: string, now = at(0)) {
  const s = await json(["start", "--cwd", root], { now });
  expect(s.code).toBe(0);
  const agents: Record<string, string> = {};
  for (const sp of s.body.spawn) {
    const id = `a${sp.plan.replace("-", "")}00000000`;
    agents[sp.plan] = id;
    const h = await cli(["hook", "post-tool-use"], { stdin: postToolUse(root, sp.agentInput, id), now });
    expect(h.code).toBe(0);
  }
  return { start: s.body, agents };
}

describe("start", () => {
  let root: string;
  beforeEach(() => {
    root = tree({ [`${P}/01-05-PLAN.md`]: plan("phase: 01-core\nplan: 05\ndepends_on: []\nautonomous: false\nfiles_modified:\n  - src/e.ts") });
  });
  afterEach(() => removeTree(root));

  it("--json returns {run, spawn, queued, needsForeground} with the exact Agent inputs", async () => {
    const r = await json(["start", "--cwd", root], { now: at(0) });
    expect(r.code).toBe(0);
    const { run, spawn, queued, needsForeground } = r.body;
    expect(run).toMatchObject({
      phase_dir: P,
      max_concurrent: 2,
      strategy: "critical-path",
      include_checkpoints: false,
      started_at: new Date(T0).toISOString(),
    });
    expect(run.run_id).toMatch(/^r20260301T090000-[0-9a-f]{4}$/);
    expect(spawn.map((s: { plan: string }) => s.plan).sort()).toEqual(["01-01", "01-02"]);
    for (const s of spawn) {
      const expected = buildSpawn({
        planId: s.plan,
        planFile: file(s.plan),
        summaryFile: `${P}/${s.plan}-SUMMARY.md`,
        runId: run.run_id,
        attempt: 1,
        projectRoot: root,
        helper: TEST_HELPER,
        hasCheckpoints: false,
        agent: { kind: "general-purpose", instructionsFile: null },
      });
      expect(s).toEqual(expected);
      expect(Object.keys(s.agentInput).sort()).toEqual(["description", "prompt", "run_in_background", "subagent_type"]);
      expect(s.agentInput.run_in_background).toBe(true);
    }
    expect(queued).toEqual([
      { id: "01-03", waitsFor: ["01-01"], position: 1 },
      { id: "01-04", waitsFor: ["01-02"], position: 2 },
    ]);
    expect(needsForeground).toEqual(["01-05"]);
    // Recorded: one queued entry per plan, the checkpoint plan as foreground.
    const h = history(root);
    expect(h.runs.map((x) => x.run_id)).toEqual([run.run_id]);
    expect(h.entries.map((e) => [e.plan, e.status, e.execution_mode])).toEqual([
      ["01-01", "dispatched", "background"],
      ["01-02", "dispatched", "background"],
      ["01-03", "queued", "background"],
      ["01-04", "queued", "background"],
      ["01-05", "queued", "foreground"],
    ]);
  });

  it("--dry-run records nothing", async () => {
    const r = await json(["start", "--dry-run", "--cwd", root], { now: at(0) });
    expect(r.code).toBe(0);
    expect(r.body.dryRun).toBe(true);
    expect(r.body.spawn).toHaveLength(2);
    expect(existsSync(join(root, HISTORY))).toBe(false);
  });

  it("--max-concurrent and --strategy are used by the run", async () => {
    const r = await json(["start", "--max-concurrent", "1", "--strategy", "fifo", "--cwd", root], { now: at(0) });
    expect(r.body.run).toMatchObject({ max_concurrent: 1, strategy: "fifo" });
    expect(r.body.spawn.map((s: { plan: string }) => s.plan)).toEqual(["01-01"]);
  });

  it("running start again resumes the same run: no new entries, no second spawn while the lease holds", async () => {
    const first = await json(["start", "--cwd", root], { now: at(0) });
    const before = history(root);
    const again = await json(["start", "--cwd", root], { now: at(1) });
    expect(again.code).toBe(0);
    expect(again.body.run.run_id).toBe(first.body.run.run_id);
    expect(again.body.spawn).toEqual([]);
    const after = history(root);
    expect(after.runs).toHaveLength(1);
    expect(after.entries.map((e) => `${e.plan}#${e.attempt}`)).toEqual(before.entries.map((e) => `${e.plan}#${e.attempt}`));
    // No agent showed up within the lease: the same plans are handed out again, still one entry each.
    const late = await json(["start", "--cwd", root], { now: at(10) });
    expect(late.body.run.run_id).toBe(first.body.run.run_id);
    expect(late.body.spawn.map((s: { plan: string; attempt: number }) => [s.plan, s.attempt]).sort()).toEqual([
      ["01-01", 1],
      ["01-02", 1],
    ]);
    expect(history(root).entries).toHaveLength(5);
  });

  it("a hand-out nobody acted on is offered again, with the same key, to whoever asks next once its lease is over", async () => {
    const env = { CLAUDE_CODE_SESSION_ID: "session-A" };
    const first = await json(["start", "--cwd", root], { now: at(0), env });
    expect(first.body.spawn.length).toBeGreaterThan(0);
    // Within the lease (no hook has reported yet, so nothing guards a second agent): not offered again.
    const soon = await json(["status", "--cwd", root], { now: at(1), env });
    expect(soon.body.spawn).toEqual([]);
    const starting = soon.body.plans.filter((p: { state: string }) => p.state === "starting");
    expect(starting.map((p: { handedOutAt: string }) => p.handedOutAt)).toEqual(starting.map(() => new Date(T0).toISOString()));
    // After it, the same session (the model lost the answer) gets the same hand-outs again.
    const again = await json(["status", "--cwd", root], { now: at(30), env });
    const keys = (r: { body: { spawn: { key: string }[] } }) => r.body.spawn.map((x) => x.key).sort();
    expect(keys(again)).toEqual(keys(first));
    // And so does another session later on: never a new attempt, never more than the cap.
    const other = await json(["status", "--cwd", root], { now: at(40), env: { CLAUDE_CODE_SESSION_ID: "session-B" } });
    expect(keys(other)).toEqual(keys(first));
    expect(history(root).entries.every((e) => e.attempt === 1)).toBe(true);
  });

  it("refuses a phase with a dependency cycle and records nothing", async () => {
    const bad = tree({
      [`${P}/01-01-PLAN.md`]: plan('phase: 01-core\nplan: 01\ndepends_on: ["01-02"]'),
      [`${P}/01-02-PLAN.md`]: plan('phase: 01-core\nplan: 02\ndepends_on: ["01-01"]'),
    });
    try {
      const r = await json(["start", "--cwd", bad], { now: at(0) });
      expect(r.code).toBe(1);
      expect(r.body.refused).toBe(true);
      expect(JSON.stringify(r.body.diagnostics)).toContain("cycle");
      expect(existsSync(join(bad, HISTORY))).toBe(false);
    } finally {
      removeTree(bad);
    }
  });
});

describe("recording agents and outcomes", () => {
  let root: string;
  beforeEach(() => {
    root = tree();
  });
  afterEach(() => removeTree(root));

  it("hook post-tool-use records the agent id and output file (spawned)", async () => {
    const s = await json(["start", "--cwd", root], { now: at(0) });
    const sp = s.body.spawn.find((x: { plan: string }) => x.plan === "01-01");
    const h = await cli(["hook", "post-tool-use"], { stdin: postToolUse(root, sp.agentInput, "a0123456789abcdef"), now: at(1) });
    expect(h.code).toBe(0);
    expect(h.out).toBe("");
    const e = entryOf(root, "01-01");
    expect(e).toMatchObject({
      status: "spawned",
      background_status: "running",
      agent_id: "a0123456789abcdef",
      output_file: "/tmp/claude-0/proj/sess-test/tasks/a0123456789abcdef.output",
      session_id: "sess-test",
      dispatched_at: null,
    });
    expect(e.transitions.map((t) => t.to)).toEqual(["queued", "dispatched", "spawned"]);
    // The Task alias works the same way.
    const sp2 = s.body.spawn.find((x: { plan: string }) => x.plan === "01-02");
    await cli(["hook", "post-tool-use"], { stdin: postToolUse(root, sp2.agentInput, "afedcba9876543210", { tool_name: "Task" }), now: at(1) });
    expect(entryOf(root, "01-02")).toMatchObject({ status: "spawned", agent_id: "afedcba9876543210" });
    // status by agent id
    const one = await json(["status", "a0123456789abcdef", "--cwd", root], { now: at(2) });
    expect(one.body.agent).toMatchObject({ id: "01-01", state: "running", agentId: "a0123456789abcdef" });
  });

  it("the spawned command records an agent too", async () => {
    await json(["start", "--cwd", root], { now: at(0) });
    const r = await cli(["spawned", file("01-02"), "--agent-id", "a42", "--output-file", "/tmp/x.output", "--cwd", root], { now: at(1) });
    expect(r.code).toBe(0);
    expect(entryOf(root, "01-02")).toMatchObject({ status: "spawned", agent_id: "a42", output_file: "/tmp/x.output" });
  });

  it("unrelated or bad hook input exits 0 and changes nothing", async () => {
    const s = await json(["start", "--cwd", root], { now: at(0) });
    const sp = s.body.spawn[0];
    const bytes = historyText(root);
    const inputs: Array<[string, string]> = [
      ["post-tool-use", ""],
      ["post-tool-use", "not json at all {"],
      ["post-tool-use", "[1,2,3]"],
      [
        "post-tool-use",
        JSON.stringify({ hook_event_name: "PostToolUse", tool_name: "Bash", tool_input: { command: "ls" }, tool_response: { stdout: "" }, cwd: root }),
      ],
      [
        "post-tool-use",
        postToolUse(
          root,
          { description: "Background lab task", prompt: "SUBAGENT-TASK: compute 6*7", subagent_type: "general-purpose", run_in_background: true },
          "a1111111111111111",
        ),
      ],
      ["post-tool-use", postToolUse(root, sp.agentInput, "a2222222222222222", { tool_response: { status: "error" } })],
      [
        "post-tool-use",
        postToolUse(root, { ...sp.agentInput, prompt: sp.agentInput.prompt.replace(/gsd-async-run: \S+/, "gsd-async-run: r-unknown") }, "a3333333333333333"),
      ],
      ["subagent-stop", subagentStop(root, "a9999999999999999", "I am someone else's agent")],
      ["subagent-stop", "{}"],
      ["no-such-event", "{}"],
    ];
    for (const [event, stdin] of inputs) {
      const r = await cli(["hook", event], { stdin, now: at(1), cwd: root });
      expect({ event, stdin: stdin.slice(0, 60), code: r.code, out: r.out }).toEqual({ event, stdin: stdin.slice(0, 60), code: 0, out: "" });
      expect(r.err).toMatch(/hook/);
      expect(historyText(root)).toBe(bytes);
    }
  });

  it("a hook in a project without a queue does nothing", async () => {
    const s = await json(["start", "--dry-run", "--cwd", root], { now: at(0) });
    const r = await cli(["hook", "post-tool-use"], { stdin: postToolUse(root, s.body.spawn[0].agentInput, "a0123456789abcdef"), now: at(1) });
    expect(r.code).toBe(0);
    expect(existsSync(join(root, HISTORY))).toBe(false);
  });

  it("complete warns when SUMMARY.md is missing; a queued plan whose SUMMARY.md appears is completed by status", async () => {
    await startAndSpawn(root);
    const r = await json(["complete", file("01-01"), "--cwd", root], { now: at(5) });
    expect(r.code).toBe(0);
    expect(r.body.entry).toMatchObject({
      plan: "01-01",
      status: "completed",
      background_status: "completed",
      completion_timestamp: new Date(T0 + 5 * 60_000).toISOString(),
    });
    expect(r.body.warning).toContain(`${P}/01-01-SUMMARY.md does not exist`);
    const text = await cli(["complete", "01-02", "--cwd", root], { now: at(6) });
    expect(text.out).toMatch(/warning: .*01-02-SUMMARY\.md does not exist/);
    summary(root, "01-03");
    const st = await json(["status", "--cwd", root], { now: at(7) });
    const sp3 = st.body.spawn.find((x: { plan: string }) => x.plan === "01-03");
    // 01-03's SUMMARY.md exists already, so status completes it itself instead of spawning it.
    expect(sp3).toBeUndefined();
    expect(entryOf(root, "01-03").status).toBe("completed");
  });

  it("complete after status already completed the plan from its SUMMARY.md succeeds and changes nothing", async () => {
    await startAndSpawn(root);
    summary(root, "01-01");
    await json(["status", "--cwd", root], { now: at(4) });
    expect(entryOf(root, "01-01").status).toBe("completed");
    const before = readFileSync(join(root, ".planning/agent-history.json"), "utf8");
    const r = await json(["complete", file("01-01"), "--cwd", root], { now: at(5) });
    expect(r.code).toBe(0);
    expect(r.body.entry.status).toBe("completed");
    expect(readFileSync(join(root, ".planning/agent-history.json"), "utf8")).toBe(before);
  });

  it("complete with the SUMMARY.md present has no warning", async () => {
    await startAndSpawn(root);
    summary(root, "01-01");
    const r = await json(["complete", file("01-01"), "--cwd", root], { now: at(5) });
    expect(r.code).toBe(0);
    expect(r.body.warning).toBeNull();
  });

  it("fail --reason blocks the dependents; unrelated plans are still spawned on the next status", async () => {
    await startAndSpawn(root);
    const f = await json(["fail", file("01-01"), "--reason", "tests failed: 3 of 40", "--cwd", root], { now: at(5) });
    expect(f.code).toBe(0);
    expect(f.body.entry).toMatchObject({ status: "failed", background_status: "failed", error: "tests failed: 3 of 40" });
    const st = await json(["status", "--cwd", root], { now: at(6) });
    expect(st.code).toBe(5);
    const state = Object.fromEntries(st.body.plans.map((p: { id: string; state: string }) => [p.id, p.state]));
    expect(state).toEqual({ "01-01": "failed", "01-02": "running", "01-03": "blocked", "01-04": "waiting" });
    expect(st.body.plans.find((p: { id: string }) => p.id === "01-03").blockedBy).toEqual(["01-01"]);
    expect(entryOf(root, "01-03")).toMatchObject({ status: "blocked", background_status: "blocked", blocked_by: ["01-01"] });
    expect(st.body.spawn).toEqual([]);
    // The unrelated branch goes on.
    summary(root, "01-02");
    await cli(["complete", file("01-02"), "--cwd", root], { now: at(8) });
    const next = await json(["status", "--cwd", root], { now: at(9) });
    expect(next.body.spawn.map((s: { plan: string }) => s.plan)).toEqual(["01-04"]);
    expect(next.code).toBe(5);
  });

  it("hook subagent-stop completes the plan when its SUMMARY.md exists and fails it otherwise", async () => {
    const { agents } = await startAndSpawn(root);
    summary(root, "01-01");
    const a = await cli(["hook", "subagent-stop"], { stdin: subagentStop(root, agents["01-01"] as string, "All tasks done."), now: at(5) });
    expect(a.code).toBe(0);
    expect(entryOf(root, "01-01")).toMatchObject({ status: "completed", background_status: "completed" });
    const b = await cli(["hook", "subagent-stop"], { stdin: subagentStop(root, agents["01-02"] as string, "I could not\nfinish the migration."), now: at(6) });
    expect(b.code).toBe(0);
    const e2 = entryOf(root, "01-02");
    expect(e2.status).toBe("failed");
    expect(e2.error).toContain("01-02-SUMMARY.md");
    expect(e2.error).toContain("I could not finish the migration.");
    // A second stop for the same agent changes nothing.
    const bytes = historyText(root);
    await cli(["hook", "subagent-stop"], { stdin: subagentStop(root, agents["01-02"] as string, "again"), now: at(7) });
    expect(historyText(root)).toBe(bytes);
  });

  it("illegal transitions exit 1 with a message and change nothing", async () => {
    await startAndSpawn(root);
    summary(root, "01-01");
    await cli(["complete", file("01-01"), "--cwd", root], { now: at(5) });
    const bytes = historyText(root);
    const cases: Array<[string[], RegExp]> = [
      [["fail", file("01-01"), "--reason", "late"], /cannot fail 01-01: it is completed \(already finished\)/],
      [["spawned", file("01-01"), "--agent-id", "a77"], /01-01 is completed, not queued or spawned/],
      [["fail", file("01-03"), "--reason", "never ran"], /cannot fail 01-03: it is queued/],
      [["complete", `${P}/01-09-PLAN.md`], /no entry for .*01-09-PLAN\.md/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli([...argv, "--cwd", root], { now: at(6) });
      expect({ argv, code: r.code }).toEqual({ argv, code: 1 });
      expect(r.err).toMatch(message);
      expect(historyText(root)).toBe(bytes);
    }
    // Completing a completed plan again is not an error (a status may have seen its SUMMARY.md first).
    const again = await cli(["complete", file("01-01"), "--cwd", root], { now: at(6) });
    expect(again.code).toBe(0);
    expect(historyText(root)).toBe(bytes);
  });
});

describe("status", () => {
  let root: string;
  beforeEach(() => {
    root = tree();
  });
  afterEach(() => removeTree(root));

  it("--json reports progress, states, waits and queue positions", async () => {
    const idle = await json(["status", "--cwd", root], { now: at(0) });
    expect(idle.body.outcome).toBe("idle");
    expect(idle.body.run).toBeNull();
    expect(idle.body.plans.map((p: { state: string }) => p.state)).toEqual(["not-started", "not-started", "not-started", "not-started"]);
    // Nothing is queued by looking.
    if (existsSync(join(root, HISTORY))) expect(history(root).entries).toEqual([]);

    await json(["start", "--max-concurrent", "1", "--cwd", root], { now: at(0) });
    const st = await json(["status", "--cwd", root], { now: at(1) });
    expect(st.code).toBe(5);
    expect(st.body.progress).toEqual({ done: 0, total: 4, percent: 0 });
    const view = st.body.plans.map((p: any) => ({ id: p.id, state: p.state, waitsFor: p.waitsFor, queuePosition: p.queuePosition }));
    expect(view).toEqual([
      { id: "01-01", state: "starting", waitsFor: [], queuePosition: null },
      { id: "01-02", state: "queued", waitsFor: [], queuePosition: 1 },
      // Equal estimates: waiting plans are queued in plan order behind the ready one.
      { id: "01-03", state: "waiting", waitsFor: ["01-01"], queuePosition: 2 },
      { id: "01-04", state: "waiting", waitsFor: ["01-02"], queuePosition: 3 },
    ]);
    expect(st.body.outcome).toBe("in-progress");
  });

  it("exit codes: 5 while work remains, 1 when stopped, 0 when done", async () => {
    await startAndSpawn(root);
    expect((await cli(["status", "--cwd", root], { now: at(1) })).code).toBe(5);
    // 01-01 fails: 01-03 is blocked, but 01-02 still runs.
    await cli(["fail", file("01-01"), "--reason", "broken", "--cwd", root], { now: at(2) });
    expect((await cli(["status", "--cwd", root], { now: at(3) })).code).toBe(5);
    // The other branch finishes: only failed and blocked plans remain.
    summary(root, "01-02");
    summary(root, "01-04");
    const stopped = await json(["status", "--cwd", root], { now: at(4) });
    expect(stopped.body.outcome).toBe("stopped");
    expect(stopped.code).toBe(1);
    expect(stopped.body.progress).toEqual({ done: 2, total: 4, percent: 50 });
    // The user fixes it by hand: both summaries appear; everything is done.
    summary(root, "01-01");
    summary(root, "01-03");
    const done = await json(["status", "--cwd", root], { now: at(5) });
    expect(done.body.outcome).toBe("done");
    expect(done.body.progress).toEqual({ done: 4, total: 4, percent: 100 });
    expect(done.code).toBe(0);
  });

  it("a second start retries the failed plan as attempt 2 and unblocks its dependent", async () => {
    const { start } = await startAndSpawn(root);
    await cli(["fail", file("01-01"), "--reason", "broken", "--cwd", root], { now: at(2) });
    await cli(["status", "--cwd", root], { now: at(3) });
    expect(entryOf(root, "01-03").status).toBe("blocked");
    const again = await json(["start", "--cwd", root], { now: at(4) });
    expect(again.body.run.run_id).toBe(start.run.run_id);
    expect(again.body.spawn.map((s: { plan: string; attempt: number }) => [s.plan, s.attempt])).toEqual([["01-01", 2]]);
    expect(entryOf(root, "01-01")).toMatchObject({ status: "dispatched", attempt: 2, error: null });
    expect(entryOf(root, "01-03").status).toBe("queued");
    const keys = history(root).entries.map((e) => `${e.plan}#${e.attempt}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(["01-01#1", "01-01#2", "01-02#1", "01-03#1", "01-04#1"]);
  });

  it("--wait returns when a running plan's SUMMARY.md appears", async () => {
    await startAndSpawn(root, () => new Date());
    // The summary is written while status waits; only the returned state is checked.
    const writer = setTimeout(() => summary(root, "01-01"), 150);
    try {
      const r = await json(["status", "--wait", "--timeout", "1", "--cwd", root]);
      const state = Object.fromEntries(r.body.plans.map((p: { id: string; state: string }) => [p.id, p.state]));
      expect(state["01-01"]).toBe("completed");
      expect(r.body.spawn.map((s: { plan: string }) => s.plan)).toEqual(["01-03"]);
      expect(r.code).toBe(5);
    } finally {
      clearTimeout(writer);
    }
  });

  it("--wait stops, recording nothing more, once the Claude Code process that asked for it has ended", async () => {
    await startAndSpawn(root, () => new Date());
    const before = readFileSync(join(root, ".planning", "agent-history.json"), "utf8");
    // A stand-in for the Claude Code window: the wait's caller, closed while the wait is held.
    const window = spawn("sleep", ["60"], { stdio: "ignore" });
    await new Promise((r) => window.once("spawn", r));
    let err = "";
    let out = "";
    const waiting = run(["status", "--wait", "--timeout", "60", "--json", "--cwd", root], {
      cwd: root,
      env: { CLAUDECODE: "1" },
      isTTY: false,
      out: (t) => (out += t),
      err: (t) => (err += t),
      now: () => new Date(),
      helper: TEST_HELPER,
      readStdin: async () => "",
      ppid: window.pid!,
    });
    setTimeout(() => window.kill("SIGKILL"), 300);
    const code = await waiting;
    expect({ code, out }).toEqual({ code: 0, out: "" });
    expect(err).toContain("the Claude Code process that asked for this wait has ended; stopped waiting");
    // Its first look was the only one: the queue is as that look left it (nothing handed out again for a closed window).
    expect(readFileSync(join(root, ".planning", "agent-history.json"), "utf8")).toBe(before);
  });

  it("--wait gives up at the timeout and reports the plans still running", async () => {
    await startAndSpawn(root, () => new Date());
    const r = await json(["status", "--wait", "--timeout", "1", "--cwd", root]);
    expect(r.code).toBe(5);
    const state = Object.fromEntries(r.body.plans.map((p: { id: string; state: string }) => [p.id, p.state]));
    expect(state).toEqual({ "01-01": "running", "01-02": "running", "01-03": "waiting", "01-04": "waiting" });
    expect(r.body.spawn).toEqual([]);
  });

  it("--wait returns at once when there is nothing running", async () => {
    const r = await json(["status", "--wait", "--timeout", "30", "--cwd", root]);
    expect(r.body.outcome).toBe("idle");
  });
});

describe("unusable agent-history.json", () => {
  let root: string;
  let valid: string;
  beforeAll(async () => {
    const r = tree();
    await startAndSpawn(r);
    valid = historyText(r);
    removeTree(r);
  });
  beforeEach(() => {
    root = tree();
  });
  afterEach(() => removeTree(root));

  const edit = (text: string, fn: (h: any) => void) => {
    const h = JSON.parse(text);
    fn(h);
    return JSON.stringify(h, null, 2) + "\n";
  };
  const broken: Array<[string, () => string, RegExp]> = [
    ["corrupt", () => "{ this is : not json ]\n", /not valid JSON/],
    ["truncated", () => valid.slice(0, Math.floor(valid.length / 2)), /not valid JSON/],
    ["empty", () => "", /not valid JSON/],
    ["wrong version", () => edit(valid, (h) => (h.version = "7.0")), /version: unsupported version '7\.0'/],
    ["hand-edited status", () => edit(valid, (h) => (h.entries[1].status = "finished")), /entries\.1\.status/],
    ["hand-edited attempt", () => edit(valid, (h) => (h.entries[0].attempt = -1)), /entries\.0\.attempt/],
    ["hand-edited runs", () => edit(valid, (h) => (h.runs = "r1")), /runs/],
  ];
  const commands: string[][] = [
    ["start"],
    ["status"],
    ["status", "--wait", "--timeout", "1"],
    ["complete", file("01-01")],
    ["fail", file("01-01"), "--reason", "x"],
    ["spawned", file("01-01"), "--agent-id", "a5"],
  ];

  it.each(broken)("%s: every command exits 4 with a clear message and leaves the file byte-for-byte", async (_what, make, problem) => {
    const text = make();
    writeFileSync(join(root, HISTORY), text);
    for (const argv of commands) {
      const r = await cli([...argv, "--cwd", root], { now: at(1) });
      expect({ argv, code: r.code }).toEqual({ argv, code: 4 });
      expect(r.err).toContain(".planning/agent-history.json is not a valid gsd-async history");
      expect(r.err).toMatch(problem);
      expect(r.err).toContain("gsd-async repair");
      expect(historyText(root)).toBe(text);
    }
    // Hooks never fail loudly, and do not touch the file either.
    const h = await cli(["hook", "subagent-stop"], { stdin: subagentStop(root, "a0100000000", "done"), cwd: root, now: at(1) });
    expect(h.code).toBe(0);
    expect(historyText(root)).toBe(text);
    // Nothing else was created next to it (no backup, no stray lock or temp file).
    expect(readdirSync(join(root, ".planning")).sort()).toEqual(["STATE.md", "agent-history.json", "config.json", "phases"]);
  });

  it.each(broken)("%s: repair backs the file up and rebuilds a valid one", async (_what, make) => {
    const text = make();
    writeFileSync(join(root, HISTORY), text);
    const r = await json(["repair", "--cwd", root], { now: at(2) });
    expect(r.code).toBe(0);
    expect(r.body.repaired).toBe(true);
    const backups = readdirSync(join(root, ".planning")).filter((n) => n.endsWith(".bak"));
    expect(backups).toHaveLength(1);
    expect(`.planning/${backups[0]}`).toBe(r.body.backup);
    expect(readFileSync(join(root, r.body.backup), "utf8")).toBe(text);
    const rebuilt = readHistoryText(historyText(root));
    expect(rebuilt.ok).toBe(true);
    // Commands work again.
    expect((await cli(["start", "--cwd", root], { now: at(3) })).code).toBe(0);
  });

  it("repair keeps the entries that still validate", async () => {
    writeFileSync(
      join(root, HISTORY),
      edit(valid, (h) => (h.entries[1].status = "finished")),
    );
    const r = await json(["repair", "--cwd", root], { now: at(2) });
    expect(r.body.kept).toBe(3);
    expect(r.body.dropped.map((d: { index: number }) => d.index)).toEqual([1]);
    expect(history(root).entries.map((e) => e.plan)).toEqual(["01-01", "01-03", "01-04"]);
  });

  it("repair leaves a valid file alone", async () => {
    writeFileSync(join(root, HISTORY), valid);
    const r = await json(["repair", "--cwd", root], { now: at(2) });
    expect(r.body).toMatchObject({ repaired: false, reason: "valid" });
    expect(historyText(root)).toBe(valid);
    expect(readdirSync(join(root, ".planning")).filter((n) => n.endsWith(".bak"))).toEqual([]);
  });

  it("a version 1.0 file is read and migrated on the next write", async () => {
    const v1 = JSON.stringify({
      version: "1.0",
      max_entries: 50,
      entries: [
        {
          agent_id: "agent-1",
          task_description: "old work",
          phase: "09",
          plan: "01",
          timestamp: "2025-01-01T00:00:00Z",
          status: "completed",
          background_status: "completed",
          legacy_note: "keep",
        },
      ],
    });
    writeFileSync(join(root, HISTORY), v1);
    const r = await json(["start", "--cwd", root], { now: at(0) });
    expect(r.code).toBe(0);
    const h = history(root);
    expect(h.version).toBe("2.1");
    expect(h.entries[0]).toMatchObject({ task_description: "old work", status: "completed", run_id: "legacy", legacy_note: "keep" });
    expect(h.entries).toHaveLength(5);
  });
});

describe("simulate", () => {
  let root: string;
  beforeEach(() => {
    root = tree();
    summary(root, "01-01", 12);
    summary(root, "01-03", 4);
  });
  afterEach(() => removeTree(root));

  it("--json reports makespans that relate as they must, and each plan's duration source", async () => {
    for (const cap of ["1", "2", "3"]) {
      const r = await json(["simulate", "--max-concurrent", cap, "--cwd", root]);
      expect(r.code).toBe(0);
      const m = r.body.makespan;
      expect(Object.keys(m).sort()).toEqual(["lowerBound", "scheduler", "sequential", "waveBarrier"]);
      for (const v of Object.values(m)) expect(typeof v).toBe("number");
      expect(m.sequential).toBeGreaterThanOrEqual(m.scheduler);
      expect(m.scheduler).toBeGreaterThanOrEqual(m.lowerBound);
      expect(m.waveBarrier).toBeGreaterThanOrEqual(m.lowerBound);
      expect(r.body.maxConcurrent).toBe(Number(cap));
      const plans = Object.fromEntries(r.body.plans.map((p: { id: string; durationMinutes: number; source: string }) => [p.id, p]));
      expect(plans["01-01"]).toMatchObject({ durationMinutes: 12, source: "summary" });
      expect(plans["01-03"]).toMatchObject({ durationMinutes: 4, source: "summary" });
      expect(plans["01-02"].source).toBe("estimate");
      expect(plans["01-02"].durationMinutes).toBeGreaterThan(0);
      const total = r.body.plans.reduce((s: number, p: { durationMinutes: number }) => s + p.durationMinutes, 0);
      expect(m.sequential).toBeCloseTo(total, 1);
      if (cap === "1") expect(m.scheduler).toBeCloseTo(m.sequential, 1);
    }
  });

  it("replays from scratch: completed plans and the queue do not change the result", async () => {
    const before = (await json(["simulate", "--cwd", root])).body.makespan;
    await startAndSpawn(root);
    expect((await json(["simulate", "--cwd", root])).body.makespan).toEqual(before);
  });

  it("--format mermaid prints a Mermaid gantt", async () => {
    const r = await cli(["simulate", "--format", "mermaid", "--cwd", root]);
    expect(r.code).toBe(0);
    expect(r.out.startsWith("gantt\n")).toBe(true);
    for (const id of ["01-01", "01-02", "01-03", "01-04"]) expect(r.out).toContain(id);
  });
});
