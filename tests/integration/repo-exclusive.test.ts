import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { helper, makeRepo } from "../helpers/git-repo";
import { removeTree } from "../helpers/tree";

/** `gsd-async exclusive` as real processes: named locks that never let two runs overlap. */
jest.setTimeout(120_000);

let root: string;

/** Waits for a file the command writes once it runs; fails instead of hanging if it never appears. */
async function appears(file: string): Promise<void> {
  for (let i = 0; i < 500 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
  expect(existsSync(file)).toBe(true);
}
afterEach(() => removeTree(root));

/** A test command that fails when another instance is running and logs its start and end. */
const GUARDED = `sh -c 'if [ -e running ]; then echo overlap >> overlaps; exit 9; fi; touch running; echo "start $(date +%s%N)" >> runs; sleep 0.4; echo "end $(date +%s%N)" >> runs; rm running'`;

function intervals(file: string): [bigint, bigint][] {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const out: [bigint, bigint][] = [];
  for (let i = 0; i < lines.length; i += 2) {
    const [s, e] = [lines[i] as string, lines[i + 1] as string];
    expect(s.startsWith("start ") && e.startsWith("end ")).toBe(true);
    out.push([BigInt(s.slice(6)), BigInt(e.slice(4))]);
  }
  return out;
}

describe("gsd-async exclusive", () => {
  it("runs a configured command one at a time: six concurrent callers never overlap (timestamps)", async () => {
    root = makeRepo({ ".planning/config.json": JSON.stringify({ parallelization: { exclusive: { tests: GUARDED } } }) });
    const procs = Array.from({ length: 6 }, () => helper(["exclusive", "tests"], root));
    expect(await Promise.all(procs.map((p) => p.exit))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(existsSync(join(root, "overlaps"))).toBe(false);
    const runs = intervals(join(root, "runs"));
    expect(runs).toHaveLength(6);
    for (let i = 1; i < runs.length; i++) expect(runs[i]![0] >= runs[i - 1]![1]).toBe(true);
    expect(procs.filter((p) => p.err.includes("waiting for the exclusive-tests lock")).length).toBeGreaterThanOrEqual(1);
  });

  it("passes the command's exit code and output through; an argument vector runs without a shell", async () => {
    root = makeRepo({});
    const p = helper(["exclusive", "x", "--", "sh", "-c", "echo out; echo err >&2; exit 7"], root);
    expect(await p.exit).toBe(7);
    expect(p.out).toBe("out\n");
    expect(p.err).toBe("err\n");
    // No shell: `;` and `$(...)` in an argument are just characters.
    const q = helper(["exclusive", "x", "--", "echo", "a; touch pwned $(touch pwned2)"], root);
    expect(await q.exit).toBe(0);
    expect(q.out).toBe("a; touch pwned $(touch pwned2)\n");
    expect(existsSync(join(root, "pwned")) || existsSync(join(root, "pwned2"))).toBe(false);
  });

  it("refuses an unknown configured name and a bad lock name (exit 2)", async () => {
    root = makeRepo({ ".planning/config.json": JSON.stringify({ parallelization: { exclusive: { build: "true" } } }) });
    const unknown = helper(["exclusive", "tests"], root);
    expect(await unknown.exit).toBe(2);
    expect(unknown.err).toContain("no command named 'tests'");
    expect(unknown.err).toContain("configured: build");
    const bad = helper(["exclusive", "../x", "--", "true"], root);
    expect(await bad.exit).toBe(2);
  });

  it("runs a command of the caller's own only after --: words after the name alone are refused and nothing runs", async () => {
    root = makeRepo({ ".planning/config.json": JSON.stringify({ parallelization: { exclusive: { build: "true" } } }) });
    const stray = helper(["exclusive", "build", "touch", "pwned"], root);
    expect(await stray.exit).toBe(2);
    expect(stray.err).toContain("exclusive build: a command to run goes after --");
    const split = helper(["exclusive", "build", "touch", "--", "pwned2"], root);
    expect(await split.exit).toBe(2);
    expect(existsSync(join(root, "pwned"))).toBe(false);
    expect(existsSync(join(root, "pwned2"))).toBe(false);
  });

  it("a killed holder keeps the lock while its command still runs, and releases it when the command ends", async () => {
    root = makeRepo({});
    const first = helper(["exclusive", "db", "--", "sh", "-c", `echo "start $(date +%s%N)" >> runs; sleep 1.5; echo "end $(date +%s%N)" >> runs`], root);
    await appears(join(root, "runs"));
    first.proc.kill("SIGKILL");
    await first.exit;
    const second = helper(["exclusive", "db", "--", "sh", "-c", `echo "start $(date +%s%N)" >> runs; echo "end $(date +%s%N)" >> runs`], root);
    expect(await second.exit).toBe(0);
    expect(second.err).toContain("waiting for the exclusive-db lock");
    const runs = intervals(join(root, "runs"));
    expect(runs).toHaveLength(2);
    expect(runs[1]![0] >= runs[0]![1]).toBe(true);
  });

  it("SIGTERM to the holder reaches the command, and the next caller gets the lock", async () => {
    root = makeRepo({});
    writeFileSync(join(root, "trap.sh"), `trap 'echo terminated > got-term; exit 143' TERM\necho up > up\nwhile true; do sleep 0.1; done\n`);
    const first = helper(["exclusive", "srv", "--", "sh", "trap.sh"], root);
    await appears(join(root, "up"));
    const second = helper(["exclusive", "srv", "--", "sh", "-c", "echo second"], root);
    first.proc.kill("SIGTERM");
    expect(await first.exit).toBe(143);
    expect(readFileSync(join(root, "got-term"), "utf8")).toBe("terminated\n");
    expect(await second.exit).toBe(0);
    expect(second.out).toBe("second\n");
  });
});
