/**
 * Names of the locks `gsd-async exclusive` takes (and of the commands in
 * `parallelization.exclusive`): a lock name becomes a file name, so it is kept to a safe alphabet.
 */
export const LOCK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The lock every commit and merge of the repository takes. Exclusive names cannot collide with it. */
export const REPO_LOCK = "repository";

/** The file name of a named lock; exclusive locks get a prefix so no name can be the repository lock. */
export function lockFileName(kind: "repository" | "exclusive", name?: string): string {
  return kind === "repository" ? `${REPO_LOCK}.lock` : `exclusive-${name ?? ""}.lock`;
}

export function isLockName(name: string): boolean {
  return LOCK_NAME.test(name);
}
