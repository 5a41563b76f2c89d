import type { StatusView } from "../core/queue/status-view";
import type { RunRecord } from "../core/queue/history-schema";
import { isWorktreeRun, landRun, makeHandOutWorktrees } from "../shell/repo/worktree-run";
import { landingText } from "../render/repo-text";
import type { Io } from "./context";

/**
 * After a `start` or `status` step of a worktree-mode run: the plans it handed out get their
 * worktrees before the orchestrator starts their agents, and a run where nothing can move any
 * more lands its integration branch. Both happen after the state lock is released.
 */
export async function worktreeAfterStep(io: Io, view: StatusView): Promise<void> {
  const run = view.run;
  if (!isWorktreeRun(run)) return;
  await makeHandOutWorktrees(run, view.spawn);
  if (view.outcome === "done" || view.outcome === "stopped") await land(io, run);
}

/** Lands the run's integration branch when there is one, saying what happened on stderr. */
export async function land(io: Io, run: RunRecord): Promise<void> {
  const landed = await landRun(run);
  if (landed) io.err(landingText(landed));
}
