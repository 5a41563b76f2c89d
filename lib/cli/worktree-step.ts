import type { StatusView } from "../core/queue/status-view";
import type { RunRecord } from "../core/queue/history-schema";
import { queueStep } from "../core/queue/queue-step";
import { isWorktreeRun, landRun, makeHandOutWorktrees } from "../shell/repo/worktree-run";
import { withQueueState } from "../shell/queue-state";
import { landingText } from "../render/repo-text";
import type { Io } from "./context";
import { type FactsInput, queueFacts } from "./queue-shared";

/**
 * After a `start` or `status` step of a worktree-mode run: the plans it handed out get their
 * worktrees before the orchestrator starts their agents, and a run where nothing can move any
 * more lands its integration branch. Both happen after the state lock is released. A plan whose
 * worktree cannot be made fails (through the step, with git's message) and is taken out of the
 * hand-out, so no agent starts without its worktree; the view returned says so.
 */
export async function worktreeAfterStep(io: Io, view: StatusView, root: string, settings: FactsInput["settings"]): Promise<StatusView> {
  const run = view.run;
  if (!isWorktreeRun(run)) return view;
  const failed = await makeHandOutWorktrees(run, view.spawn);
  for (const f of failed) {
    const reason = `worktree: could not make the plan's worktree: ${f.message}`;
    io.err(`gsd-async: ${f.plan}: ${reason}\n`);
    const facts = queueFacts(io, { root, settings });
    await withQueueState(root, (state) => {
      const r = queueStep(state, facts, { kind: "fail", plan: f.plan, runId: run.run_id, reason });
      return { state: r.state, result: null };
    });
  }
  const out: StatusView = failed.length === 0 ? view : { ...view, spawn: view.spawn.filter((s) => !failed.some((f) => f.plan === s.plan)) };
  if (view.outcome === "done" || view.outcome === "stopped") await land(io, run);
  return out;
}

/** Lands the run's integration branch when there is one, saying what happened on stderr. */
export async function land(io: Io, run: RunRecord): Promise<void> {
  const landed = await landRun(run);
  if (landed) io.err(landingText(landed));
}
