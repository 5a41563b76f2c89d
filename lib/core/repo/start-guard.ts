import type { Isolation } from "./isolation";
import { isQueueOwnFile } from "./git-status";

export type StartGuard = { ok: true } | { ok: false; message: string; hint: string; files: string[] };

/**
 * Whether a new run may start on this working tree. Uncommitted changes of the user are never
 * lost and never end up in a plan's commit: a run starts only from a clean tree (the queue's own
 * files aside). In worktree mode the plans branch from the commit, so uncommitted files would
 * also be invisible to every agent; in shared mode an agent could commit a user's half-done
 * change together with its own. Either way the user commits or stashes first.
 */
export function startGuard(isolation: Isolation, dirty: readonly string[]): StartGuard {
  const files = dirty.filter((f) => !isQueueOwnFile(f));
  if (files.length === 0) return { ok: true };
  const shown = `${files.slice(0, 8).join(", ")}${files.length > 8 ? ` (+${files.length - 8} more)` : ""}`;
  return {
    ok: false,
    files,
    message: `the working tree has ${files.length} uncommitted change${files.length === 1 ? "" : "s"} (${shown}); a ${isolation}-mode run starts only from a commit`,
    hint:
      isolation === "worktree"
        ? "commit or stash them first: every plan's worktree branches from HEAD, so they would be invisible to the agents"
        : "commit or stash them first, so no agent commits them with its own work",
  };
}
