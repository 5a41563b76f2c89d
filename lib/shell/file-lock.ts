import { lstatSync, rmdirSync } from "node:fs";
import { LockError } from "./state-errors";
import { properLockfile } from "./lazy-deps";

export interface LockOptions {
  /** Told once when the wait grows long, so a person sees why a command pauses. */
  onWait?: (message: string) => void;
  /** Longest wait for the lock before giving up with a LockError. */
  maxWaitMs?: number;
}

const STALE_MS = 10_000;
const WARN_AFTER_MS = 3_000;
/** A lock whose mtime is this far in the future was not refreshed by a live holder on this clock. */
const FUTURE_SLACK_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A lock path that cannot be a live lock: a regular file, or a directory from the future. */
function clearBogusLock(lockPath: string): void {
  let st;
  try {
    st = lstatSync(lockPath);
  } catch {
    return;
  }
  if (!st.isDirectory()) {
    throw new LockError(
      lockPath,
      `${lockPath} is not a lock directory (it is a ${st.isSymbolicLink() ? "symbolic link" : "file"}): remove it if no gsd-async command is running`,
    );
  }
  if (st.mtimeMs > Date.now() + FUTURE_SLACK_MS) {
    try {
      rmdirSync(lockPath);
    } catch {
      throw new LockError(lockPath, `${lockPath} has a modification time in the future and could not be removed: remove it if no gsd-async command is running`);
    }
  }
}

/**
 * Runs `fn` holding the inter-process lock of `file`: a `<file>.lock` directory (proper-lockfile:
 * atomic mkdir, refreshed every 2 s while held, taken over when stale after 10 s, so a killed
 * writer cannot wedge anyone). Waiters poll with growing, jittered back-off and never give up
 * before `maxWaitMs` (default 10 minutes), so a crowd of writers queues up instead of failing.
 * `fn` receives `lost()`: true when the lock was taken over while held (the holder stalled past
 * the stale time), so the caller can redo its transaction instead of writing over another's.
 */
export async function withFileLock<T>(file: string, fn: (lost: () => boolean) => Promise<T>, o: LockOptions = {}): Promise<T> {
  const lockPath = `${file}.lock`;
  const started = Date.now();
  const maxWait = o.maxWaitMs ?? 600_000;
  let warned = false;
  let compromised = false;
  let release: () => Promise<void>;
  for (let n = 0; ; n++) {
    clearBogusLock(lockPath);
    try {
      release = await properLockfile().lock(file, {
        realpath: false,
        lockfilePath: lockPath,
        stale: STALE_MS,
        update: 2_000,
        retries: 0,
        onCompromised: () => {
          compromised = true;
        },
      });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException)?.code !== "ELOCKED") throw err;
      const waited = Date.now() - started;
      if (waited > maxWait)
        throw new LockError(lockPath, `${lockPath} is still held after ${Math.round(waited / 1000)} s: is another gsd-async command stuck?`);
      if (!warned && waited > WARN_AFTER_MS) {
        warned = true;
        o.onWait?.(`waiting for ${lockPath} (another gsd-async command holds it)`);
      }
      await sleep(Math.min(200, 5 * 1.25 ** Math.min(n, 20)) * (0.5 + Math.random()));
    }
  }
  try {
    return await fn(() => compromised);
  } finally {
    await release().catch(() => undefined);
  }
}
