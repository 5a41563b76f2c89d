import { emptyHistory } from "../core/queue/history-schema";
import type { QueueState } from "../core/queue/queue-event";
import { BUDGET_STORE, budgetPath } from "./budget-store";
import { type LockOptions, withFileLock } from "./file-lock";
import { HISTORY_STORE, historyPath } from "./history-store";
import { readStore, writeStore } from "./json-store";
import { LockError } from "./state-errors";

export interface QueueTxOptions extends LockOptions {
  /** false: read both files without locks and write nothing (`status --peek`, `start --dry-run`). */
  write?: boolean;
}

/**
 * The queue's one transaction: take the ledger lock, then the history lock (always in this
 * order: no code path takes them the other way round, so two commands cannot deadlock), read
 * both, run `fn`, write what changed (ledger first: a reservation without its hand-out is
 * harmless, a hand-out without its reservation could overspend), release. If a lock was taken
 * over while held (the holder stalled past the stale time), nothing is written and the whole
 * transaction runs again on fresh state: `fn` must be pure.
 */
export async function withQueueState<T>(root: string, fn: (s: QueueState) => { state: QueueState; result: T }, o: QueueTxOptions = {}): Promise<T> {
  const read = () => {
    const h = readStore(root, HISTORY_STORE);
    const l = readStore(root, BUDGET_STORE);
    return { h, l, state: { history: h.value ?? emptyHistory(), ledger: l.value } };
  };
  if (o.write === false) return fn(read().state).result;
  for (let attempt = 1; ; attempt++) {
    const done = await withFileLock(
      budgetPath(root),
      (ledgerLost) =>
        withFileLock(
          historyPath(root),
          async (historyLost) => {
            const { h, l, state } = read();
            const out = fn(state);
            if (ledgerLost() || historyLost()) return { redo: true as const };
            if (out.state.ledger !== null && out.state.ledger !== state.ledger) await writeStore(root, BUDGET_STORE, out.state.ledger, l.text);
            // Looking must not create the history file: a new empty history is not written.
            const next = out.state.history;
            if (next !== state.history && (h.text !== null || next.entries.length > 0 || next.runs.length > 0))
              await writeStore(root, HISTORY_STORE, next, h.text);
            return { redo: false as const, result: out.result };
          },
          o,
        ),
      o,
    );
    if (!done.redo) return done.result;
    if (attempt >= 3) throw new LockError(historyPath(root) + ".lock", "the queue lock was taken over three times while held: is this machine overloaded?");
  }
}
