/**
 * How parallel agents share the repository. `shared`: one working tree, commits through
 * `gsd-async commit` (exactly the named paths, under the repository lock). `worktree`: one git
 * worktree and branch per plan, merged into the phase's integration branch when the plan completes.
 */
export const ISOLATIONS = ["shared", "worktree"] as const;
export type Isolation = (typeof ISOLATIONS)[number];

export function isIsolation(v: string): v is Isolation {
  return (ISOLATIONS as readonly string[]).includes(v);
}
