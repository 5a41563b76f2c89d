/**
 * What the workflow script returned (workflows/run-phase.js), as Claude Code saved it when the
 * workflow ended. The agents record their own outcomes with the helper; this report settles the
 * plans whose agent never did (it died on an API error, or ended without running its line), and
 * hands back the plans the script skipped. It is matched to the claims it answers by run and launch.
 */
export type ReportedOutcome = "completed" | "failed" | "no-result" | "skipped";

export interface WorkflowReport {
  run: string;
  /** The `launch` of the args it ran: claims of another launch are not its business. */
  launch: string;
  results: Map<string, { outcome: ReportedOutcome; reason: string | null }>;
}

/** A workflow agent that has started, and the attempt of the plan its prompt names. */
export interface WorkflowAgent {
  agentId: string;
  runId: string;
  planFile: string;
  attempt: number;
}

const OUTCOMES: readonly string[] = ["completed", "failed", "no-result", "skipped"];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The script's return value, or null when `value` is not one (another workflow's result). */
export function parseReport(value: unknown): WorkflowReport | null {
  if (!isRecord(value) || typeof value.gsdAsyncRun !== "string" || typeof value.launch !== "string" || !isRecord(value.results)) return null;
  const results = new Map<string, { outcome: ReportedOutcome; reason: string | null }>();
  for (const [id, r] of Object.entries(value.results)) {
    if (!isRecord(r) || typeof r.outcome !== "string" || !OUTCOMES.includes(r.outcome)) continue;
    results.set(id, { outcome: r.outcome as ReportedOutcome, reason: typeof r.reason === "string" ? r.reason.slice(0, 500) : null });
  }
  return { run: value.gsdAsyncRun, launch: value.launch, results };
}

/** Finds the script's return value anywhere inside a saved run file, whatever its wrapping. */
export function findReport(value: unknown, depth = 0): WorkflowReport | null {
  const direct = parseReport(value);
  if (direct || depth > 6) return direct;
  if (typeof value === "string" && value.includes("gsdAsyncRun")) {
    try {
      return findReport(JSON.parse(value) as unknown, depth + 1);
    } catch {
      return null;
    }
  }
  const children = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
  for (const c of children) {
    const r = findReport(c, depth + 1);
    if (r) return r;
  }
  return null;
}
