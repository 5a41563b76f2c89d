import { LockError, StateFileError, StateIoError } from "../shell/state-errors";
import type { Failure } from "./exit-codes";

/**
 * A state file that cannot be used, a file system that refuses, or a lock that cannot be had:
 * each becomes a failure with its own exit code that says the data was left alone and what to
 * do. Anything else is a bug and is thrown on.
 */
export function stateFailure(err: unknown): Failure {
  if (err instanceof StateFileError) {
    const hint = err.file.endsWith("token-budget.json")
      ? "the file was left as it is; `gsd-async repair` backs it up and rebuilds it (or `gsd-async budget init --reset` starts a new one)"
      : "the file was left as it is; `gsd-async repair` backs it up and rebuilds the queue";
    return { kind: "state", message: err.message, hint };
  }
  if (err instanceof StateIoError)
    return { kind: "environment", message: err.message, hint: "nothing was changed; fix the permissions, space or directory and run the command again" };
  if (err instanceof LockError) return { kind: "locked", message: err.message, hint: "nothing was changed" };
  throw err;
}
