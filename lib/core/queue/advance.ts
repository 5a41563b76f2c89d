import { budgetCheck, budgetLevelNote, settleStep } from "../budget/budget-gate";
import { type AnalyzedPlan, type PhaseAnalysis, isSettled } from "../graph/analysis";
import { expectedSummaryPath } from "../plan/planning-tree";
import { type SchedPlan, type Schedule, type Strategy, schedule } from "../schedule/scheduler";
import type { History, HistoryEntry, RunRecord } from "./history-schema";
import { activeRun, newEntry, replaceEntry, runEntries, transition } from "./history-ops";
import { DEFAULT_STALL_POLICY, STALLED_PREFIX, ageMinutes, evidenceKey, liveness, readableMinutes, stalledFor } from "./liveness";
import type { AgentKind, QueueEvent, QueueFacts, QueueState } from "./queue-event";
import { GENERAL_PURPOSE, agentKindOf, runAgentType } from "./agent-kind";
import { STATUS, type Transition } from "./run-status";
import { type SpawnInstruction, buildSpawn } from "./spawn";
import { planWorktree } from "./plan-worktree";
import { startGate } from "./start-gate";
import { waitsOnLimit } from "./limit-kind";
import { effectiveCap } from "../schedule/concurrency-backoff";
import { type QueueChange, type StatusView, type StopInstruction, statusView } from "./status-view";
import { launchWorkflow, linkWorkflowAgent, settleClaim } from "./workflow-step";
import { DEFAULT_ENGINE } from "../workflow/engine";

export type AdvanceResult =
  { kind: "advanced"; state: QueueState; view: StatusView } | { kind: "refused"; reasons: string[]; diagnostics: PhaseAnalysis["diagnostics"] };

/** The error of an agent whose Claude Code process ended under it. */
export const LOST_WITH_PROCESS = "interrupted: the Claude Code process it ran in has ended";

/** A mutable working copy for one step; every status change goes through `apply`. */
class Work {
  changes: QueueChange[] = [];
  constructor(
    public h: History,
    readonly now: string,
  ) {}
  apply(e: HistoryEntry, t: Transition, reason: string, patch: Partial<HistoryEntry> = {}): HistoryEntry {
    const next = transition(e, t, this.now, patch);
    // A retry is a new attempt: it is added, and the finished attempt stays as it was.
    this.h = t === "retry" ? { ...this.h, entries: [...this.h.entries, next] } : replaceEntry(this.h, next);
    // A hand-out is reported as a spawn item, not as a change.
    if (t !== "dispatch") this.changes.push({ plan: e.plan, transition: t, reason });
    return next;
  }
  patch(e: HistoryEntry, patch: Partial<HistoryEntry>): HistoryEntry {
    const next = { ...e, ...patch };
    this.h = replaceEntry(this.h, next);
    return next;
  }
  setRun(run: RunRecord): void {
    this.h = { ...this.h, runs: this.h.runs.map((r) => (r.run_id === run.run_id ? run : r)) };
  }
}

/** Creates the run, or fits an active run to what `start` asked: widened scope, a new cap. */
function openRun(w: Work, a: PhaseAnalysis, f: QueueFacts, ev: Extract<QueueEvent, { kind: "start" }>, active: RunRecord | undefined): RunRecord {
  const o = ev.options;
  if (!active) {
    const run: RunRecord = {
      run_id: o.newRunId,
      phase_dir: a.phase.dir,
      started_at: f.now,
      max_concurrent: o.maxConcurrent ?? f.settings.maxConcurrent,
      strategy: o.strategy ?? "critical-path",
      include_checkpoints: o.includeCheckpoints ?? f.settings.includeCheckpoints,
      session_id: f.sessionId,
    };
    if (o.scope) run.scope = [...o.scope];
    run.agent_type = f.agent.requested ?? f.agent.preferred;
    // Absent means shared, as in runs from before worktree mode.
    if (o.isolation === "worktree") {
      if (o.repoTop === undefined) throw new Error("a worktree-mode run needs the repository's top directory");
      run.isolation = "worktree";
    }
    if (o.repoTop !== undefined) run.repo_top = o.repoTop;
    const engine = o.engine ?? f.settings.engine ?? DEFAULT_ENGINE;
    if (engine !== DEFAULT_ENGINE) run.engine = engine;
    w.h = { ...w.h, runs: [...w.h.runs, run] };
    return run;
  }
  const run: RunRecord = { ...active };
  // One run per phase: a whole-phase start widens a single-plan run; two single plans share one.
  if (o.scope === undefined) delete run.scope;
  else if (run.scope) run.scope = [...new Set([...run.scope, ...o.scope])];
  if (o.maxConcurrent !== undefined) run.max_concurrent = o.maxConcurrent;
  if (o.strategy !== undefined) run.strategy = o.strategy;
  if (o.includeCheckpoints !== undefined) run.include_checkpoints = o.includeCheckpoints;
  // Each start may choose the engine anew: claims of a running workflow stay until it ends.
  const engine = o.engine ?? f.settings.engine ?? DEFAULT_ENGINE;
  if (engine === DEFAULT_ENGINE) delete run.engine;
  else run.engine = engine;
  w.setRun(run);
  return run;
}

/**
 * An explicit `--agent-type` other than the run's (the protocol's answer to the Agent tool not
 * knowing the plugin's type): the run switches, and the claims no agent took are handed out again
 * now rather than when their lease runs out. A claimed call that did start an agent was linked by
 * its PostToolUse before the caller saw any Agent result, so an unlinked claim here is a refused one.
 */
function switchAgentType(w: Work, run: RunRecord, f: QueueFacts): { run: RunRecord; reoffer: string[] } {
  const wanted = f.agent.requested;
  const had = run.agent_type ?? GENERAL_PURPOSE;
  if (wanted === undefined || wanted === had) return { run, reoffer: [] };
  const next: RunRecord = { ...run, agent_type: wanted };
  w.setRun(next);
  const reoffer: string[] = [];
  // Only this session's claims: another window's Agent call may be in flight right now.
  for (const e of runEntries(w.h, run.run_id)) {
    if (e.status === "spawned" && e.agent_id === null && e.session_id === f.sessionId)
      w.apply(e, "relaunch", `no ${had} agent started; handed out again as ${wanted}`);
    else if (e.status === "dispatched" && e.dispatched_session === f.sessionId) reoffer.push(e.plan);
  }
  return { run: next, reoffer };
}

const inScope = (run: RunRecord, p: AnalyzedPlan) => run.scope === undefined || run.scope.includes(p.file);

interface Reconciled {
  reoffer: Set<string>;
  /** Minutes of silence of each stalled agent still at work, by plan id. */
  stalled: Map<string, number>;
  /** Agents stopped for stalling: the orchestrator is told to end them (their plans are retried). */
  stop: StopInstruction[];
}

/** How many attempts of this plan in this run were already stopped for stalling. */
const restartsOf = (h: History, e: HistoryEntry) =>
  h.entries.filter((x) => x.run_id === e.run_id && x.plan_file === e.plan_file && x.error?.startsWith(STALLED_PREFIX) === true).length;

/** Brings the run's entries up to date with what is known: SUMMARY.md files, agents' evidence, leases. */
function reconcile(w: Work, run: RunRecord, a: PhaseAnalysis, f: QueueFacts): Reconciled {
  const planByFile = new Map(a.plans.map((p) => [p.file, p]));
  const reoffer = new Set<string>();
  const stalled = new Map<string, number>();
  const stop: StopInstruction[] = [];
  const policy = f.stall ?? DEFAULT_STALL_POLICY;
  for (let e of runEntries(w.h, run.run_id)) {
    const plan = e.plan_file === null ? undefined : planByFile.get(e.plan_file);
    if (!plan) continue;
    // A summary its agent wrote before reporting a failure proves nothing (record.ts).
    const summary = isSettled(plan) && e.summary_at_failure !== true;
    // A workflow's claim: running once its agent started, settled from its report once it ended, never offered to an agent.
    if (e.workflow_launch != null && !summary) e = linkWorkflowAgent(w, e, f.workflowAgents ?? []);
    const claimed = e.workflow_launch != null && (e.status === "dispatched" || e.status === "spawned");
    // The report first: a failure it names stands even when a summary was written before it.
    if (claimed && settleClaim(w, e, f.workflowReports ?? [], f.evidence.get(evidenceKey(e)), { summary, worktree: run.isolation === "worktree" })) continue;
    if (claimed && e.status === "dispatched") {
      if (summary) w.apply(e, "complete", "its SUMMARY.md exists");
      continue;
    }
    switch (e.status) {
      case "queued":
      case "blocked":
        if (summary) w.apply(e, "complete", "its SUMMARY.md exists");
        break;
      case "dispatched": {
        if (summary) {
          w.apply(e, "complete", "its SUMMARY.md exists");
          break;
        }
        // Offered again when hooks guard against a second agent, or when the lease ran out.
        const age = ageMinutes(e.dispatched_at ?? e.timestamp, f.now);
        if (run.hooks_seen === true || age > f.leaseMinutes) reoffer.add(e.plan);
        break;
      }
      case "spawned": {
        const evidence = f.evidence.get(evidenceKey(e));
        const live = liveness(e, evidence, f.now, f);
        const quiet = stalledFor(live, e, evidence, f.now, policy.minutes);
        // A SUMMARY.md alone does not complete a plan whose agent is still at work (it may be committing).
        if (summary && (live.kind !== "alive" || !live.working)) w.apply(e, "complete", "its SUMMARY.md exists and its agent is no longer working");
        else if (live.kind === "dead" || live.kind === "silent") {
          if (e.agent_id === null) w.apply(e, "relaunch", `its agent never started (${live.why})`);
          else
            w.apply(e, "interrupt", `its agent stopped without reporting: ${live.why}`, {
              error: live.kind === "dead" ? LOST_WITH_PROCESS : `interrupted: ${live.why}`,
            });
        } else if (e.agent_id === null && ageMinutes(e.transitions[e.transitions.length - 1]?.at ?? e.timestamp, f.now) > f.leaseMinutes) {
          w.apply(e, "relaunch", "the Agent call was claimed but no agent was recorded");
        } else if (quiet !== null && e.agent_id !== null) {
          const minutes = readableMinutes(quiet);
          if (policy.restart && restartsOf(w.h, e) < policy.maxRestarts) {
            // Stopped and retried in one step: the new attempt is handed out by this same call,
            // and a late `complete` of the stopped agent lands on the plan, not on a second count.
            const over = w.apply(e, "interrupt", `its agent stalled: no output for ${minutes} min`, {
              error: `${STALLED_PREFIX} no output for ${minutes} min; stopped and retried`,
            });
            w.apply(over, "retry", "restarted after stalling");
            stop.push({ plan: e.plan, agentId: e.agent_id, tool: "TaskStop", input: { task_id: e.agent_id } });
          } else stalled.set(e.plan, quiet);
        }
        break;
      }
      case "failed":
      case "interrupted":
      case "cancelled":
        // Someone finished it by hand: its SUMMARY.md is the proof.
        if (summary) w.apply(e, "complete", "its SUMMARY.md exists");
        break;
      case "completed":
        break;
    }
  }
  return { reoffer, stalled, stop };
}

function schedPlans(a: PhaseAnalysis, run: RunRecord | undefined, entries: readonly HistoryEntry[], now: string): SchedPlan[] {
  const byFile = new Map(entries.map((e) => [e.plan_file, e]));
  const local = new Set(a.plans.map((p) => p.id));
  const externalPending = new Map<string, string[]>();
  for (const e of a.edges) if (e.external && !e.satisfied) externalPending.set(e.to, [...(externalPending.get(e.to) ?? []), e.from]);
  return a.plans.map((p, i) => {
    const e = byFile.get(p.file);
    // A halted plan is not done and is not run again by itself: to the schedule it failed, so its dependents are blocked.
    const state = e ? STATUS[e.status].sched : isSettled(p) ? "completed" : p.status === "halted" ? "failed" : "pending";
    return {
      id: p.id,
      order: i,
      deps: p.dependsOn.filter((d) => local.has(d)),
      externalPending: externalPending.get(p.id) ?? [],
      autonomous: p.autonomous,
      minutes: p.durationMinutes,
      state,
      // Held until its retry time after a limit: it takes no slot, and its dependents wait for it (not blocked).
      hold: (run !== undefined && !inScope(run, p)) || waitsOnLimit(e, now),
    };
  });
}

/**
 * `start` and `status`: reconcile, then (for `start`) retry what ended badly, then decide what
 * starts and hand it out. Reconciling first means a crash is recovered in one call: agents of a
 * dead process become interrupted and are retried by the same `start`.
 */
export function advance(state: QueueState, f: QueueFacts, ev: Extract<QueueEvent, { kind: "start" | "status" }>): AdvanceResult {
  const a = f.analysis;
  if (!a) throw new Error("advance needs the phase analysis");
  const w = new Work(state.history, f.now);
  let run = activeRun(w.h, a.phase.dir);
  if (ev.kind === "start") {
    const gate = startGate(a, run, ev.options.scope, ev.options.includeCheckpoints ?? run?.include_checkpoints ?? f.settings.includeCheckpoints);
    if (!gate.ok) return { kind: "refused", reasons: gate.reasons, diagnostics: gate.diagnostics };
    run = openRun(w, a, f, ev, run);
  }
  let reoffer = new Set<string>();
  let stalled = new Map<string, number>();
  let stop: StopInstruction[] = [];
  if (run) {
    const have = new Map(runEntries(w.h, run.run_id).map((e) => [e.plan_file, e]));
    // Plans added to the phase while its run is active join the run.
    for (const p of a.plans) {
      if (have.has(p.file) || p.status !== "pending" || !inScope(run, p)) continue;
      const foreground = !p.autonomous && !run.include_checkpoints;
      const phase = a.phase.number ?? a.phase.name;
      const entry = newEntry({
        run,
        planId: p.id,
        planFile: p.file,
        phase,
        phaseDir: a.phase.dir,
        description: `Execute ${p.id}`,
        dependsOn: p.dependsOn,
        at: f.now,
        foreground,
      });
      w.h = { ...w.h, entries: [...w.h.entries, entry] };
    }
    const switched = switchAgentType(w, run, f);
    run = switched.run;
    ({ reoffer, stalled, stop } = reconcile(w, run, a, f));
    for (const plan of switched.reoffer) reoffer.add(plan);
    for (const e of runEntries(w.h, run.run_id)) {
      if (ev.kind === "start" && (e.status === "failed" || e.status === "interrupted" || e.status === "cancelled"))
        w.apply(e, "retry", "start resumes the run and retries it");
      // An agent lost with its Claude Code process is not the plan's fault: any look retries it, so a
      // continued conversation (`claude --continue`, `/gsd:status --wait`) recovers without a new start.
      else if (e.status === "interrupted" && e.error === LOST_WITH_PROCESS) w.apply(e, "retry", "its agent was lost with its Claude Code process");
    }
  }
  const entries = () => (run ? runEntries(w.h, run.run_id) : []);
  const ledger = state.ledger;
  const estimates = new Map([...f.estimates].map(([id, e]) => [id, e.tokens]));
  const check = budgetCheck(ledger, estimates);
  const s: Schedule = schedule({
    plans: schedPlans(a, run, entries(), f.now),
    maxConcurrent: run ? effectiveCap(run.throttle, run.max_concurrent) : f.settings.maxConcurrent,
    strategy: (run?.strategy as Strategy | undefined) ?? "critical-path",
    includeCheckpoints: run?.include_checkpoints ?? f.settings.includeCheckpoints,
    ...(check ? { budget: check } : {}),
  });

  const spawn: SpawnInstruction[] = [];
  // The run remembers the agent type its start chose, so hand-outs from any later `status` match it.
  const agent: AgentKind = agentKindOf(runAgentType(f.agent, run?.agent_type, run !== undefined), f.agent.instructionsFile);
  const workflowRun = run?.engine === "workflow";
  if (run) {
    const blocked = new Map(s.blocked.map((b) => [b.id, b.blockedBy]));
    const position = new Map(s.waiting.map((x) => [x.id, x.position]));
    const starting = new Set(s.start);
    const planByFile = new Map(a.plans.map((p) => [p.file, p]));
    for (const e of entries()) {
      const plan = e.plan_file === null ? undefined : planByFile.get(e.plan_file);
      if (!plan) continue;
      let cur = e;
      const by = blocked.get(plan.id);
      if (by && cur.status === "queued") cur = w.apply(cur, "block", `waits for ${by.join(", ")}, which did not complete`, { blocked_by: by });
      else if (!by && cur.status === "blocked") cur = w.apply(cur, "unblock", "its prerequisites are no longer failed");
      // A workflow run hands out no agents: its `start` hands the whole graph to one workflow below.
      const offer = !workflowRun && ((starting.has(plan.id) && cur.status === "queued") || (cur.status === "dispatched" && reoffer.has(plan.id)));
      if (offer) {
        const lease = { dispatched_at: f.now, dispatched_session: f.sessionId };
        cur = cur.status === "queued" ? w.apply(cur, "dispatch", "handed out to start", lease) : w.patch(cur, lease);
        spawn.push(
          buildSpawn({
            planId: plan.id,
            planFile: plan.file,
            summaryFile: expectedSummaryPath(plan.file),
            runId: run.run_id,
            attempt: cur.attempt,
            projectRoot: f.projectRoot,
            helper: f.helper,
            hasCheckpoints: !plan.autonomous,
            agent,
            ...(f.exclusive ? { exclusive: f.exclusive } : {}),
            ...(run.isolation === "worktree"
              ? { worktree: planWorktree(run, a.phase.dir, plan.id, f.projectRoot) }
              : run.repo_top !== undefined
                ? { sharedRepo: true }
                : {}),
          }),
        );
      }
      const queuePosition = position.get(plan.id) ?? null;
      if (cur.queue_position !== queuePosition) w.patch(cur, { queue_position: queuePosition });
    }
  }
  const workflow =
    run && workflowRun && ev.kind === "start"
      ? launchWorkflow(w, {
          run,
          facts: f,
          agent,
          sched: schedPlans(a, run, entries(), f.now),
          entries: entries(),
          planById: new Map(a.plans.map((p) => [p.id, p])),
          cap: effectiveCap(run.throttle, run.max_concurrent),
        })
      : null;
  // In the scheduler's priority order (re-offers after new hand-outs), so a caller that can start only some starts the best.
  const rank = (id: string) => (s.start.includes(id) ? s.start.indexOf(id) : s.start.length);
  spawn.sort((x, y) => rank(x.plan) - rank(y.plan));

  let nextLedger = ledger;
  const notes: string[] = [];
  if (s.budgetNote !== undefined) notes.push(s.budgetNote);
  if (ledger) {
    const finished = entries()
      .filter((e) => e.status === "completed" || e.status === "failed")
      .map((e) => e.plan);
    const settled = settleStep(
      ledger,
      finished,
      spawn.map((x) => ({ plan: x.plan, planFile: x.planFile, runId: x.runId })),
      f.estimates,
      f.now,
    );
    if (settled.changed) nextLedger = settled.ledger;
    if (settled.refused.length > 0) notes.push(`token budget: could not reserve for ${settled.refused.join(", ")}`);
    const level = budgetLevelNote(nextLedger);
    if (level !== undefined) notes.push(level);
  }
  const view = statusView({ analysis: a, run, entries: entries(), schedule: s, spawn, changes: w.changes, now: f.now, stalled, stop, agent });
  if (notes.length > 0) view.budgetNote = notes.join("; ");
  if (workflow) view.workflow = workflow;
  // No workflow holds a claim and none is handed out: nothing moves until a new start.
  const claimedNow = entries().some((e) => e.workflow_launch != null && STATUS[e.status].live);
  if (workflowRun && !workflow && !claimedNow && view.outcome === "in-progress") {
    view.outcome = "stopped";
    notes.push("no workflow runs this phase's plans now: start again to run what is left");
    view.budgetNote = notes.join("; ");
  }
  // Refused by the budget with nothing running or starting: nothing moves until someone records
  // use or releases a reservation, so the run is stopped, not in progress.
  const moving = view.plans.some((p) => p.state === "running" || p.state === "starting");
  if (s.budgetNote !== undefined && !moving && spawn.length === 0 && view.outcome === "in-progress") view.outcome = "stopped";
  return { kind: "advanced", state: { history: w.h, ledger: nextLedger }, view };
}
