import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type BudgetProblem, type Ledger, parseBudgetText } from "../core/budget/budget-schema";
import { withFileLock } from "./file-lock";
import { atomicWrite } from "./lazy-deps";
import { PLANNING_DIR } from "./planning-root";

export const BUDGET_FILE = `${PLANNING_DIR}/token-budget.json`;

/** The ledger cannot be used; it has not been touched (and is never overwritten). */
export class BudgetFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: BudgetProblem[],
  ) {
    super(
      `${file} is not a valid gsd-async token budget: ${problems
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join("; ")}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ""}`,
    );
  }
}

export function budgetPath(root: string): string {
  return join(root, BUDGET_FILE);
}

/** Reads and validates the ledger; null when there is none. Never writes. */
export function readBudget(root: string): Ledger | null {
  const file = budgetPath(root);
  if (!existsSync(file)) return null;
  const parsed = parseBudgetText(readFileSync(file, "utf8"));
  if (!parsed.ok) throw new BudgetFileError(BUDGET_FILE, parsed.problems);
  return parsed.ledger;
}

/** Runs `fn` under the ledger's inter-process lock (see withFileLock). */
export function withBudgetLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  return withFileLock(budgetPath(root), fn);
}

/** Atomic: a temp file is written, fsynced and renamed over the old one. Call under the lock. */
export async function writeBudget(root: string, ledger: Ledger): Promise<void> {
  await atomicWrite(budgetPath(root), JSON.stringify(ledger, null, 2) + "\n", { fsync: true });
}

/**
 * The locked read-modify-write. `fn` sees the ledger (null when there is none) and returns the
 * ledger to write, or none to leave the file as it is. A corrupt file throws BudgetFileError
 * before `fn` runs, so it is never overwritten. Two processes reserving at once are serialised
 * here: the second one reads what the first one wrote.
 */
export function updateBudget<T>(root: string, fn: (ledger: Ledger | null) => { ledger?: Ledger; result: T }): Promise<T> {
  return withBudgetLock(root, async () => {
    const { ledger, result } = fn(readBudget(root));
    if (ledger) await writeBudget(root, ledger);
    return result;
  });
}
