import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readHistoryText } from "../../lib/core/queue/history-migrate";
import { emptyHistory } from "../../lib/core/queue/history-schema";
import { CLI, commitFiles, git, helper, hook, makeRepo, writeFile } from "../helpers/git-repo";
import { v2Entry, v2Run } from "../helpers/history-fixtures";
import { removeTree } from "../helpers/tree";

/**
 * `gsd-async commit` through the built CLI, as real processes in a real repository: the lock,
 * the private index and the hooks are what is tested.
 */
jest.setTimeout(180_000);

let root: string;
afterEach(() => removeTree(root));

function seedHistory(plans: string[]): void {
  const h = emptyHistory();
  h.runs.push(v2Run());
  for (const p of plans) h.entries.push(v2Entry({ plan: p, plan_file: `.planning/phases/01-x/${p}-PLAN.md`, status: "spawned" }));
  writeFileSync(join(root, ".planning", "agent-history.json"), JSON.stringify(h, null, 2));
}

function history() {
  const r = readHistoryText(readFileSync(join(root, ".planning", "agent-history.json"), "utf8"));
  if (!r.ok) throw new Error("history invalid");
  return r.history;
}

describe("gsd-async commit", () => {
  // Twenty committers started at once, as many agents as a large cap gives: all race for the
  // index and the lock, and most wait their turn for a long while.
  it("20 concurrent committers: every commit holds only its plan's files, none fails on index.lock, others' work untouched", async () => {
    const n = 20;
    const plans = Array.from({ length: n }, (_, i) => `01-${String(i + 1).padStart(2, "0")}`);
    root = makeRepo({ "shared.txt": "base\n", ...Object.fromEntries(plans.map((p) => [`src/${p}.txt`, "old\n"])) });
    seedHistory(plans);
    git(root, "add", ".planning/agent-history.json");
    git(root, "commit", "-q", "-m", "history");
    // Someone else's staged change and unstaged change: they must never be committed nor touched.
    writeFile(root, "staged-by-someone.txt", "staged\n");
    git(root, "add", "staged-by-someone.txt");
    writeFile(root, "shared.txt", "someone's unsaved edit\n");
    for (const p of plans) {
      writeFile(root, `src/${p}.txt`, `new ${p}\n`);
      writeFile(root, `src/${p}-added.txt`, `added by ${p}\n`);
    }
    const procs = plans.map((p) => helper(["commit", p, "-m", `${p}: work`, "--json", "--run", "r1", "--", `src/${p}.txt`, `src/${p}-added.txt`], root));
    const codes = await Promise.all(procs.map((p) => p.exit));
    if (codes.some((c) => c !== 0)) throw new Error(procs.map((p) => p.err).join("\n---\n"));
    expect(codes).toEqual(plans.map(() => 0));
    expect(procs.filter((p) => /index\.lock/.test(p.err + p.out))).toEqual([]);
    const shas = procs.map((p) => (JSON.parse(p.out) as { sha: string }).sha);
    expect(new Set(shas).size).toBe(n);
    plans.forEach((p, i) => expect(commitFiles(root, shas[i] as string)).toEqual([`src/${p}-added.txt`, `src/${p}.txt`]));
    // A straight line of n commits on top of the history commit, nothing rewritten.
    expect(git(root, "rev-list", "--count", "HEAD").trim()).toBe(String(n + 2));
    expect(git(root, "fsck", "--strict").trim()).toBe("");
    expect(git(root, "status", "--porcelain").split("\n").filter(Boolean).sort()).toEqual([
      " M .planning/agent-history.json",
      " M shared.txt",
      "A  staged-by-someone.txt",
    ]);
    expect(readFileSync(join(root, "shared.txt"), "utf8")).toBe("someone's unsaved edit\n");
    for (const p of plans) expect(git(root, "show", `HEAD:src/${p}.txt`)).toBe(`new ${p}\n`);
    const recorded = history().entries.map((e) => [e.plan, ((e as Record<string, unknown>).commits as { sha: string; paths: string[] }[]).map((c) => c.sha)]);
    expect(recorded).toEqual(plans.map((p, i) => [p, [shas[i]]]));
  });

  it("runs a slow pre-commit hook inside the lock: waiters say they wait, the hook sees only its commit's files, runs never overlap", async () => {
    root = makeRepo({ "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" });
    const log = join(root, ".git", "hook.log");
    hook(
      root,
      "pre-commit",
      `#!/bin/sh\necho "start $(date +%s%N) $(git diff --cached --name-only | tr '\\n' ' ')" >> '${log}'\nsleep 2\necho "end $(date +%s%N)" >> '${log}'\n`,
    );
    hook(root, "commit-msg", `#!/bin/sh\ngrep -q '^plan ' "$1" || { echo "commit-msg: must start with plan" >&2; exit 1; }\n`);
    for (const f of ["a", "b", "c"]) writeFile(root, `${f}.txt`, `${f} changed\n`);
    const procs = ["a", "b", "c"].map((f) => helper(["commit", `01-0${f}`, "-m", `plan ${f}`, "--", `${f}.txt`], root));
    expect(await Promise.all(procs.map((p) => p.exit))).toEqual([0, 0, 0]);
    expect(procs.filter((p) => p.err.includes("waiting for the repository lock")).length).toBeGreaterThanOrEqual(2);
    const lines = readFileSync(log, "utf8").trim().split("\n");
    expect(
      lines
        .filter((l) => l.startsWith("start"))
        .map((l) => l.split(" ").slice(2).join(" ").trim())
        .sort(),
    ).toEqual(["a.txt", "b.txt", "c.txt"]);
    // start, end, start, end, ...: one hook at a time.
    expect(lines.map((l) => l.split(" ")[0])).toEqual(["start", "end", "start", "end", "start", "end"]);
    const stamps = lines.map((l) => BigInt(l.split(" ")[1] as string));
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! >= stamps[i - 1]!).toBe(true);
    // commit-msg ran too: a message it rejects commits nothing.
    writeFile(root, "a.txt", "again\n");
    const bad = helper(["commit", "01-0a", "-m", "no prefix", "--", "a.txt"], root);
    expect(await bad.exit).toBe(1);
    expect(bad.err).toContain("commit-msg: must start with plan");
    expect(git(root, "status", "--porcelain")).toBe(" M a.txt\n");
  });

  it("refuses paths outside the project, inside .git, unchanged or missing, with exit 8 and nothing committed", async () => {
    root = makeRepo({ "a.txt": "a\n", "same.txt": "same\n" });
    writeFile(root, "a.txt", "changed\n");
    const head = git(root, "rev-parse", "HEAD");
    const outside = helper(["commit", "01-01", "-m", "x", "--", "a.txt", "../elsewhere.txt", "/etc/passwd", ".git/config"], root);
    expect(await outside.exit).toBe(8);
    expect(outside.err).toContain("../elsewhere.txt: outside the project");
    expect(outside.err).toContain("/etc/passwd: outside the project");
    expect(outside.err).toContain(".git/config: inside .git");
    const unchanged = helper(["commit", "01-01", "-m", "x", "--", "a.txt", "same.txt"], root);
    expect(await unchanged.exit).toBe(8);
    expect(unchanged.err).toContain("same.txt: no change to commit");
    const missing = helper(["commit", "01-01", "-m", "x", "--", "nope.txt"], root);
    expect(await missing.exit).toBe(8);
    expect(missing.err).toContain("nope.txt");
    const glob = helper(["commit", "01-01", "-m", "x", "--", "*.txt"], root);
    expect(await glob.exit).toBe(8);
    expect(git(root, "rev-parse", "HEAD")).toBe(head);
    expect(git(root, "status", "--porcelain")).toBe(" M a.txt\n");
  });

  it("commits a deletion and a file in a new directory; the real index matches HEAD for them afterwards", async () => {
    root = makeRepo({ "gone.txt": "x\n", "keep.txt": "k\n" });
    git(root, "rm", "-q", "--cached", "keep.txt");
    unlinkSync(join(root, "gone.txt"));
    writeFile(root, "new/dir/file.txt", "n\n");
    const p = helper(["commit", "01-01", "-m", "x", "--", "gone.txt", "new/dir/file.txt"], root);
    expect(await p.exit).toBe(0);
    expect(commitFiles(root, "HEAD")).toEqual(["gone.txt", "new/dir/file.txt"]);
    // keep.txt's staged removal (someone else's) is still staged, not committed.
    expect(git(root, "status", "--porcelain").split("\n").filter(Boolean).sort()).toEqual(["?? keep.txt", "D  keep.txt"]);
    expect(existsSync(CLI)).toBe(true);
  });

  it("puts back another agent's file that a failing hook reset to HEAD (lint-staged's revert)", async () => {
    root = makeRepo({ "mine.txt": "m\n", "theirs.txt": "t\n" });
    hook(root, "pre-commit", "#!/bin/sh\ngit reset -q --hard HEAD\necho 'lint failed' >&2\nexit 1\n");
    writeFile(root, "mine.txt", "mine changed\n");
    writeFile(root, "theirs.txt", "their unsaved work\n");
    const p = helper(["commit", "01-01", "-m", "x", "--", "mine.txt"], root);
    expect(await p.exit).toBe(1);
    expect(p.err).toContain("lint failed");
    expect(p.err).toContain("reset theirs.txt");
    expect(readFileSync(join(root, "theirs.txt"), "utf8")).toBe("their unsaved work\n");
  });
});
