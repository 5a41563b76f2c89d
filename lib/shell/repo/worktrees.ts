import { appendFileSync, existsSync, mkdirSync, readFileSync, rmdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { lockFileName } from "../../core/repo/lock-name";
import type { Landing, MergeOutcome } from "../../core/repo/merge-outcome";
export type { Landing } from "../../core/repo/merge-outcome";
import { WORKTREES_DIR, integrationBranch, integrationWorktreeDir, planBranch, planWorktreeDir, phasePart } from "../../core/repo/worktree-names";
import { parsePorcelainZ } from "../../core/repo/git-status";
import { git, gitOk, repoDirs } from "./git";
import { locksDir, withNamedLock } from "./named-lock";

/**
 * Worktree mode, with git's own worktrees (not Claude Code's `isolation: "worktree"`, which
 * bases on origin's default branch and cannot branch from an integration branch that holds the
 * prerequisites' merges). Every change of refs and worktrees happens under the repository lock.
 */
export interface Repo {
  top: string;
  commonDir: string;
}

export async function openRepo(cwd: string): Promise<Repo | undefined> {
  const d = await repoDirs(cwd);
  return d ? { top: d.top, commonDir: d.commonDir } : undefined;
}

function underLock<T>(repo: Repo, what: string, fn: () => Promise<T>, onWait?: (t: string) => void): Promise<T> {
  return withNamedLock(join(locksDir(repo.commonDir), lockFileName("repository")), { what, ...(onWait ? { onWait } : {}) }, fn);
}

async function branchExists(repo: Repo, branch: string): Promise<boolean> {
  return (await git(["show-ref", "--verify", "-q", `refs/heads/${branch}`], { cwd: repo.top })).code === 0;
}

/** Keeps the worktrees out of the main checkout's `git status` (a local exclude, nothing committed). */
function excludeWorktrees(repo: Repo): void {
  const file = join(repo.commonDir, "info", "exclude");
  const line = `/${WORKTREES_DIR}/`;
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (text.split("\n").includes(line)) return;
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${text === "" || text.endsWith("\n") ? "" : "\n"}${line}\n`);
}

/**
 * The phase's integration branch and its worktree, starting at `base` (the commit the run
 * starts from, normally the user's HEAD). Idempotent: an existing branch is kept as it is.
 */
export async function prepareIntegration(repo: Repo, phaseDir: string, base: string): Promise<{ branch: string; worktree: string; head: string }> {
  const branch = integrationBranch(phaseDir);
  const worktree = join(repo.top, integrationWorktreeDir(phaseDir));
  return underLock(repo, `prepare ${branch}`, async () => {
    excludeWorktrees(repo);
    if (!(await branchExists(repo, branch))) await gitOk(["branch", branch, base], { cwd: repo.top });
    if (!existsSync(worktree)) await gitOk(["worktree", "add", "-q", worktree, branch], { cwd: repo.top });
    const head = (await gitOk(["rev-parse", "HEAD"], { cwd: worktree })).trim();
    return { branch, worktree, head };
  });
}

/**
 * A plan's worktree on `gsd/<phase>/<plan>`, branched from the integration branch as it is now.
 * The caller creates it only after every prerequisite was merged (`readyToBranch`). A retried
 * plan gets its existing branch and worktree back.
 */
export async function createPlanWorktree(repo: Repo, phaseDir: string, planId: string): Promise<{ branch: string; worktree: string; base: string }> {
  const branch = planBranch(phaseDir, planId);
  const worktree = join(repo.top, planWorktreeDir(phaseDir, planId));
  const from = integrationBranch(phaseDir);
  return underLock(repo, `worktree for ${planId}`, async () => {
    excludeWorktrees(repo);
    if (!existsSync(worktree)) {
      if (await branchExists(repo, branch)) await gitOk(["worktree", "add", "-q", worktree, branch], { cwd: repo.top });
      else await gitOk(["worktree", "add", "-q", "-b", branch, worktree, from], { cwd: repo.top });
    }
    const base = (await gitOk(["merge-base", from, branch], { cwd: repo.top })).trim();
    return { branch, worktree, base };
  });
}

async function uncommitted(worktree: string): Promise<string[]> {
  const r = await gitOk(["status", "--porcelain=v1", "-z", "--untracked-files=all"], { cwd: worktree });
  return parsePorcelainZ(r).map((e) => e.path);
}

/**
 * Merges a completed plan's branch into the integration branch (a merge commit; no commit is
 * rewritten). On a conflict the merge is aborted, so the integration branch stays as it was,
 * and the plan's branch and worktree are kept for a person. A merged plan's worktree and branch
 * are removed.
 */
export async function mergePlan(repo: Repo, phaseDir: string, planId: string, onWait?: (t: string) => void): Promise<MergeOutcome> {
  const branch = planBranch(phaseDir, planId);
  const worktree = join(repo.top, planWorktreeDir(phaseDir, planId));
  const integration = join(repo.top, integrationWorktreeDir(phaseDir));
  const rel = planWorktreeDir(phaseDir, planId);
  return underLock(
    repo,
    `merge ${branch}`,
    async () => {
      if (existsSync(worktree)) {
        const left = await uncommitted(worktree);
        if (left.length > 0) return { kind: "uncommitted", files: left, branch, worktree: rel };
      }
      const ahead = Number((await gitOk(["rev-list", "--count", `HEAD..${branch}`], { cwd: integration })).trim());
      if (ahead === 0) {
        await removePlan(repo, worktree, branch);
        return { kind: "nothing-to-merge", branch };
      }
      const merged = await git(["merge", "--no-ff", "--no-edit", "-m", `Merge ${branch}`, branch], { cwd: integration });
      if (merged.code !== 0) {
        const files = (await git(["diff", "--name-only", "-z", "--diff-filter=U"], { cwd: integration })).stdout.split("\0").filter(Boolean);
        await git(["merge", "--abort"], { cwd: integration });
        if (files.length === 0) throw new Error(`git merge of ${branch} failed: ${(merged.stderr || merged.stdout).trim()}`);
        return { kind: "merge-conflict", files, branch, worktree: rel };
      }
      const sha = (await gitOk(["rev-parse", "HEAD"], { cwd: integration })).trim();
      await removePlan(repo, worktree, branch);
      return { kind: "merged", sha, branch };
    },
    onWait,
  );
}

async function removePlan(repo: Repo, worktree: string, branch: string): Promise<void> {
  if (existsSync(worktree)) await gitOk(["worktree", "remove", worktree], { cwd: repo.top });
  await git(["branch", "-D", branch], { cwd: repo.top });
  tidy(dirname(worktree));
}

/** Removes an empty directory and its empty parents up to the worktrees folder. */
function tidy(dir: string): void {
  for (let d = dir; d.includes(WORKTREES_DIR); d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
  }
}

/**
 * The end of a run: the integration worktree is removed, and the user's branch (checked out in
 * the main checkout) is fast-forwarded to the integration branch when it has not moved since
 * the run started; otherwise the integration branch is kept for the user to merge. Conflicted
 * plans' worktrees are left alone.
 */
export async function finishPhase(repo: Repo, phaseDir: string): Promise<Landing> {
  const branch = integrationBranch(phaseDir);
  const integration = join(repo.top, integrationWorktreeDir(phaseDir));
  return underLock(repo, `finish ${branch}`, async () => {
    if (existsSync(integration)) await gitOk(["worktree", "remove", integration], { cwd: repo.top });
    tidy(join(repo.top, WORKTREES_DIR, phasePart(phaseDir)));
    await git(["worktree", "prune"], { cwd: repo.top });
    const ff = await git(["merge", "--ff-only", "-q", branch], { cwd: repo.top });
    if (ff.code !== 0) return { kind: "kept", branch, reason: (ff.stderr || ff.stdout).trim().split("\n")[0] ?? "not a fast-forward" };
    const sha = (await gitOk(["rev-parse", "HEAD"], { cwd: repo.top })).trim();
    await git(["branch", "-d", branch], { cwd: repo.top });
    return { kind: "fast-forwarded", branch, sha };
  });
}

/** Uncommitted changes of a working tree (for the start check); `--no-optional-locks` so looking never takes index.lock. */
export async function uncommittedChanges(cwd: string): Promise<string[] | undefined> {
  const r = await git(["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all"], { cwd });
  return r.code === 0 ? parsePorcelainZ(r.stdout).map((e) => e.path) : undefined;
}

/** Which of these project-relative files git does not track (an ignored one; a new one is already caught as uncommitted). */
export async function untrackedOf(cwd: string, files: readonly string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const r = await git(["ls-files", "--full-name", "-z", "--", ...files], { cwd });
  const top = await git(["rev-parse", "--show-prefix"], { cwd });
  const prefix = top.code === 0 ? top.stdout.trim() : "";
  const tracked = new Set(r.stdout.split("\0").filter(Boolean));
  return files.filter((f) => !tracked.has(`${prefix}${f}`));
}
