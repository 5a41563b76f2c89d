import { type Ledger, parseBudgetText } from "../core/budget/budget-schema";
import { withFileLock, type LockOptions } from "./file-lock";
import { type JsonStore, readStore, storePath, writeStore } from "./json-store";
import { PLANNING_DIR } from "./planning-root";

/** `.planning/token-budget.json`: the token ledger. */
export const BUDGET_STORE: JsonStore<Ledger> = {
  file: `${PLANNING_DIR}/token-budget.json`,
  label: "gsd-async token budget",
  parse: (text) => {
    const r = parseBudgetText(text);
    return r.ok ? { ok: true, value: r.ledger } : { ok: false, problems: r.problems };
  },
  serialize: (l) => JSON.stringify(l, null, 2) + "\n",
};

export const BUDGET_FILE = BUDGET_STORE.file;

export function budgetPath(root: string): string {
  return storePath(root, BUDGET_STORE);
}

/** Reads and validates the ledger; null when there is none. Never writes. */
export function readBudget(root: string): Ledger | null {
  return readStore(root, BUDGET_STORE).value;
}

/**
 * The locked read-modify-write of the ledger alone. `fn` sees the ledger (null when there is
 * none) and returns the ledger to write, or none to leave the file as it is. A corrupt file
 * throws StateFileError before `fn` runs, so it is never overwritten. Two processes reserving at
 * once are serialised here: the second one reads what the first one wrote.
 */
export function updateBudget<T>(root: string, fn: (ledger: Ledger | null) => { ledger?: Ledger; result: T }, o: LockOptions = {}): Promise<T> {
  return withFileLock(
    budgetPath(root),
    async () => {
      const before = readStore(root, BUDGET_STORE);
      const { ledger, result } = fn(before.value);
      if (ledger) await writeStore(root, BUDGET_STORE, ledger, before.text);
      return result;
    },
    o,
  );
}
