import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { withFileLock } from "./file-lock";
import { atomicWrite } from "./lazy-deps";
import { type History, emptyHistory } from "../core/queue/history-schema";
import { type HistoryProblem, readHistoryText } from "../core/queue/history-migrate";
import { retain } from "../core/queue/history-ops";
import { PLANNING_DIR } from "./planning-root";

export const HISTORY_FILE = `${PLANNING_DIR}/agent-history.json`;

/** The history file cannot be used; it has not been touched. */
export class HistoryFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: HistoryProblem[],
  ) {
    super(
      `${file} is not a valid gsd-async history: ${problems
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join("; ")}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ""}`,
    );
  }
}

export function historyPath(root: string): string {
  return join(root, HISTORY_FILE);
}

/** Reads and validates the history; a missing file is an empty history. Never writes. */
export function readHistory(root: string): { history: History; migratedFrom?: string; exists: boolean } {
  const file = historyPath(root);
  if (!existsSync(file)) return { history: emptyHistory(), exists: false };
  const parsed = readHistoryText(readFileSync(file, "utf8"));
  if (!parsed.ok) throw new HistoryFileError(HISTORY_FILE, parsed.problems);
  return parsed.migratedFrom === undefined
    ? { history: parsed.history, exists: true }
    : { history: parsed.history, migratedFrom: parsed.migratedFrom, exists: true };
}

/**
 * Runs `fn` under the inter-process lock of the history file; `updateHistory` is the
 * read-modify-write built on it. The lock is a directory next to the file
 * (proper-lockfile: atomic mkdir, refreshed while held, taken over when stale after 10 s, so a
 * killed writer cannot wedge the queue). The write is atomic: a temp file is written, fsynced and
 * renamed over the old one, so readers see the old or the new file, never half of one.
 */
export function withHistoryLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  return withFileLock(historyPath(root), fn);
}

export async function writeHistory(root: string, history: History): Promise<void> {
  await atomicWrite(historyPath(root), JSON.stringify(retain(history), null, 2) + "\n", { fsync: true });
}

export async function updateHistory<T>(root: string, fn: (h: History) => { history: History; result: T }): Promise<T> {
  return withHistoryLock(root, async () => {
    const { history, exists } = readHistory(root);
    const { history: next, result } = fn(history);
    // Looking must not create or touch the file: write only when something changed.
    const unchanged = exists ? JSON.stringify(next) === JSON.stringify(history) : next.entries.length === 0 && next.runs.length === 0;
    if (!unchanged) await writeHistory(root, next);
    return result;
  });
}

/** Moves an unusable history file aside (never deletes it) and returns the backup's name. */
export function backupHistory(root: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  const backup = `${HISTORY_FILE}.corrupt-${stamp}.bak`;
  renameSync(historyPath(root), join(root, backup));
  return backup;
}
