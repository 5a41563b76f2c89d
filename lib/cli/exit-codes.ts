/**
 * Exit codes, in one place. Commands return an outcome kind; only `main` turns it into a number.
 * - 0 ok: the command did its job (for `check`: no problems).
 * - 1 problems: the plans have problems (`check`), or the requested work failed.
 * - 2 usage: unknown flag or command, bad argument value, a phase that does not exist.
 * - 3 no project: no `.planning/` directory at or above the working directory.
 * - 4 state: `.planning/agent-history.json` or `token-budget.json` is corrupt or invalid, or (install,
 *   uninstall) `settings.json` or `install-manifest.json` is; the file is left untouched.
 * - 5 in progress: `status` found work still running or queued (0 means the phase is done).
 * - 6 environment: a file could not be read or written (permissions, full disk, a directory that vanished); nothing was changed.
 * - 7 locked: a state file's lock could not be taken (held past the wait limit, or the lock path is not a lock).
 * - 8 refused: `commit` refused its paths (outside the project, inside .git, not changed, ignored); nothing was committed.
 * - 70 internal: a bug in gsd-async (an invariant broke); the message asks for a report.
 */
export const EXIT = { ok: 0, problems: 1, usage: 2, noProject: 3, state: 4, inProgress: 5, environment: 6, locked: 7, refused: 8, internal: 70 } as const;

export type OutcomeKind = keyof typeof EXIT;

/** A failure the user can act on, carried to `main` as a value. */
export interface Failure {
  kind: Exclude<OutcomeKind, "ok" | "problems" | "inProgress" | "refused">;
  message: string;
  hint?: string;
}

/** A command whose exit code is another program's own (`exclusive` passes its command's code through). */
export interface PassThroughExit {
  exitCode: number;
}
