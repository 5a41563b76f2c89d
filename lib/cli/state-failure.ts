import { BudgetFileError } from "../shell/budget-store";
import { HistoryFileError } from "../shell/history-store";
import type { Failure } from "./exit-codes";

/**
 * A state file (agent-history.json, token-budget.json) that cannot be used becomes a `state`
 * failure (exit 4) that says the file was left alone and how to recover; anything else is a bug
 * and is thrown on.
 */
export function stateFailure(err: unknown): Failure {
  if (err instanceof HistoryFileError)
    return { kind: "state", message: err.message, hint: "the file was left as it is; `gsd-async repair` backs it up and rebuilds the queue" };
  if (err instanceof BudgetFileError)
    return { kind: "state", message: err.message, hint: "the file was left as it is: fix it by hand, or move it aside and run gsd-async budget init" };
  throw err;
}
