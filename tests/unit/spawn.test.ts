import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PLAN_MARKER, RUN_MARKER, type SpawnInput, buildSpawn, parseMarkers } from "../../lib/core/queue/spawn";
import { shellLine, shellQuote } from "../../lib/core/common/shell-quote";
import { parsePostToolUse, parseSubagentStop } from "../../lib/core/queue/hook-payload";
import { emptyHistory } from "../../lib/core/queue/history-schema";
import type { QueueFacts } from "../../lib/core/queue/queue-event";
import { queueStep } from "../../lib/core/queue/queue-step";
import { type Job, analysisOf, factsOf, queueOptions } from "../helpers/sched-fixtures";

const base: SpawnInput = {
  planId: "02-03",
  planFile: ".planning/phases/02-core/02-03-PLAN.md",
  summaryFile: ".planning/phases/02-core/02-03-SUMMARY.md",
  runId: "r20260301T090000-ab12",
  attempt: 1,
  projectRoot: "/work/project",
  helper: ["node", "/opt/gsd-async/dist/cli.js"],
  hasCheckpoints: false,
  agent: { kind: "general-purpose", instructionsFile: null },
};

/** The two command lines the agent is told to run at the end. */
function finishLines(prompt: string): { success: string; failure: string } {
  const success = /^ {2}done: {3}(.*)$/m.exec(prompt)?.[1];
  const failure = /^ {2}failed: (.*)$/m.exec(prompt)?.[1];
  if (success === undefined || failure === undefined) throw new Error(`no finish commands in prompt:\n${prompt}`);
  return { success, failure };
}

describe("Agent tool input", () => {
  it("is exactly {description, prompt, subagent_type, run_in_background: true}", () => {
    const s = buildSpawn(base);
    expect(Object.keys(s.agentInput).sort()).toEqual(["description", "prompt", "run_in_background", "subagent_type"]);
    expect(s.agentInput.run_in_background).toBe(true);
    expect(s.agentInput.subagent_type).toBe("general-purpose");
    expect(s.agentInput.description).toBe("gsd-async 02-03");
    expect(typeof s.agentInput.prompt).toBe("string");
    expect(s).toMatchObject({ plan: "02-03", planFile: base.planFile, runId: base.runId, attempt: 1, key: `${base.runId}/02-03#1` });
    // Survives JSON (the CLI prints it for the model to pass on verbatim).
    expect(JSON.parse(JSON.stringify(s.agentInput))).toEqual(s.agentInput);
  });

  it("uses the plugin's agent type when the run has one, and then leaves the fixed instructions to it", () => {
    const s = buildSpawn({ ...base, agent: { kind: "plugin-agent", subagentType: "gsd:gsd-executor" } });
    expect(s.agentInput.subagent_type).toBe("gsd:gsd-executor");
    expect(s.agentInput.prompt).not.toContain("git add -A");
    expect(s.agentInput.prompt).toContain("as your instructions say");
  });

  it("points a general-purpose agent at the instructions file when there is one, else spells the steps out", () => {
    const withFile = buildSpawn({ ...base, agent: { kind: "general-purpose", instructionsFile: "/opt/gsd/agents/gsd-executor.md" } }).agentInput.prompt;
    expect(withFile).toContain("First read /opt/gsd/agents/gsd-executor.md and follow it.");
    expect(withFile).not.toContain("git add -A");
    expect(buildSpawn(base).agentInput.prompt).toMatch(/never `git add -A`/);
    expect(withFile.length).toBeLessThan(buildSpawn(base).agentInput.prompt.length - 300);
  });

  it("tells the agent what differs per plan: markers, attempt, project, summary path, finish commands", () => {
    const { prompt } = buildSpawn({ ...base, attempt: 3 }).agentInput;
    expect(parseMarkers(prompt)).toEqual({ runId: base.runId, planFile: base.planFile, attempt: 3 });
    expect(prompt).toContain(`Summary to write: ${base.summaryFile}`);
    expect(prompt).toContain(`Project: ${base.projectRoot}`);
    const { success, failure } = finishLines(prompt);
    expect(success).toBe(`node /opt/gsd-async/dist/cli.js complete 02-03 --run ${base.runId}`);
    expect(failure).toBe(`node /opt/gsd-async/dist/cli.js fail 02-03 --run ${base.runId} --reason '<one line: what went wrong>'`);
  });

  it("adds the checkpoint note only to a plan with checkpoints", () => {
    expect(buildSpawn(base).agentInput.prompt).not.toContain("## Checkpoints for a person");
    expect(buildSpawn({ ...base, hasCheckpoints: true }).agentInput.prompt).toContain("## Checkpoints for a person");
  });
});

const awkward = [
  ".planning/phases/02-core/02-03-PLAN.md",
  ".planning/phases/02 my phase/02-03-PLAN.md",
  ".planning/phases/02-it's/02-03-PLAN.md",
  '.planning/phases/02-"quoted"/02-03-PLAN.md',
  ".planning/phases/02-$(touch SIDE-EFFECT-1)/02-03-PLAN.md",
  ".planning/phases/02-`touch SIDE-EFFECT-2`/02-03-PLAN.md",
  ".planning/phases/02-x; touch SIDE-EFFECT-3; echo/02-03-PLAN.md",
  ".planning/phases/02-a && touch SIDE-EFFECT-4 || x/02-03-PLAN.md",
  ".planning/phases/02-$HOME-${PATH}/02-03-PLAN.md",
  ".planning/phases/02 > SIDE-EFFECT-5 | cat/02-03-PLAN.md",
  ".planning/phases/02-*-?-[a]/02-03-PLAN.md",
  ".planning/phases/02-back\\slash/02-03-PLAN.md",
  ".planning/phases/~tilde #hash !bang/02-03-PLAN.md",
  "'.planning/phases/'\"'\"'mixed'/02-03-PLAN.md",
];

describe("markers", () => {
  it.each(awkward)("round-trip the run id and plan file %p through the prompt", (planFile) => {
    const { agentInput } = buildSpawn({ ...base, planFile });
    expect(parseMarkers(agentInput.prompt)).toEqual({ runId: base.runId, planFile, attempt: 1 });
  });

  it("are found anywhere in a longer prompt and absent from unrelated ones", () => {
    const text = `Some preamble\n${RUN_MARKER} r1\nmore\n${PLAN_MARKER} a/b-PLAN.md\ntrailer`;
    expect(parseMarkers(text)).toEqual({ runId: "r1", planFile: "a/b-PLAN.md" });
    expect(parseMarkers("SUBAGENT-TASK: compute 6*7")).toEqual({});
    // A marker must start its own line.
    expect(parseMarkers(`see ${RUN_MARKER} r1 and ${PLAN_MARKER} x`)).toEqual({});
  });
});

describe("shell quoting", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gsd-async-quote-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs a command line with /bin/sh in the temp dir and returns the lines it printed. */
  const sh = (line: string): string[] =>
    execFileSync("/bin/sh", ["-c", line], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/nonexistent-home" } })
      .split("\n")
      .slice(0, -1);

  it("leaves plain words alone and quotes everything else", () => {
    expect(shellQuote("abc-DEF_1.2/x:y=z@w%v+u,t")).toBe("abc-DEF_1.2/x:y=z@w%v+u,t");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it.each(awkward.map((p) => [p]))("finish commands for a plan in %p run nothing but the helper, with an awkward project root too", (planFile) => {
    const projectRoot = join(dir, "my project $(touch SIDE-EFFECT-ROOT)");
    // The helper is replaced by printf, which prints each argument on its own line.
    const { agentInput } = buildSpawn({ ...base, planFile, projectRoot, helper: ["printf", "%s\\n"] });
    const { success, failure } = finishLines(agentInput.prompt);
    expect(sh(success)).toEqual(["complete", "02-03", "--run", base.runId]);
    expect(sh(failure)).toEqual(["fail", "02-03", "--run", base.runId, "--reason", "<one line: what went wrong>"]);
    expect(agentInput.prompt).toContain(`Project: ${projectRoot}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("shellLine keeps every argument intact, including newlines, quotes and empty strings", () => {
    const args = [
      "",
      "two words",
      "new\nline",
      "tab\there",
      "'",
      "''",
      '"',
      "\\",
      "$(touch SIDE-EFFECT-6)",
      "`touch SIDE-EFFECT-7`",
      "a;b",
      "-n",
      "--",
      "*",
      "ümlaut ✓",
    ];
    expect(sh(shellLine(["printf", "%s\\n", ...args])).join("\n")).toBe(args.join("\n"));
    expect(readdirSync(dir)).toEqual([]);
  });

  it("the side-effect check itself can fail: an unquoted command substitution does create the file", () => {
    sh("printf '%s\\n' $(touch SIDE-EFFECT-CONTROL)");
    expect(readdirSync(dir)).toEqual(["SIDE-EFFECT-CONTROL"]);
  });
});

describe("hook payloads", () => {
  const prompt = buildSpawn(base).agentInput.prompt;
  const post = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      session_id: "sess-1",
      cwd: "/work/project",
      hook_event_name: "PostToolUse",
      tool_name: "Agent",
      tool_input: { description: "gsd-async 02-03", prompt, subagent_type: "general-purpose", run_in_background: true },
      tool_response: {
        isAsync: true,
        status: "async_launched",
        agentId: "a0f1e2d3c4b5a6978",
        outputFile: "/tmp/claude-0/proj/sess-1/tasks/a0f1e2d3c4b5a6978.output",
      },
      tool_use_id: "toolu_test0001",
      ...over,
    });

  it("links an Agent (or Task) call to its plan", () => {
    const expected = {
      kind: "spawned",
      runId: base.runId,
      planFile: base.planFile,
      agentId: "a0f1e2d3c4b5a6978",
      outputFile: "/tmp/claude-0/proj/sess-1/tasks/a0f1e2d3c4b5a6978.output",
      sessionId: "sess-1",
      cwd: "/work/project",
    };
    expect(parsePostToolUse(post())).toEqual(expected);
    expect(parsePostToolUse(post({ tool_name: "Task" }))).toEqual(expected);
  });

  it("ignores other tools, other agents, missing agent ids and junk", () => {
    expect(parsePostToolUse(post({ tool_name: "Bash", tool_input: { command: "ls" } })).kind).toBe("unrelated");
    expect(parsePostToolUse(post({ tool_input: { prompt: "SUBAGENT-TASK: compute 6*7", run_in_background: true } }))).toEqual({
      kind: "unrelated",
      why: "an agent not started by gsd-async",
    });
    expect(parsePostToolUse(post({ tool_response: { status: "error" } }))).toEqual({ kind: "unrelated", why: "no agentId in tool_response" });
    for (const junk of ["", "not json", "[]", "null", '{"tool_name": 5}']) expect(parsePostToolUse(junk).kind).toBe("unrelated");
  });

  it("reads SubagentStop", () => {
    const text = JSON.stringify({
      session_id: "sess-1",
      cwd: "/w",
      hook_event_name: "SubagentStop",
      agent_id: "a0f1e2d3c4b5a6978",
      agent_type: "general-purpose",
      last_assistant_message: "done",
    });
    expect(parseSubagentStop(text)).toEqual({
      kind: "stopped",
      agentId: "a0f1e2d3c4b5a6978",
      lastMessage: "done",
      transcript: null,
      sessionId: "sess-1",
      cwd: "/w",
    });
    expect(parseSubagentStop("{}").kind).toBe("unrelated");
  });

  it("an empty agent_id names no agent: the stop is unrelated", () => {
    const text = JSON.stringify({ hook_event_name: "SubagentStop", session_id: "sess-1", agent_id: "", last_assistant_message: "done" });
    expect(parseSubagentStop(text)).toEqual({ kind: "unrelated", why: "not a SubagentStop payload" });
  });
});

describe("status says what the run's agents are started as", () => {
  const jobs: Job[] = [{ id: "01-01", minutes: 5, deps: [] }];
  const two: Job[] = [
    { id: "01-01", minutes: 5, deps: [] },
    { id: "01-02", minutes: 5, deps: [] },
  ];
  const FILE = "/opt/gsd/agents/gsd-executor.md";
  const PLUGIN: QueueFacts["agent"] = { preferred: "gsd:gsd-executor", instructionsFile: FILE };
  const factsWith = (agent: QueueFacts["agent"], minute: number, js = jobs) => ({ ...factsOf(analysisOf(js, new Set()), queueOptions(minute)), agent });
  const advanced = (r: ReturnType<typeof queueStep>) => {
    if (r.outcome.kind !== "advanced") throw new Error(`expected a view, got ${r.outcome.kind}`);
    return { state: r.state, view: r.outcome.view };
  };
  const startWith = (agent: QueueFacts["agent"], js = jobs) =>
    advanced(queueStep({ history: emptyHistory(), ledger: null }, factsWith(agent, 0, js), { kind: "start", options: { newRunId: "r1" } }));

  it("the plugin's agent type, with its own instructions, and it is remembered by the run", () => {
    const r = startWith(PLUGIN);
    expect(r.view.agents).toEqual({ subagentType: "gsd:gsd-executor", instructions: "agent-definition", file: null });
    expect(r.view.spawn[0]?.agentInput.subagent_type).toBe("gsd:gsd-executor");
    expect(r.view.spawn[0]?.agentInput.prompt).toContain("as your instructions say");
    // A later status from a helper that would prefer another type still hands out the run's type.
    const later = advanced(queueStep(r.state, factsWith({ preferred: "general-purpose", instructionsFile: null }, 1), { kind: "status" }));
    expect(later.view.agents?.subagentType).toBe("gsd:gsd-executor");
  });

  it("general-purpose, told to read the plugin's agent file, or with everything in the prompt", () => {
    const file = startWith({ preferred: "general-purpose", instructionsFile: FILE });
    expect(file.view.agents).toEqual({ subagentType: "general-purpose", instructions: "file", file: FILE });
    expect(file.view.spawn[0]?.agentInput.prompt).toContain(`First read ${FILE}`);
    const inline = startWith({ preferred: "general-purpose", instructionsFile: null });
    expect(inline.view.agents).toEqual({ subagentType: "general-purpose", instructions: "prompt", file: null });
  });

  it("an explicit type on start wins over the preferred one", () => {
    const r = startWith({ ...PLUGIN, requested: "general-purpose" });
    expect(r.view.agents).toEqual({ subagentType: "general-purpose", instructions: "file", file: FILE });
    expect(r.state.history.runs[0]?.agent_type).toBe("general-purpose");
  });

  it("a refused plugin type falls back: --agent-type general-purpose hands out again, at once, what no agent took", () => {
    const r = startWith(PLUGIN, two);
    expect(r.view.spawn.map((x) => x.plan)).toEqual(["01-01", "01-02"]);
    // The Agent calls were claimed by the PreToolUse hook (01-01) or not even that (01-02); neither got an agent.
    const claimed = queueStep(r.state, factsWith(PLUGIN, 1, two), { kind: "hook-pre-agent", runId: "r1", planFile: r.view.spawn[0]!.planFile });
    expect(claimed.outcome.kind).toBe("recorded");
    // Within the lease a plain status offers nothing new for the claimed plan.
    const plain = advanced(queueStep(claimed.state, factsWith(PLUGIN, 1, two), { kind: "status" }));
    expect(plain.view.spawn.map((x) => x.plan)).not.toContain("01-01");

    const back = advanced(queueStep(claimed.state, factsWith({ ...PLUGIN, requested: "general-purpose" }, 1, two), { kind: "status" }));
    expect(back.view.spawn.map((x) => [x.plan, x.agentInput.subagent_type])).toEqual([
      ["01-01", "general-purpose"],
      ["01-02", "general-purpose"],
    ]);
    expect(back.view.spawn[0]?.agentInput.prompt).toContain(`First read ${FILE}`);
    expect(back.view.agents).toEqual({ subagentType: "general-purpose", instructions: "file", file: FILE });
    const relaunched = back.state.history.entries.find((e) => e.plan === "01-01")!;
    expect(relaunched.transitions.map((t) => t.to)).toEqual(["queued", "dispatched", "spawned", "queued", "dispatched"]);
    expect(relaunched.attempt).toBe(1);
    // The run keeps the fallback: a later status with the plugin preferred still hands out general-purpose.
    const later = advanced(queueStep(back.state, factsWith(PLUGIN, 5, two), { kind: "status" }));
    expect(later.view.agents?.subagentType).toBe("general-purpose");
  });

  it("the fallback leaves another session's claims alone: its Agent call may be in flight", () => {
    const r = startWith(PLUGIN);
    const other = { ...factsWith(PLUGIN, 1), sessionId: "other-window" };
    const claimed = queueStep(r.state, other, { kind: "hook-pre-agent", runId: "r1", planFile: r.view.spawn[0]!.planFile });
    expect(claimed.outcome.kind).toBe("recorded");
    const mine = { ...factsWith({ ...PLUGIN, requested: "general-purpose" }, 1), sessionId: "this-window" };
    const back = advanced(queueStep(claimed.state, mine, { kind: "status" }));
    expect(back.view.spawn).toEqual([]);
    expect(back.state.history.entries[0]?.status).toBe("spawned");
    expect(back.state.history.runs[0]?.agent_type).toBe("general-purpose");
  });

  it("the same type asked again changes nothing: a linked agent is never handed out twice", () => {
    const r = startWith(PLUGIN);
    const claimed = queueStep(r.state, factsWith(PLUGIN, 1), { kind: "hook-pre-agent", runId: "r1", planFile: r.view.spawn[0]!.planFile });
    const same = advanced(queueStep(claimed.state, factsWith({ ...PLUGIN, requested: "gsd:gsd-executor" }, 1), { kind: "status" }));
    expect(same.view.spawn).toEqual([]);
    expect(same.state.history.entries[0]?.status).toBe("spawned");
  });
});
