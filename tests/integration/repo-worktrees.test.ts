import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { mergeEffect, readyToBranch } from "../../lib/core/repo/merge-outcome";
import { startGuard } from "../../lib/core/repo/start-guard";
import { createPlanWorktree, finishPhase, mergePlan, openRepo, prepareIntegration, uncommittedChanges } from "../../lib/shell/repo/worktrees";
import { git, makeRepo, writeFile } from "../helpers/git-repo";
import { makeTree, removeTree } from "../helpers/tree";

/** Worktree mode in real git: bases, merges, conflicts and clean-up. */
jest.setTimeout(120_000);

const PHASE = ".planning/phases/01-core";
let root: string;
let origin: string | undefined;
afterEach(() => {
  removeTree(root);
  if (origin) removeTree(origin);
  origin = undefined;
});

function worktreeList(): string[] {
  return git(root, "worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice(9));
}

async function commitIn(dir: string, file: string, content: string, msg: string): Promise<void> {
  writeFile(dir, file, content);
  git(dir, "add", "--", file);
  git(dir, "commit", "-q", "-m", msg);
}

describe("worktree mode", () => {
  it("branches from the local commit the run started from, not origin's default branch, and dependents see their prerequisites' code", async () => {
    root = makeRepo({ "app.txt": "v1\n" });
    // An origin that is behind: Claude Code's own worktrees would start from origin/main here.
    origin = makeTree({});
    execFileSync("git", ["init", "-q", "--bare", origin]);
    git(root, "remote", "add", "origin", origin);
    git(root, "push", "-q", "origin", "main");
    git(root, "fetch", "-q", "origin");
    await commitIn(root, "app.txt", "v2 local\n", "local work not pushed");
    const start = git(root, "rev-parse", "HEAD").trim();
    expect(git(root, "rev-parse", "origin/main").trim()).not.toBe(start);

    const repo = (await openRepo(root))!;
    const integ = await prepareIntegration(repo, PHASE, start);
    expect(integ).toMatchObject({ branch: "gsd/01-core/integration", head: start });
    const a = await createPlanWorktree(repo, PHASE, "01-01");
    expect(a).toMatchObject({ branch: "gsd/01-core/01-01", base: start });
    expect(git(a.worktree, "rev-parse", "HEAD").trim()).toBe(start);
    expect(readFileSync(join(a.worktree, "app.txt"), "utf8")).toBe("v2 local\n");
    await commitIn(a.worktree, "lib/a.txt", "from 01-01\n", "01-01");

    expect(readyToBranch(["01-01"], new Set())).toEqual({ ready: false, waitingFor: ["01-01"] });
    const merged = await mergePlan(repo, PHASE, "01-01");
    expect(merged.kind).toBe("merged");
    expect(existsSync(a.worktree)).toBe(false);
    expect(readyToBranch(["01-01"], new Set(["01-01"]))).toEqual({ ready: true });
    // The dependent branches after the merge: it has 01-01's file.
    const b = await createPlanWorktree(repo, PHASE, "01-02");
    expect(readFileSync(join(b.worktree, "lib/a.txt"), "utf8")).toBe("from 01-01\n");
    expect(b.base).toBe(merged.kind === "merged" ? merged.sha : "");
    expect(git(root, "status", "--porcelain")).toBe("");
  });

  it("a conflict aborts the merge, keeps that plan's branch and worktree, and the other plans merge on; the run ends with nothing left behind", async () => {
    root = makeRepo({ "shared.txt": "line 1\nline 2\nline 3\n" });
    const repo = (await openRepo(root))!;
    const start = git(root, "rev-parse", "HEAD").trim();
    await prepareIntegration(repo, PHASE, start);
    const [p1, p2, p3] = [
      await createPlanWorktree(repo, PHASE, "01-01"),
      await createPlanWorktree(repo, PHASE, "01-02"),
      await createPlanWorktree(repo, PHASE, "01-03"),
    ];
    await commitIn(p1.worktree, "shared.txt", "line 1\nline 2 by 01-01\nline 3\n", "01-01");
    await commitIn(p2.worktree, "shared.txt", "line 1\nline 2 by 01-02\nline 3\n", "01-02");
    await commitIn(p3.worktree, "other.txt", "01-03\n", "01-03");

    expect((await mergePlan(repo, PHASE, "01-01")).kind).toBe("merged");
    const integHead = git(join(root, ".gsd-worktrees/01-core/integration"), "rev-parse", "HEAD").trim();
    const conflict = await mergePlan(repo, PHASE, "01-02");
    expect(conflict).toEqual({ kind: "merge-conflict", files: ["shared.txt"], branch: "gsd/01-core/01-02", worktree: ".gsd-worktrees/01-core/01-02" });
    expect(mergeEffect(conflict)).toMatchObject({ transition: "fail", reason: "merge-conflict", patch: { merge_conflict: { files: ["shared.txt"] } } });
    // The integration branch is unchanged and clean; the conflicted plan's work is intact.
    const integ = join(root, ".gsd-worktrees/01-core/integration");
    expect(git(integ, "rev-parse", "HEAD").trim()).toBe(integHead);
    expect(git(integ, "status", "--porcelain")).toBe("");
    expect(readFileSync(join(p2.worktree, "shared.txt"), "utf8")).toBe("line 1\nline 2 by 01-02\nline 3\n");
    expect((await mergePlan(repo, PHASE, "01-03")).kind).toBe("merged");

    const landed = await finishPhase(repo, PHASE);
    expect(landed).toMatchObject({ kind: "fast-forwarded", branch: "gsd/01-core/integration" });
    expect(readFileSync(join(root, "shared.txt"), "utf8")).toBe("line 1\nline 2 by 01-01\nline 3\n");
    expect(readFileSync(join(root, "other.txt"), "utf8")).toBe("01-03\n");
    // Only the conflicted plan's worktree is left, for a person; after it is resolved and removed, nothing is.
    expect(worktreeList()).toEqual([git(root, "rev-parse", "--show-toplevel").trim(), p2.worktree]);
    git(root, "worktree", "remove", p2.worktree);
    expect(worktreeList()).toHaveLength(1);
    // An aborted merge leaves a dangling tree (git's normal garbage); no errors or missing objects.
    expect(git(root, "fsck", "--strict", "--no-dangling").trim()).toBe("");
    expect(git(root, "status", "--porcelain")).toBe("");
  });

  it("refuses to merge a plan whose worktree has uncommitted changes, and removes a worktree with nothing to merge", async () => {
    root = makeRepo({ "a.txt": "a\n" });
    const repo = (await openRepo(root))!;
    await prepareIntegration(repo, PHASE, git(root, "rev-parse", "HEAD").trim());
    const p = await createPlanWorktree(repo, PHASE, "01-01");
    writeFile(p.worktree, "forgot.txt", "not committed\n");
    expect(await mergePlan(repo, PHASE, "01-01")).toEqual({
      kind: "uncommitted",
      files: ["forgot.txt"],
      branch: "gsd/01-core/01-01",
      worktree: ".gsd-worktrees/01-core/01-01",
    });
    expect(existsSync(join(p.worktree, "forgot.txt"))).toBe(true);
    const q = await createPlanWorktree(repo, PHASE, "01-02");
    expect(await mergePlan(repo, PHASE, "01-02")).toEqual({ kind: "nothing-to-merge", branch: "gsd/01-core/01-02" });
    expect(existsSync(q.worktree)).toBe(false);
  });

  it("the start check refuses a dirty tree and ignores the queue's own files", async () => {
    root = makeRepo({ "a.txt": "a\n" });
    expect(startGuard("worktree", (await uncommittedChanges(root))!)).toEqual({ ok: true });
    writeFile(root, ".planning/agent-history.json", "{}");
    expect(startGuard("shared", (await uncommittedChanges(root))!)).toEqual({ ok: true });
    writeFile(root, "a.txt", "half done\n");
    const g = startGuard("worktree", (await uncommittedChanges(root))!);
    expect(g).toMatchObject({ ok: false, files: ["a.txt"] });
    expect(g.ok === false && g.message).toContain("1 uncommitted change (a.txt)");
    expect(readFileSync(join(root, "a.txt"), "utf8")).toBe("half done\n");
  });
});
