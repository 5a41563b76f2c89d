import { compareText } from "../common/compare-text";
import { type SchedPlan, type Strategy, remainingPath } from "../schedule/scheduler";

/** One plan the workflow script runs: what its agent is told, and what must succeed first. */
export interface WorkflowPlan {
  id: string;
  /** Shown in Claude Code's progress tree and written to the run's journal beside the agent id. */
  label: string;
  prompt: string;
  /** A plugin agent type (`agentType` of agent()); absent: the workflow's own subagent. */
  agentType?: string;
  /** Prerequisites in this phase that are not complete yet; each is in `plans` too. */
  after: string[];
}

/** Exactly the Workflow tool's `args` for the plugin's script (workflows/run-phase.js). */
export interface WorkflowArgs {
  /** The gsd-async run the agents report to; the script returns it so its result can be matched. */
  run: string;
  /** When the helper handed these args out: the script returns it, so its report settles only this launch's claims. */
  launch: string;
  phase: string;
  /** Agents at once, at most. */
  cap: number;
  /** Every plan id of `plans`, highest priority first: the order free slots are given out in. */
  order: string[];
  /** Plans already complete: prerequisites the script treats as succeeded. */
  complete: string[];
  plans: WorkflowPlan[];
}

/** What a plan needs from the hand-out: its agent prompt and, for a plugin agent, its type. */
export interface PlanPrompt {
  prompt: string;
  agentType: string | null;
}

export interface WorkflowArgsInput {
  runId: string;
  launch: string;
  phaseDir: string;
  cap: number;
  strategy: Strategy;
  includeCheckpoints: boolean;
  /** The phase as the scheduler sees it, from the analysis and the run's history. */
  plans: readonly SchedPlan[];
  prompts: ReadonlyMap<string, PlanPrompt>;
}

/**
 * The plans a workflow can run to the end without a person: pending, in this run, not waiting on
 * another phase or a limit, not a checkpoint plan (unless included), and every prerequisite either
 * complete or itself runnable. Everything else stays with the queue (it shows why it waits).
 */
function runnable(i: WorkflowArgsInput): Set<string> {
  const byId = new Map(i.plans.map((p) => [p.id, p]));
  const ok = new Set<string>();
  for (const p of i.plans) {
    const eligible = p.state === "pending" && p.hold !== true && p.externalPending.length === 0 && (p.autonomous || i.includeCheckpoints);
    if (eligible && i.prompts.has(p.id)) ok.add(p.id);
  }
  // Drop plans with a prerequisite that will not succeed inside the workflow, until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const id of ok) {
      const p = byId.get(id) as SchedPlan;
      if (p.deps.every((d) => byId.get(d)?.state === "completed" || ok.has(d))) continue;
      ok.delete(id);
      changed = true;
    }
  }
  return ok;
}

/** The Workflow `args` for the unfinished part of a run: a re-run gets only what is left. Pure. */
export function workflowArgs(i: WorkflowArgsInput): WorkflowArgs {
  const run = runnable(i);
  const rank = i.strategy === "critical-path" ? remainingPath(i.plans) : new Map<string, number>();
  const chosen = i.plans.filter((p) => run.has(p.id));
  // The scheduler's order: longest remaining path first, then plan order.
  const order = [...chosen].sort((a, b) => (rank.get(b.id) ?? 0) - (rank.get(a.id) ?? 0) || a.order - b.order).map((p) => p.id);
  const complete = i.plans
    .filter((p) => p.state === "completed")
    .map((p) => p.id)
    .sort(compareText);
  const plans = chosen.map((p): WorkflowPlan => {
    const prompt = i.prompts.get(p.id) as PlanPrompt;
    return {
      id: p.id,
      label: `gsd-async ${p.id}`,
      prompt: prompt.prompt,
      ...(prompt.agentType !== null ? { agentType: prompt.agentType } : {}),
      after: p.deps.filter((d) => run.has(d)),
    };
  });
  return { run: i.runId, launch: i.launch, phase: i.phaseDir, cap: Math.max(1, i.cap), order, complete, plans };
}
