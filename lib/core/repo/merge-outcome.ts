import { unreachable } from "../common/unreachable";

/** What merging a completed plan's branch into the integration branch did. */
export type MergeOutcome =
  | { kind: "merged"; sha: string; branch: string }
  /** The plan made no commit: there is nothing to merge; its worktree is removed all the same. */
  | { kind: "nothing-to-merge"; branch: string }
  /** The merge was aborted (the integration branch is unchanged); branch and worktree are kept for a person. */
  | { kind: "merge-conflict"; files: string[]; branch: string; worktree: string }
  /** The plan's worktree still has changes nobody committed: nothing is merged or removed. */
  | { kind: "uncommitted"; files: string[]; branch: string; worktree: string };

/** The end of a worktree-mode run: the user's branch fast-forwarded to the integration branch, or the integration branch kept for them. */
export type Landing = { kind: "fast-forwarded"; branch: string; sha: string } | { kind: "kept"; branch: string; reason: string };

/** What the queue does with a merge outcome: the plan completes, or fails with a reason and details kept on its entry. */
export type MergeEffect =
  | { transition: "complete"; patch: { merge: { branch: string; sha: string | null } } }
  | {
      transition: "fail";
      reason: "merge-conflict" | "uncommitted";
      error: string;
      patch: { merge_conflict: { files: string[]; branch: string; worktree: string } } | { uncommitted: { files: string[]; branch: string; worktree: string } };
    };

const list = (files: readonly string[]) => `${files.slice(0, 10).join(", ")}${files.length > 10 ? ` (+${files.length - 10} more)` : ""}`;

export function mergeEffect(o: MergeOutcome): MergeEffect {
  switch (o.kind) {
    case "merged":
      return { transition: "complete", patch: { merge: { branch: o.branch, sha: o.sha } } };
    case "nothing-to-merge":
      return { transition: "complete", patch: { merge: { branch: o.branch, sha: null } } };
    case "merge-conflict":
      return {
        transition: "fail",
        reason: "merge-conflict",
        error: `merge-conflict: ${list(o.files)}; branch ${o.branch} and worktree ${o.worktree} are kept for a person to merge`,
        patch: { merge_conflict: { files: [...o.files], branch: o.branch, worktree: o.worktree } },
      };
    case "uncommitted":
      return {
        transition: "fail",
        reason: "uncommitted",
        error: `uncommitted changes in ${o.worktree}: ${list(o.files)}; nothing was merged (commit them with gsd-async commit, then complete again)`,
        patch: { uncommitted: { files: [...o.files], branch: o.branch, worktree: o.worktree } },
      };
    default:
      return unreachable(o);
  }
}

/**
 * Whether a plan's worktree may be created now: only when every prerequisite has been merged
 * into the integration branch, so the plan builds on its prerequisites' code.
 */
export function readyToBranch(dependsOn: readonly string[], merged: ReadonlySet<string>): { ready: true } | { ready: false; waitingFor: string[] } {
  const waitingFor = dependsOn.filter((d) => !merged.has(d));
  return waitingFor.length === 0 ? { ready: true } : { ready: false, waitingFor };
}
