import type { AnalyzedPlan } from "../graph/analysis";
import { expectedSummaryPath } from "../plan/planning-tree";
import type { SchedPlan, Strategy } from "../schedule/scheduler";
import { type WorkflowItem, workflowItem } from "../workflow/engine";
import { type PlanPrompt, workflowArgs } from "../workflow/workflow-args";
import type { WorkflowAgent, WorkflowReport } from "../workflow/workflow-report";
import type { HistoryEntry, RunRecord } from "./history-schema";
import type { AgentEvidence, AgentKind, QueueFacts } from "./queue-event";
import type { Transition } from "./run-status";
import { buildSpawn } from "./spawn";
import { planWorktree } from "./plan-worktree";

/** The step's working copy, as far as a workflow run needs it (advance.ts's Work). */
export interface Applier {
  apply(e: HistoryEntry, t: Transition, reason: string, patch?: Partial<HistoryEntry>): HistoryEntry;
}

/** What reconcile knows of a claimed plan besides its entry. */
export interface ClaimContext {
  /** Its SUMMARY.md is in the project. */
  summary: boolean;
  /** The run is in worktree mode. */
  worktree: boolean;
}

/** The error of a worktree-mode plan the workflow reports completed although its branch was never merged. */
export const WORKFLOW_NOT_MERGED =
  "its workflow agent reported completion but never ran its done line, so its branch was not merged: run that line (gsd-async complete) to merge it";

/** The error of a plan whose workflow agent ended without recording an outcome. */
export const WORKFLOW_NO_REPORT = "its workflow agent ended without recording an outcome";

/**
 * A claim of a workflow that is over, or whose process is gone: the plan is settled from the
 * script's report (what its agent returned) or handed back to the queue. Returns whether it acted.
 * A claim with neither (the workflow still runs) is left alone: it is never offered to an agent.
 */
export function settleClaim(w: Applier, e: HistoryEntry, reports: readonly WorkflowReport[], evidence: AgentEvidence | undefined, c: ClaimContext): boolean {
  const report = reports.find((r) => r.run === e.run_id && r.launch === e.workflow_launch);
  const said = report?.results.get(e.plan);
  if (report) {
    switch (said?.outcome) {
      case "completed":
        // In worktree mode completing is merging, which only the agent's done line does.
        if (c.worktree) {
          w.apply(e, "fail", "the workflow's report says completed, but its agent never ran done", { error: WORKFLOW_NOT_MERGED });
          return true;
        }
        w.apply(e, "complete", "the workflow's report says its agent completed it");
        return true;
      case "failed":
      case "no-result":
        w.apply(e, "fail", "the workflow's report says its agent did not finish it", {
          error: said.reason ?? WORKFLOW_NO_REPORT,
          ...(c.summary ? { summary_at_failure: true } : {}),
        });
        return true;
      case "skipped":
      case undefined:
        // Someone finished it by hand: its SUMMARY.md decides, as for any plan.
        if (c.summary) return false;
        // Not run by the workflow (a prerequisite failed): queued again, and blocked by the schedule.
        if (e.status === "dispatched") w.apply(e, "expire", "the workflow ended without running it");
        else w.apply(e, "fail", "the workflow ended and its agent never reported", { error: WORKFLOW_NO_REPORT });
        return true;
    }
  }
  if (!c.summary && evidence?.process === "dead" && e.status === "dispatched") {
    w.apply(e, "expire", "the Claude Code process that ran its workflow has ended");
    return true;
  }
  return false;
}

/** A claimed plan whose workflow agent has started (the workflow's journal says so): it runs as that agent. */
export function linkWorkflowAgent(w: Applier, e: HistoryEntry, agents: readonly WorkflowAgent[]): HistoryEntry {
  if (e.status !== "dispatched" || e.workflow_launch == null) return e;
  const a = agents.find((x) => x.runId === e.run_id && x.planFile === e.plan_file && x.attempt === e.attempt);
  return a ? w.apply(e, "spawn", "its workflow agent has started", { agent_id: a.agentId }) : e;
}

export interface WorkflowLaunchInput {
  run: RunRecord;
  facts: QueueFacts;
  agent: AgentKind;
  /** The phase as the scheduler sees it, after this step's reconciling and retries. */
  sched: readonly SchedPlan[];
  entries: readonly HistoryEntry[];
  planById: ReadonlyMap<string, AnalyzedPlan>;
  cap: number;
}

/**
 * `start` of a workflow run: the args for every plan left that the workflow can run, and a claim
 * on each (dispatched, with the launch), so no agent of the queue and no other window starts it.
 */
export function launchWorkflow(w: Applier, i: WorkflowLaunchInput): WorkflowItem | null {
  const f = i.facts;
  const entryOf = new Map(i.entries.map((e) => [e.plan, e]));
  const prompts = new Map<string, PlanPrompt>();
  for (const p of i.sched) {
    const e = entryOf.get(p.id);
    const plan = i.planById.get(p.id);
    if (!e || !plan || e.status !== "queued") continue;
    const spawn = buildSpawn({
      planId: plan.id,
      planFile: plan.file,
      summaryFile: expectedSummaryPath(plan.file),
      runId: i.run.run_id,
      attempt: e.attempt,
      projectRoot: f.projectRoot,
      helper: f.helper,
      hasCheckpoints: !plan.autonomous,
      agent: i.agent,
      ...(f.exclusive ? { exclusive: f.exclusive } : {}),
      ...(i.run.isolation === "worktree"
        ? { worktree: planWorktree(i.run, i.run.phase_dir, plan.id, f.projectRoot), worktreeOnRequest: true }
        : i.run.repo_top !== undefined
          ? { sharedRepo: true }
          : {}),
    });
    prompts.set(p.id, { prompt: spawn.agentInput.prompt, agentType: i.agent.kind === "plugin-agent" ? i.agent.subagentType : null });
  }
  const args = workflowArgs({
    runId: i.run.run_id,
    launch: f.now,
    phaseDir: i.run.phase_dir,
    cap: i.cap,
    strategy: i.run.strategy as Strategy,
    includeCheckpoints: i.run.include_checkpoints,
    plans: i.sched,
    prompts,
  });
  if (args.plans.length === 0) return null;
  for (const p of args.plans) {
    const e = entryOf.get(p.id) as HistoryEntry;
    w.apply(e, "dispatch", "claimed by the workflow run", {
      dispatched_at: f.now,
      dispatched_session: f.sessionId,
      workflow_launch: f.now,
      agent_process: f.process,
    });
  }
  return workflowItem(args);
}
