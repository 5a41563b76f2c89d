import { mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readHistoryText } from "../../lib/core/queue/history-migrate";
import type { History } from "../../lib/core/queue/history-schema";
import { run as runCli } from "../../lib/cli/program";
import { stateFailure } from "../../lib/cli/state-failure";
import { StateIoError, ioError } from "../../lib/shell/state-errors";
import { cli, makeTree, plan, removeTree } from "../helpers/tree";

/**
 * The queue bugs the single transaction fixed, each as the user meets it through the CLI.
 */
const P = ".planning/phases/01-core";
const T0 = Date.parse("2026-03-01T09:00:00.000Z");
const at = (m: number) => () => new Date(T0 + m * 60_000);
const file = (id: string) => `${P}/${id}-PLAN.md`;

function phase(n: number, extra: Record<string, string> = {}): string {
  const files: Record<string, string> = { ".planning/config.json": JSON.stringify({ mode: "yolo" }), ...extra };
  for (let i = 1; i <= n; i++) {
    const id = `01-${String(i).padStart(2, "0")}`;
    files[file(id)] = plan(`phase: 01-core\nplan: ${String(i).padStart(2, "0")}\ndepends_on: []\nfiles_modified:\n  - src/f${i}.ts`);
  }
  return makeTree(files);
}

function history(root: string): History {
  const r = readHistoryText(readFileSync(join(root, ".planning/agent-history.json"), "utf8"));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.history;
}

let root: string;
/** The CLI in the test's project. */
const run = (argv: string[], o: { now: () => Date; env?: NodeJS.ProcessEnv }) => cli([...argv, "--cwd", root], { now: o.now, env: o.env ?? {} });

async function json(argv: string[], now: () => Date, env: NodeJS.ProcessEnv = {}) {
  const r = await run([...argv, "--json"], { now, env });
  try {
    return { ...r, body: JSON.parse(r.out) };
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.out}\n${r.err}`);
  }
}

describe("queue bugs, fixed in the one transaction", () => {
  afterEach(() => removeTree(root));

  it("a whole-phase start after a single-plan run does not hand the running plan out again", async () => {
    root = phase(3);
    const one = await json(["start", file("01-01")], at(0));
    expect(one.body.spawn.map((s: { plan: string }) => s.plan)).toEqual(["01-01"]);
    expect((await run(["spawned", file("01-01"), "--agent-id", "a0101000000"], { now: at(1) })).code).toBe(0);
    const all = await json(["start"], at(2));
    expect(all.body.run.run_id).toBe(one.body.run.run_id);
    expect(all.body.run.scope).toBeUndefined();
    expect(all.body.spawn.map((s: { plan: string }) => s.plan).sort()).toEqual(["01-02", "01-03"]);
    const h = history(root);
    expect(h.runs).toHaveLength(1);
    expect(h.entries.filter((e) => e.plan === "01-01").map((e) => e.status)).toEqual(["spawned"]);
  });

  it("start --max-concurrent on an active run changes its cap", async () => {
    root = phase(6);
    const first = await json(["start"], at(0));
    expect(first.body.run.max_concurrent).toBe(3);
    expect(first.body.spawn).toHaveLength(3);
    const wider = await json(["start", "--max-concurrent", "5"], at(1));
    expect(wider.body.run.max_concurrent).toBe(5);
    expect(wider.body.spawn.map((s: { plan: string }) => s.plan).sort()).toEqual(["01-04", "01-05"]);
    expect(history(root).runs[0]?.max_concurrent).toBe(5);
  });

  it("retention never drops an entry of the active run: a failed plan of a 51-plan phase is not handed out again", async () => {
    root = phase(51);
    await json(["start", "--max-concurrent", "51"], at(0));
    for (let i = 2; i <= 51; i++) writeFileSync(join(root, P, `01-${String(i).padStart(2, "0")}-SUMMARY.md`), "---\nduration: 1min\n---\n");
    await run(["spawned", file("01-01"), "--agent-id", "a0101000000"], { now: at(1) });
    expect((await run(["fail", file("01-01"), "--reason", "tests failed"], { now: at(2) })).code).toBe(0);
    const st = await json(["status"], at(3));
    expect(st.body.spawn).toEqual([]);
    expect(st.body.outcome).toBe("stopped");
    const h = history(root);
    expect(h.entries.length).toBeGreaterThan(h.max_entries);
    expect(h.entries.filter((e) => e.plan === "01-01").map((e) => [e.status, e.attempt, e.error])).toEqual([["failed", 1, "tests failed"]]);
  });

  it("a second session's status leaves a live agent of the first running, and accepts its complete", async () => {
    root = phase(2);
    const s = await json(["start"], at(0), { CLAUDE_CODE_SESSION_ID: "window-1" });
    expect(s.body.spawn).toHaveLength(2);
    await run(["spawned", file("01-01"), "--agent-id", "a0101000000"], { now: at(1), env: { CLAUDE_CODE_SESSION_ID: "window-1" } });
    const other = await json(["status"], at(5), { CLAUDE_CODE_SESSION_ID: "window-2" });
    expect(other.body.plans.find((p: { id: string }) => p.id === "01-01").state).toBe("running");
    expect(other.body.changes).toEqual([]);
    expect((await run(["complete", file("01-01")], { now: at(6), env: { CLAUDE_CODE_SESSION_ID: "window-2" } })).code).toBe(0);
  });

  it("the dry run lists a checkpoint plan under needsForeground, not as queued", async () => {
    root = phase(1, { [file("01-02")]: plan("phase: 01-core\nplan: 02\nautonomous: false") });
    const dry = await json(["start", "--dry-run"], at(0));
    expect(dry.body.needsForeground).toEqual(["01-02"]);
    expect(dry.body.queued.map((q: { id: string }) => q.id)).toEqual([]);
  });

  it("status with no run exits 0 (nothing is in progress) and --peek says it changed nothing", async () => {
    root = phase(1);
    expect((await run(["status"], { now: at(0) })).code).toBe(0);
    await json(["start"], at(0));
    writeFileSync(join(root, P, "01-01-SUMMARY.md"), "---\nduration: 1min\n---\n");
    const peek = await run(["status", "--peek"], { now: at(1) });
    expect(peek.out).toContain("this look changed nothing");
    expect(peek.out).not.toContain("Changed just now");
    expect(history(root).entries[0]?.status).toBe("dispatched");
  });

  it("--brief is one line, exits 0 while work is in progress, and carries the spawn items", async () => {
    root = phase(4);
    const r = await run(["start", "--brief"], { now: at(0) });
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(1);
    const b = JSON.parse(r.out);
    expect(b.spawn).toHaveLength(3);
    expect(b.spawn[0]).toEqual({ plan: expect.any(String), key: expect.any(String), agentInput: expect.objectContaining({ run_in_background: true }) });
    const st = await run(["status", "--brief"], { now: at(1) });
    expect(st.code).toBe(0);
    expect(JSON.parse(st.out)).toMatchObject({ outcome: "in-progress", running: expect.any(Array), spawn: [] });
    const plain = await run(["status"], { now: at(1) });
    expect(plain.code).toBe(5);
  });
});

describe("state files the system will not let us use", () => {
  afterEach(() => removeTree(root));

  it("a lock directory with a modification time in the future is taken over, not waited on", async () => {
    root = phase(1);
    const lock = join(root, ".planning/agent-history.json.lock");
    mkdirSync(lock);
    const future = new Date(Date.now() + 24 * 3600_000);
    utimesSync(lock, future, future);
    const r = await run(["start"], { now: at(0) });
    expect(r.code).toBe(0);
  });

  it("a regular file where the lock belongs is reported with its own exit code, and nothing is written", async () => {
    root = phase(1);
    writeFileSync(join(root, ".planning/agent-history.json.lock"), "not a lock");
    const r = await run(["start"], { now: at(0) });
    expect(r.code).toBe(7);
    expect(r.err).toContain("agent-history.json.lock is not a lock directory");
    expect(() => readFileSync(join(root, ".planning/agent-history.json"))).toThrow();
  });

  it("a symlinked agent-history.json is refused, not written through", async () => {
    root = phase(1);
    writeFileSync(join(root, "elsewhere.json"), "{}");
    require("node:fs").symlinkSync(join(root, "elsewhere.json"), join(root, ".planning/agent-history.json"));
    const r = await run(["start"], { now: at(0) });
    expect(r.code).toBe(4);
    expect(r.err).toContain("symbolic link");
    expect(readFileSync(join(root, "elsewhere.json"), "utf8")).toBe("{}");
  });

  it("a state file the file system will not read is an environment failure (exit 6) naming the file, and nothing is changed", async () => {
    root = phase(1);
    // A directory where the history belongs: EISDIR, which no user (root included) can read past.
    mkdirSync(join(root, ".planning/agent-history.json"));
    const r = await run(["status"], { now: at(0) });
    expect(r.code).toBe(6);
    expect(r.err).toContain(".planning/agent-history.json: could not read it");
  });

  it.each([
    ["EACCES", "permission denied"],
    ["ENOSPC", "no space left on the device"],
    ["EROFS", "the file system is read-only"],
    ["ENOENT", "the file or its directory no longer exists"],
  ])("maps %s from the file system to a clear message", (code, words) => {
    const err = Object.assign(new Error("raw"), { code });
    const e = ioError(".planning/agent-history.json", err, "write");
    expect(e).toBeInstanceOf(StateIoError);
    expect(e.message).toBe(`.planning/agent-history.json: could not write it: ${words} (${code})`);
    expect(stateFailure(e)).toMatchObject({ kind: "environment" });
  });
});

describe("status --wait on a fake clock", () => {
  afterEach(() => removeTree(root));

  /** An Io whose clock only moves when the command waits, and whose waits are scripted. */
  function fakeIo(onWait: (n: number) => void) {
    let t = T0;
    let waits = 0;
    const out: string[] = [];
    const io = {
      cwd: root,
      env: {},
      isTTY: false,
      out: (s: string) => out.push(s),
      err: () => undefined,
      now: () => new Date(t),
      helper: ["node", "/opt/gsd-async/dist/cli.js"],
      readStdin: async () => "",
      waitForChange: async (_dirs: readonly string[], maxMs: number) => {
        waits++;
        t += maxMs;
        onWait(waits);
      },
    };
    return { io, out, waits: () => waits };
  }

  it("returns as soon as a running plan finishes, after the waits it took", async () => {
    root = phase(2);
    await json(["start", "--max-concurrent", "1"], () => new Date(T0));
    await run(["spawned", file("01-01"), "--agent-id", "a0101000000"], { now: () => new Date(T0) });
    const f = fakeIo((n) => {
      if (n === 3) writeFileSync(join(root, P, "01-01-SUMMARY.md"), "---\nduration: 1min\n---\n");
    });
    const code = await runCli(["status", "--wait", "--json", "--cwd", root], f.io);
    expect(f.waits()).toBe(3);
    const body = JSON.parse(f.out.join(""));
    expect(body.plans.map((p: { state: string }) => p.state)).toEqual(["completed", "starting"]);
    expect(body.spawn.map((s: { plan: string }) => s.plan)).toEqual(["01-02"]);
    expect(code).toBe(5);
  });

  it("gives up at --timeout on the fake clock, in waits of at most 15 s", async () => {
    root = phase(1);
    await json(["start"], () => new Date(T0));
    await run(["spawned", file("01-01"), "--agent-id", "a0101000000"], { now: () => new Date(T0) });
    const f = fakeIo(() => undefined);
    await runCli(["status", "--wait", "--timeout", "60", "--json", "--cwd", root], f.io);
    expect(f.waits()).toBe(4);
    expect(JSON.parse(f.out.join("")).plans[0].state).toBe("running");
  });
});

describe("hooks and crashes", () => {
  afterEach(() => removeTree(root));

  const preAgent = (agentInput: Record<string, unknown>, session = "sess-1") =>
    JSON.stringify({ session_id: session, cwd: root, hook_event_name: "PreToolUse", tool_name: "Agent", tool_input: agentInput });
  const postAgent = (agentInput: Record<string, unknown>, agentId: string) =>
    JSON.stringify({
      session_id: "sess-1",
      cwd: root,
      hook_event_name: "PostToolUse",
      tool_name: "Agent",
      tool_input: agentInput,
      tool_response: { agentId, outputFile: null },
    });
  const hook = (event: string, stdin: string, m = 1) => cli(["hook", event], { now: at(m), env: {}, stdin });

  it("the PreToolUse hook refuses a second Agent call for a plan that already has an agent, and never re-links it", async () => {
    root = phase(2);
    const s = await json(["start"], at(0));
    const [a, b] = s.body.spawn as { plan: string; agentInput: Record<string, unknown> }[];
    expect((await hook("pre-agent", preAgent(a!.agentInput))).out).toBe("");
    await hook("post-tool-use", postAgent(a!.agentInput, "a1111111111"));
    const again = await hook("pre-agent", preAgent(a!.agentInput, "sess-2"), 2);
    expect(again.code).toBe(0);
    const decision = JSON.parse(again.out).hookSpecificOutput;
    expect(decision).toMatchObject({ permissionDecision: "deny", permissionDecisionReason: expect.stringContaining("already has an agent (a1111111111)") });
    // A PostToolUse carrying this plan's markers but another agent id does not re-link it.
    await hook("post-tool-use", postAgent(a!.agentInput, "a2222222222"), 3);
    expect(history(root).entries.find((e) => e.plan === a!.plan)?.agent_id).toBe("a1111111111");
    // Unrelated agents get no answer at all.
    expect((await hook("pre-agent", preAgent({ description: "x", prompt: "do something" }))).out).toBe("");
    expect(b).toBeDefined();
  });

  it("an agent that stops before PostToolUse linked it is linked through its transcript's markers", async () => {
    root = phase(1);
    const s = await json(["start"], at(0));
    const sp = s.body.spawn[0] as { plan: string; agentInput: { prompt: string } };
    await hook("pre-agent", preAgent(sp.agentInput));
    const transcript = join(root, "agent-a3333.jsonl");
    writeFileSync(transcript, JSON.stringify({ type: "user", message: { role: "user", content: sp.agentInput.prompt } }) + "\n");
    writeFileSync(join(root, P, "01-01-SUMMARY.md"), "---\nduration: 1min\n---\n");
    const stop = JSON.stringify({
      session_id: "sess-1",
      cwd: root,
      hook_event_name: "SubagentStop",
      agent_id: "a3333333333",
      agent_transcript_path: transcript,
      last_assistant_message: "done",
    });
    await hook("subagent-stop", stop, 2);
    const e = history(root).entries[0]!;
    expect([e.status, e.agent_id]).toEqual(["completed", "a3333333333"]);
  });

  it("after a crash, one start interrupts the dead process's agents and retries them in the same call", async () => {
    root = phase(2);
    const s = await json(["start"], at(0));
    // The agents lived in a Claude Code process that is gone now (a pid that cannot exist).
    let n = 0;
    for (const sp of s.body.spawn as { agentInput: Record<string, unknown> }[]) {
      await hook("pre-agent", preAgent(sp.agentInput));
      await hook("post-tool-use", postAgent(sp.agentInput, `a${++n}000000000`));
    }
    const h0 = JSON.parse(readFileSync(join(root, ".planning/agent-history.json"), "utf8"));
    for (const e of h0.entries) e.agent_process = { pid: 2 ** 22 + 17, start: "gone", host: require("node:os").hostname() };
    writeFileSync(join(root, ".planning/agent-history.json"), JSON.stringify(h0, null, 2));
    const again = await json(["start"], at(5));
    expect(again.body.spawn.map((x: { plan: string; attempt: number }) => [x.plan, x.attempt])).toEqual([
      ["01-01", 2],
      ["01-02", 2],
    ]);
    const h = history(root);
    expect(h.entries.filter((e) => e.attempt === 1).map((e) => e.status)).toEqual(["interrupted", "interrupted"]);
  });
});
