import type { RunRecord } from "../../core/queue/history-schema";
import type { SpawnInstruction } from "../../core/queue/spawn";
import type { MergeOutcome } from "../../core/repo/merge-outcome";
import { integrationBranch } from "../../core/repo/worktree-names";
import { git, gitOk } from "./git";
import { type Landing, type Repo, createPlanWorktree, finishPhase, mergePlan, openRepo, prepareIntegration } from "./worktrees";

/**
 * The git side of a worktree-mode run, around the queue's step: the step decides (hand-outs, the
 * plan's status after a merge), these do the git work outside the state lock, each under the
 * repository lock of worktrees.ts.
 */
export const isWorktreeRun = (run: RunRecord | null | undefined): run is RunRecord & { isolation: "worktree" } => run?.isolation === "worktree";

async function repoOf(run: RunRecord): Promise<Repo> {
  const repo = await openRepo(run.repo_top ?? "");
  if (!repo) throw new Error(`the worktree-mode run ${run.run_id} has no git repository at ${run.repo_top ?? "(unknown)"}`);
  return repo;
}

/**
 * Makes the worktree of every plan just handed out, before its agent is started: from the
 * integration branch as it is now, which already holds every prerequisite (a plan is handed out
 * only once its prerequisites completed, and in this mode completing is merging). The
 * integration branch is made first when missing: at the run's start, or again from the user's
 * branch after an earlier stop landed the work done so far.
 */
export async function makeHandOutWorktrees(run: RunRecord, spawn: readonly SpawnInstruction[]): Promise<WorktreeFailure[]> {
  const mine = spawn.filter((s) => s.worktree !== undefined);
  if (mine.length === 0) return [];
  const failed: WorktreeFailure[] = [];
  try {
    const repo = await repoOf(run);
    const head = (await gitOk(["rev-parse", "HEAD"], { cwd: repo.top })).trim();
    await prepareIntegration(repo, run.phase_dir, head);
    for (const s of mine) {
      try {
        await createPlanWorktree(repo, run.phase_dir, s.plan);
      } catch (err) {
        failed.push({ plan: s.plan, message: messageOf(err) });
      }
    }
  } catch (err) {
    // No integration branch: no plan of this hand-out has a worktree to work in.
    return mine.map((s) => ({ plan: s.plan, message: messageOf(err) }));
  }
  return failed;
}

/**
 * One plan's worktree, made when its agent asks for it (the workflow engine, whose script starts
 * the agents itself): from the integration branch as it is now. The caller checked that every
 * prerequisite has completed, which in this mode means merged.
 */
export async function makePlanWorktree(run: RunRecord, planId: string): Promise<{ branch: string; worktree: string; base: string }> {
  const repo = await repoOf(run);
  const head = (await gitOk(["rev-parse", "HEAD"], { cwd: repo.top })).trim();
  await prepareIntegration(repo, run.phase_dir, head);
  return createPlanWorktree(repo, run.phase_dir, planId);
}

/** A plan handed out whose worktree could not be made: its agent must not be started. */
export interface WorktreeFailure {
  plan: string;
  message: string;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/\s+/g, " ").slice(0, 500);

/** Merges a completed plan's branch into the integration branch (made first when missing, as above). */
export async function mergeCompletedPlan(run: RunRecord, planId: string, onWait?: (t: string) => void): Promise<MergeOutcome> {
  const repo = await repoOf(run);
  const head = (await gitOk(["rev-parse", "HEAD"], { cwd: repo.top })).trim();
  await prepareIntegration(repo, run.phase_dir, head);
  return mergePlan(repo, run.phase_dir, planId, onWait);
}

/**
 * When nothing of the run can move any more: the integration branch lands on the user's branch
 * (fast-forward) or is kept. Undefined when there is nothing to land (already landed).
 */
export async function landRun(run: RunRecord): Promise<Landing | undefined> {
  const repo = await repoOf(run);
  const branch = integrationBranch(run.phase_dir);
  const exists = (await git(["show-ref", "--verify", "-q", `refs/heads/${branch}`], { cwd: repo.top })).code === 0;
  if (!exists) return undefined;
  return finishPhase(repo, run.phase_dir);
}
