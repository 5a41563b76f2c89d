import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readHistoryText } from "../../lib/core/queue/history-migrate";
import { emptyHistory } from "../../lib/core/queue/history-schema";
import { makeTree, removeTree } from "../helpers/tree";

/**
 * Real processes writing one agent-history.json through the built library (dist/index.js):
 * the inter-process lock, the atomic write and the stale-lock takeover are what is tested.
 */
const DIST = join(__dirname, "..", "..", "dist", "index.js");
const WORKER = join(__dirname, "..", "helpers", "history-worker.js");

interface Child {
  proc: ChildProcess;
  out: string;
  err: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(args: string[]): Child {
  const proc = spawn(process.execPath, [WORKER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const child: Child = {
    proc,
    out: "",
    err: "",
    exit: new Promise((resolve) => proc.on("close", (code, signal) => resolve({ code, signal }))),
  };
  proc.stdout?.on("data", (d: Buffer) => (child.out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (child.err += d.toString()));
  return child;
}

const historyFile = (root: string) => join(root, ".planning", "agent-history.json");

function readValid(root: string) {
  const r = readHistoryText(readFileSync(historyFile(root), "utf8"));
  if (!r.ok) throw new Error(`agent-history.json is not valid: ${JSON.stringify(r.problems)}`);
  return r.history;
}

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: the concurrency tests run the BUILT library. Run \`npm run build\` first.`);
});

describe("agent-history.json under concurrent writers", () => {
  let root: string;
  beforeEach(() => {
    root = makeTree({ ".planning/STATE.md": "# State\n" });
  });
  afterEach(() => removeTree(root));

  // Sizes: enough writers and updates that every write races others for the lock (a lost update
  // or a torn file shows within a few dozen contended writes); each update is a lock, a read, a
  // validation and an fsynced write, so more of them only cost time.
  it("8 processes x 10 outcomes: nothing is lost, and readers only ever see whole files", async () => {
    const WORKERS = 8;
    const EACH = 10;
    // Retention must not drop finished entries during the test.
    writeFileSync(historyFile(root), JSON.stringify({ ...emptyHistory(), max_entries: 5000 }, null, 2) + "\n");
    const children = Array.from({ length: WORKERS }, (_, w) => startWorker(["record", root, String(w), String(EACH)]));
    let finished = false;
    const all = Promise.all(children.map((c) => c.exit)).then((r) => {
      finished = true;
      return r;
    });
    // Meanwhile, read the file as any other process would: it must always parse and validate.
    let reads = 0;
    const badReads: string[] = [];
    while (!finished) {
      const r = readHistoryText(readFileSync(historyFile(root), "utf8"));
      reads++;
      if (!r.ok) badReads.push(JSON.stringify(r.problems).slice(0, 300));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const exits = await all;
    for (const [i, e] of exits.entries()) {
      if (e.code !== 0) throw new Error(`worker ${i} exited ${e.code ?? e.signal}: ${children[i]?.err}`);
      expect(children[i]?.out).toBe(`done ${i}\n`);
    }
    expect(badReads).toEqual([]);
    expect(reads).toBeGreaterThan(0);

    const h = readValid(root);
    expect(h.entries).toHaveLength(WORKERS * EACH);
    const plans = h.entries.map((e) => e.plan);
    expect(new Set(plans).size).toBe(WORKERS * EACH);
    for (let w = 0; w < WORKERS; w++) {
      for (let i = 0; i < EACH; i++) {
        const e = h.entries.find((x) => x.plan === `w${w}-${i}`);
        expect(e).toBeDefined();
        const want = i % 5 === 4 ? "failed" : "completed";
        expect(e?.status).toBe(want);
        expect(e?.background_status).toBe(want);
        expect(e?.agent_id).toBe(`a${w}x${i}`);
        expect(e?.transitions.map((t) => t.to)).toEqual(["queued", "spawned", want]);
      }
    }
    expect(h.runs.filter((r) => r.run_id === "conc")).toHaveLength(1);
    // Every lock was released and no temp file was left behind.
    expect(readdirSync(join(root, ".planning")).sort()).toEqual(["STATE.md", "agent-history.json"]);
  }, 120_000);

  // 120 plans is more than the history keeps by default (50 entries), so retention runs on every
  // write with the active run pinned, as it does for a large real run.
  it("120 plans of one run completed by 12 processes at once through the CLI: all completed, every call exit 0", async () => {
    const PLANS = 120;
    const WORKERS = 12;
    const files: Record<string, string> = { ".planning/config.json": JSON.stringify({ mode: "yolo" }) };
    for (let i = 1; i <= PLANS; i++)
      files[`.planning/phases/01-x/01-${String(i).padStart(3, "0")}-PLAN.md`] = `---\nphase: 01-x\nplan: ${i}\ndepends_on: []\n---\n# plan ${i}\n`;
    const big = makeTree(files);
    try {
      const io = {
        cwd: big,
        env: {},
        isTTY: false,
        out: () => undefined,
        err: () => undefined,
        now: () => new Date(),
        helper: ["node", "dist/cli.js"],
        readStdin: async () => "",
      };
      const lib = require(DIST) as { run(argv: string[], io: unknown): Promise<number> };
      expect(await lib.run(["start", "01", "--max-concurrent", String(WORKERS), "--cwd", big], io)).toBe(0);
      const each = PLANS / WORKERS;
      const children = Array.from({ length: WORKERS }, (_, w) => startWorker(["complete-cli", big, String(w * each + 1), String(each)]));
      const exits = await Promise.all(children.map((c) => c.exit));
      // A writer that waits says so on stderr; nothing else may appear there.
      const unexpected = (err: string) =>
        err.split("\n").filter((l) => l !== "" && !/^gsd-async: waiting for .*\.lock \(another gsd-async command holds it\)$/.test(l));
      for (const [i, e] of exits.entries()) expect({ worker: i, code: e.code, err: unexpected(children[i]!.err) }).toEqual({ worker: i, code: 0, err: [] });
      const calls = children.flatMap((c) => c.out.trim().split("\n"));
      expect(calls).toHaveLength(PLANS);
      expect(calls.filter((l) => !l.startsWith("exit 0 "))).toEqual([]);
      const h = readValid(big);
      const latest = h.entries.filter((e) => e.run_id === h.runs[0]!.run_id);
      expect(latest).toHaveLength(PLANS);
      expect(latest.filter((e) => e.status !== "completed").map((e) => e.plan)).toEqual([]);
    } finally {
      removeTree(big);
    }
  }, 180_000);

  it("a writer killed with SIGKILL mid-write leaves a valid file, and a later writer takes over its stale lock", async () => {
    const original = JSON.stringify({ ...emptyHistory(), entries: [] }, null, 2) + "\n";
    writeFileSync(historyFile(root), original);
    const planning = join(root, ".planning");
    const hog = startWorker(["hog", root, "4000"]);
    // Wait until its atomic write is under way (its temp file exists), then kill it at once.
    const tmp = /^agent-history\.json\.\d+$/;
    let killedDuringWrite = false;
    for (;;) {
      if (readdirSync(planning).some((n) => tmp.test(n))) {
        hog.proc.kill("SIGKILL");
        killedDuringWrite = true;
        break;
      }
      if (hog.proc.exitCode !== null) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const exit = await hog.exit;
    expect(killedDuringWrite).toBe(true);
    expect(exit.signal).toBe("SIGKILL");

    // The file is whole: either the original bytes or a complete generation the hog wrote.
    const text = readFileSync(historyFile(root), "utf8");
    const r = readHistoryText(text);
    expect(r.ok).toBe(true);
    if (text !== original) {
      const h = readValid(root) as unknown as { generation: number; entries: { task_description: string }[] };
      expect(h.entries).toHaveLength(4000);
      expect(h.entries.every((e) => e.task_description.startsWith(`${h.generation} `))).toBe(true);
    }
    // The killed writer still holds the lock: its lock directory is left behind.
    expect(existsSync(`${historyFile(root)}.lock`)).toBe(true);

    // A later writer takes over a lock that has gone stale (not refreshed for 10 s) and writes.
    // Nobody refreshes the dead writer's lock, so it only needs to look 10 s old: its mtime is
    // set back, as the clock would have done, instead of the test waiting.
    const old = new Date(Date.now() - 20_000);
    utimesSync(`${historyFile(root)}.lock`, old, old);
    const later = startWorker(["once", root, "after-crash"]);
    const done = await later.exit;
    if (done.code !== 0) throw new Error(`the later writer failed: ${later.err}`);
    expect(later.out).toBe("ok\n");
    const after = readValid(root);
    expect(after.entries.map((e) => e.plan)).toContain("after-crash");
    expect(after.entries).toHaveLength(r.ok ? r.history.entries.length + 1 : -1);
    expect(existsSync(`${historyFile(root)}.lock`)).toBe(false);
  }, 40_000);
});
