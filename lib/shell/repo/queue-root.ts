import { basename, dirname, relative, resolve } from "node:path";
import { repoDirs } from "./git";

/**
 * Where the queue's state lives for a project opened at `projectRoot`. In a linked worktree (one
 * plan's worktree in worktree mode) that is the same project in the main checkout, because
 * agent-history.json belongs to the run, not to a branch.
 */
export async function queueRootFor(projectRoot: string): Promise<string> {
  const dirs = await repoDirs(projectRoot);
  if (!dirs || resolve(dirs.gitDir) === resolve(dirs.commonDir) || basename(dirs.commonDir) !== ".git") return projectRoot;
  return resolve(dirname(dirs.commonDir), relative(dirs.top, projectRoot));
}
