/**
 * Why a state file (agent-history.json, token-budget.json) could not be used. Each is a value
 * the CLI maps to its own exit code; in every case the file was left exactly as it was.
 */

/** A problem found in one place of a file's content. */
export interface StateProblem {
  path: string;
  message: string;
}

/** The file's content is not a valid state file (corrupt, hand-edited, a newer version, a symlink). */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    readonly label: string,
    readonly problems: StateProblem[],
  ) {
    super(
      `${file} is not a valid ${label}: ${problems
        .slice(0, 5)
        .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
        .join("; ")}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ""}`,
    );
  }
}

/** The file system refused: permissions, a full disk, a read-only mount, a directory that vanished. */
export class StateIoError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** A lock could not be taken: held for longer than the wait allows, or the lock path is not a lock. */
export class LockError extends Error {
  constructor(
    readonly lockPath: string,
    message: string,
  ) {
    super(message);
  }
}

const IO_WORDS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOENT: "the file or its directory no longer exists",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  EIO: "input/output error",
};

/** Turns an error from the file system into a StateIoError naming the file; anything else is rethrown. */
export function ioError(file: string, err: unknown, doing: string): StateIoError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (typeof code === "string" && code in IO_WORDS) return new StateIoError(file, code, `could not ${doing} it: ${IO_WORDS[code]} (${code})`);
  throw err;
}
