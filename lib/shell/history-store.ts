import { type History, emptyHistory } from "../core/queue/history-schema";
import { readHistoryText } from "../core/queue/history-migrate";
import { withFileLock, type LockOptions } from "./file-lock";
import { type JsonStore, readStore, storePath, writeStore } from "./json-store";
import { PLANNING_DIR } from "./planning-root";

/** `.planning/agent-history.json`: the queue. */
export const HISTORY_STORE: JsonStore<History> = {
  file: `${PLANNING_DIR}/agent-history.json`,
  label: "gsd-async history",
  parse: (text) => {
    const r = readHistoryText(text);
    return r.ok ? { ok: true, value: r.history } : { ok: false, problems: r.problems };
  },
  serialize: (h) => JSON.stringify(h, null, 2) + "\n",
};

export const HISTORY_FILE = HISTORY_STORE.file;

export function historyPath(root: string): string {
  return storePath(root, HISTORY_STORE);
}

/** Reads and validates the history; a missing file is an empty history. Never writes. */
export function readHistory(root: string): { history: History; exists: boolean; text: string | null } {
  const r = readStore(root, HISTORY_STORE);
  return { history: r.value ?? emptyHistory(), exists: r.value !== null, text: r.text };
}

/**
 * A read-modify-write of the history alone, under its lock. Queue commands use withQueueState
 * (both files, in lock order); this is for changes that never touch the token ledger.
 */
export async function updateHistory<T>(root: string, fn: (h: History) => { history: History; result: T }, o: LockOptions = {}): Promise<T> {
  return withFileLock(
    historyPath(root),
    async () => {
      const { history, text } = readHistory(root);
      const out = fn(history);
      // Looking must not create the file: a new empty history is not written.
      if (text !== null || out.history.entries.length > 0 || out.history.runs.length > 0) await writeStore(root, HISTORY_STORE, out.history, text);
      return out.result;
    },
    o,
  );
}
