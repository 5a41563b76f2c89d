import { type FSWatcher, linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, watch, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { type LockOwner, isAbandoned, parseOwner, waitingText } from "../../core/repo/lock-owner";
import { nodeCrypto } from "../lazy-deps";

export interface LockOptions {
  /** What the holder does, shown to waiters. */
  what: string;
  /** Called once when the lock is busy, and again whenever its holder changes. */
  onWait?: (text: string) => void;
}

/** A held lock: `setGroup` records the process group of a command run under it. */
export interface HeldLock {
  setGroup(pgid: number | undefined): void;
}

/**
 * An inter-process lock that waits instead of failing. The lock is a file created with `link(2)`
 * from a fully written temp file, so it appears atomically with its owner record in it. A waiter
 * takes an abandoned lock over (same host, holder and its command's process group dead), so a
 * killed holder never wedges anyone, and a command that outlives its killed holder still counts
 * as holding the lock. Waiters wake on a change of the directory or after a short poll.
 */
export async function withNamedLock<T>(lockFile: string, opts: LockOptions, fn: (held: HeldLock) => Promise<T>): Promise<T> {
  mkdirSync(dirname(lockFile), { recursive: true });
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    token: nodeCrypto().randomBytes(8).toString("hex"),
    since: new Date().toISOString(),
    what: opts.what,
  };
  await acquire(lockFile, owner, opts);
  const held: HeldLock = {
    setGroup(pgid) {
      if (pgid === undefined) delete owner.group;
      else owner.group = pgid;
      const tmp = `${lockFile}.${owner.token}.tmp`;
      writeFileSync(tmp, JSON.stringify(owner));
      renameSync(tmp, lockFile);
    },
  };
  try {
    return await fn(held);
  } finally {
    release(lockFile, owner.token);
  }
}

async function acquire(lockFile: string, owner: LockOwner, opts: LockOptions): Promise<void> {
  const tmp = `${lockFile}.${owner.token}.tmp`;
  writeFileSync(tmp, JSON.stringify(owner));
  let told: string | undefined;
  let delay = 5;
  try {
    for (;;) {
      try {
        linkSync(tmp, lockFile);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const holder = readOwner(lockFile);
      if (holder && isAbandoned(holder, owner.host, alive, groupAlive)) {
        breakLock(lockFile, holder.token);
        continue;
      }
      if (!holder && ageMs(lockFile) > 10_000) {
        // Unreadable for 10 s: not a lock this helper wrote completely; treat it as abandoned.
        breakLock(lockFile, undefined);
        continue;
      }
      const key = holder?.token ?? "?";
      if (told !== key) {
        told = key;
        opts.onWait?.(waitingText(basename(lockFile, ".lock"), holder));
      }
      await changeOrTimeout(dirname(lockFile), delay);
      delay = Math.min(200, delay * 2);
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
}

function release(lockFile: string, token: string): void {
  if (readOwner(lockFile)?.token === token) unlinkSync(lockFile);
}

/** Removes an abandoned lock, unless someone else replaced it meanwhile (a short second lock guards the check). */
function breakLock(lockFile: string, token: string | undefined): void {
  const guard = `${lockFile}.break`;
  try {
    writeFileSync(guard, String(process.pid), { flag: "wx" });
  } catch {
    if (ageMs(guard) > 5_000) tryUnlink(guard);
    return;
  }
  try {
    const now = readOwner(lockFile);
    if (now?.token === token) tryUnlink(lockFile);
  } finally {
    tryUnlink(guard);
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return parseOwner(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function groupAlive(pgid: number): boolean {
  return process.platform === "win32" ? alive(pgid) : alive(-pgid);
}

function changeOrTimeout(dir: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let w: FSWatcher | undefined;
    const done = () => {
      clearTimeout(t);
      w?.close();
      resolve();
    };
    const t = setTimeout(done, ms);
    try {
      w = watch(dir, { persistent: false }, done);
    } catch {
      // polling only
    }
  });
}

/** Where a repository's locks live: shared by all its worktrees. */
export function locksDir(gitCommonDir: string): string {
  return join(gitCommonDir, "gsd-async", "locks");
}
