import { AUTO_ALLOWED } from "../../lib/core/queue/helper-command";
import fc from "fast-check";
import { checkCommitPaths, unchangedPaths } from "../../lib/core/repo/commit-paths";
import { withCommit, commitsOf } from "../../lib/core/repo/commit-record";
import { parsePorcelainZ, isQueueOwnFile } from "../../lib/core/repo/git-status";
import { isAbandoned, parseOwner, waitingText } from "../../lib/core/repo/lock-owner";
import { isLockName, lockFileName } from "../../lib/core/repo/lock-name";
import { mergeEffect, readyToBranch } from "../../lib/core/repo/merge-outcome";
import { startGuard } from "../../lib/core/repo/start-guard";
import { integrationBranch, planBranch, planWorktreeDir, refPart } from "../../lib/core/repo/worktree-names";
import { v2Entry } from "../helpers/history-fixtures";

const arg = (a: string, abs: string) => ({ arg: a, abs });

describe("checkCommitPaths", () => {
  it("keeps paths inside the project, relative to the repository top, without duplicates", () => {
    expect(checkCommitPaths("/r/app", "/r", [arg("a.ts", "/r/app/a.ts"), arg("./a.ts", "/r/app/a.ts"), arg("lib", "/r/app/lib")])).toEqual({
      ok: true,
      paths: ["app/a.ts", "app/lib"],
    });
  });
  it("refuses every path outside the project or the repository, inside .git, or empty, all at once", () => {
    expect(
      checkCommitPaths("/r/app", "/r", [
        arg("../x", "/r/x"),
        arg("/etc/passwd", "/etc/passwd"),
        arg(".git/config", "/r/app/.git/config"),
        arg(" ", "/r/app"),
        arg("ok", "/r/app/ok"),
      ]),
    ).toEqual({
      ok: false,
      refused: [
        { arg: "../x", why: "outside-project" },
        { arg: "/etc/passwd", why: "outside-project" },
        { arg: ".git/config", why: "git-dir" },
        { arg: " ", why: "empty" },
      ],
    });
    expect(checkCommitPaths("/r", "/r", [arg("x", "/rx/x")])).toEqual({ ok: false, refused: [{ arg: "x", why: "outside-project" }] });
    expect(checkCommitPaths("/r", "/r", [])).toEqual({ ok: false, refused: [{ arg: "", why: "empty" }] });
  });
  it("property: an accepted path is always under the project", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z.]{1,3}$/), { minLength: 1, maxLength: 4 }), (segs) => {
        const abs = "/" + segs.join("/");
        const r = checkCommitPaths("/a/b", "/a", [arg("p", abs)]);
        if (r.ok) expect(abs === "/a/b" || abs.startsWith("/a/b/")).toBe(true);
      }),
    );
  });
  it("unchangedPaths: a directory counts as changed when a file under it changed", () => {
    expect(unchangedPaths(["src", "a.txt", "b.txt", "srcx"], ["src/x.ts", "a.txt"])).toEqual(["b.txt", "srcx"]);
  });
});

describe("git status parsing", () => {
  it("reads -z porcelain output, renames with their source, and names with spaces", () => {
    expect(parsePorcelainZ(" M a b.txt\0R  new.txt\0old.txt\0?? u.txt\0")).toEqual([
      { index: " ", worktree: "M", path: "a b.txt" },
      { index: "R", worktree: " ", path: "new.txt", from: "old.txt" },
      { index: "?", worktree: "?", path: "u.txt" },
    ]);
  });
  it("knows the queue's own files", () => {
    expect(isQueueOwnFile(".planning/agent-history.json")).toBe(true);
    expect(isQueueOwnFile(".planning/agent-history.json.123456")).toBe(true);
    expect(isQueueOwnFile(".planning/STATE.md")).toBe(false);
    expect(isQueueOwnFile("src/agent-history.json")).toBe(false);
  });
});

describe("lock owner", () => {
  const owner = { pid: 10, host: "h", token: "t", since: "2026-01-01", what: "commit for 01-01" };
  it("a lock is abandoned only on the same host with the holder and its command's group dead", () => {
    const dead = () => false;
    const live = () => true;
    expect(isAbandoned(owner, "h", dead, dead)).toBe(true);
    expect(isAbandoned(owner, "other", dead, dead)).toBe(false);
    expect(isAbandoned(owner, "h", live, dead)).toBe(false);
    expect(isAbandoned({ ...owner, group: 11 }, "h", dead, live)).toBe(false);
    expect(isAbandoned({ ...owner, group: 11 }, "h", dead, dead)).toBe(true);
  });
  it("parses what it wrote and says what a waiter waits for", () => {
    expect(parseOwner(JSON.stringify({ ...owner, group: 3 }))).toEqual({ ...owner, group: 3 });
    expect(parseOwner("{")).toBeUndefined();
    expect(parseOwner('{"pid":"1"}')).toBeUndefined();
    expect(waitingText("repository", owner)).toBe("gsd-async: waiting for the repository lock (held by pid 10: commit for 01-01, since 2026-01-01)\n");
  });
  it("lock names are file-safe and cannot be the repository lock", () => {
    expect(["tests", "db.migrate", "e2e_1"].every(isLockName)).toBe(true);
    expect(["", "../x", ".hidden", "a b", "x".repeat(65)].some(isLockName)).toBe(false);
    expect(lockFileName("exclusive", "repository")).not.toBe(lockFileName("repository"));
  });
});

describe("commit records", () => {
  it("adds a commit to an entry once, keeping the others", () => {
    const e = v2Entry();
    expect(commitsOf(e)).toEqual([]);
    const one = withCommit(e, { sha: "a", paths: ["x"], at: "t1" });
    const two = withCommit(withCommit(one, { sha: "b", paths: ["y"], at: "t2" }), { sha: "a", paths: ["x"], at: "t1" });
    expect(commitsOf(two).map((c) => c.sha)).toEqual(["b", "a"]);
    expect(e).toEqual(v2Entry());
  });
});

describe("worktree names", () => {
  it("branch and worktree names per phase and plan; the integration branch cannot collide with a plan", () => {
    expect(integrationBranch(".planning/phases/02-core features")).toBe("gsd/02-core-features/integration");
    expect(planBranch(".planning/phases/02-core", "02-01")).toBe("gsd/02-core/02-01");
    expect(planBranch(".planning/phases/02-core", "integration")).toBe("gsd/02-core/plan-integration");
    expect(planWorktreeDir(".planning/phases/02-core", "02-01")).toBe(".gsd-worktrees/02-core/02-01");
  });
  it("property: refPart gives a valid ref component for any text", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = refPart(s);
        expect(r).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
        expect(r).not.toMatch(/\.\.|\.lock$|\.$/);
      }),
    );
  });
});

describe("merge bookkeeping", () => {
  it("a merge completes the plan; a conflict fails it with reason merge-conflict, its files, branch and worktree", () => {
    expect(mergeEffect({ kind: "merged", sha: "s", branch: "b" })).toEqual({ transition: "complete", patch: { merge: { branch: "b", sha: "s" } } });
    expect(mergeEffect({ kind: "nothing-to-merge", branch: "b" })).toEqual({ transition: "complete", patch: { merge: { branch: "b", sha: null } } });
    const c = mergeEffect({ kind: "merge-conflict", files: ["a.ts", "b.ts"], branch: "gsd/p/01", worktree: ".gsd-worktrees/p/01" });
    expect(c).toEqual({
      transition: "fail",
      reason: "merge-conflict",
      error: "merge-conflict: a.ts, b.ts; branch gsd/p/01 and worktree .gsd-worktrees/p/01 are kept for a person to merge",
      patch: { merge_conflict: { files: ["a.ts", "b.ts"], branch: "gsd/p/01", worktree: ".gsd-worktrees/p/01" } },
    });
    const u = mergeEffect({ kind: "uncommitted", files: ["x"], branch: "b", worktree: "w" });
    expect(u).toMatchObject({ transition: "fail", reason: "uncommitted" });
  });
  it("a worktree is created only when every prerequisite was merged", () => {
    expect(readyToBranch([], new Set())).toEqual({ ready: true });
    expect(readyToBranch(["a", "b"], new Set(["a"]))).toEqual({ ready: false, waitingFor: ["b"] });
  });
  it("the start check: clean (or only queue files) starts; anything else is refused with the files named", () => {
    expect(startGuard("shared", [".planning/agent-history.json"])).toEqual({ ok: true });
    const g = startGuard(
      "shared",
      Array.from({ length: 10 }, (_, i) => `f${i}`),
    );
    expect(g).toMatchObject({ ok: false, files: expect.arrayContaining(["f0", "f9"]) });
    expect(g.ok === false && g.message).toContain("10 uncommitted changes (f0, f1, f2, f3, f4, f5, f6, f7 (+2 more))");
  });
});

describe("the PreToolUse hook's auto-allow list", () => {
  it("allows `commit` (it runs only git on named paths); `exclusive` is judged on its own, as it can run any command", () => {
    expect(AUTO_ALLOWED).toContain("commit");
    expect(AUTO_ALLOWED as readonly string[]).not.toContain("exclusive");
  });
});
