/**
 * What happened to each plan job of a workflow run, from the summary job's view: the job ids
 * the export wrote (`jobs`: job id -> plan id) and GitHub's `needs` context (each job's
 * `result` and `outputs`), written to a file by the summary step.
 */
export type RunOutcome = "completed" | "already-complete" | "failed" | "skipped" | "cancelled";

export type OutcomesResult = { ok: true; outcomes: Map<string, RunOutcome> } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function runOutcomes(text: string): OutcomesResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `not JSON: ${(err as Error).message}` };
  }
  if (!isObject(parsed) || !isObject(parsed.jobs) || !isObject(parsed.needs))
    return { ok: false, message: "expected an object with `jobs` and `needs` objects" };
  const outcomes = new Map<string, RunOutcome>();
  for (const [job, plan] of Object.entries(parsed.jobs)) {
    if (typeof plan !== "string") continue;
    const need = parsed.needs[job];
    const result = isObject(need) ? need.result : undefined;
    const said = isObject(need) && isObject(need.outputs) ? need.outputs.outcome : undefined;
    if (result === "success") outcomes.set(plan, said === "already-complete" ? "already-complete" : "completed");
    else if (result === "failure") outcomes.set(plan, "failed");
    else if (result === "cancelled") outcomes.set(plan, "cancelled");
    else outcomes.set(plan, "skipped");
  }
  return { ok: true, outcomes };
}
