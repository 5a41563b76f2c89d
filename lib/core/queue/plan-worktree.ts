import { planBranch, planWorktreeDir } from "../repo/worktree-names";
import type { RunRecord } from "./history-schema";
import type { PlanWorktree } from "./spawn";

/** Where a worktree-mode plan works: its worktree under the repository's top, and the project inside it. */
export function planWorktree(run: RunRecord, phaseDir: string, planId: string, projectRoot: string): PlanWorktree {
  const top = (run.repo_top ?? projectRoot).replace(/\/+$/, "");
  const dir = planWorktreeDir(phaseDir, planId);
  const sub = projectRoot === top ? "" : projectRoot.startsWith(`${top}/`) ? projectRoot.slice(top.length) : "";
  return { dir, branch: planBranch(phaseDir, planId), project: `${top}/${dir}${sub}` };
}
