/**
 * What a named lock file holds: who has it, since when, and for what. A lock is held while its
 * holder process, or the process group of the command it runs, is alive; a waiter on the same
 * host that finds both dead removes the lock. The content lets a waiting agent say what it waits for.
 */
export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  since: string;
  what: string;
  /** Process group of the command run under the lock (it may outlive a killed holder). */
  group?: number;
}

export function parseOwner(text: string): LockOwner | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid !== "number" || typeof v.host !== "string" || typeof v.token !== "string") return undefined;
    const owner: LockOwner = { pid: v.pid, host: v.host, token: v.token, since: String(v.since ?? ""), what: String(v.what ?? "") };
    if (typeof v.group === "number") owner.group = v.group;
    return owner;
  } catch {
    return undefined;
  }
}

/** Whether the lock may be taken over: only on the same host, and only when nothing of the holder lives. */
export function isAbandoned(owner: LockOwner, host: string, alive: (pid: number) => boolean, groupAlive: (pgid: number) => boolean): boolean {
  if (owner.host !== host) return false;
  if (alive(owner.pid)) return false;
  return owner.group === undefined || !groupAlive(owner.group);
}

export function waitingText(lock: string, owner: LockOwner | undefined): string {
  if (!owner) return `gsd-async: waiting for the ${lock} lock\n`;
  return `gsd-async: waiting for the ${lock} lock (held by pid ${owner.pid}${owner.what ? `: ${owner.what}` : ""}, since ${owner.since})\n`;
}
