import { expectedSummaryPath } from "../plan/planning-tree";
import type { PhaseAnalysis } from "../graph/analysis";
import type { History, HistoryEntry, RunRecord } from "./history-schema";
import { activeRun, newEntry, replaceEntry, runEntries, transition } from "./history-ops";
import type { RunStatus, Transition } from "./run-status";
import { type BudgetCheck, type PlanState, type SchedPlan, type Schedule, type Strategy, schedule } from "../schedule/scheduler";
import { type SpawnInstruction, buildSpawn } from "./spawn";

/**
 * One step of the queue: reconcile what happened since the last look, then decide what
 * starts. Pure: the clock, the session and the history come in, the new history and the
 * decisions go out; the shell writes the result under the lock.
 */
export interface QueueOptions {
  now: string;
  /** Claude Code session running the orchestration, when known (CLAUDE_CODE_SESSION_ID). */
  sessionId: string | null;
  maxConcurrent: number;
  strategy: Strategy;
  includeCheckpoints: boolean;
  /** `start` creates a run (or resumes one, retrying failed plans); `status` only advances one. */
  mode: "start" | "status";
  newRunId: string;
  projectRoot: string;
  helper: readonly string[];
  /** Spawn instructions handed out are not handed out again for this long unless no agent showed up. */
  leaseMinutes: number;
  /** A spawned agent with no news for this long, outside any known live session, is interrupted. */
  staleMinutes: number;
  budget?: BudgetCheck;
  /** Plan files to run instead of the whole phase (a new run only). */
  scope?: string[];
}

export interface QueueChange {
  plan: string;
  transition: Transition;
  reason: string;
}

export interface QueueStep {
  history: History;
  run?: RunRecord;
  schedule: Schedule;
  spawn: SpawnInstruction[];
  changes: QueueChange[];
  entries: HistoryEntry[];
}

const minutesBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 60000;

function lastTransitionAt(e: HistoryEntry): string {
  return e.transitions[e.transitions.length - 1]?.at ?? e.timestamp;
}

export function queueStep(analysis: PhaseAnalysis, history: History, o: QueueOptions): QueueStep {
  let h = history;
  const changes: QueueChange[] = [];
  const apply = (e: HistoryEntry, t: Transition, reason: string, patch: Partial<HistoryEntry> = {}): HistoryEntry => {
    const next = transition(e, t, o.now, patch);
    // A retry is a new attempt (attempt + 1): it is added, and the finished attempt stays as it was.
    h = t === "retry" ? { ...h, entries: [...h.entries, next] } : replaceEntry(h, next);
    changes.push({ plan: e.plan, transition: t, reason });
    return next;
  };

  let run = activeRun(h, analysis.phase.dir);
  // A single-plan run and a whole-phase run do not mix: asking for a different scope starts anew.
  if (run && o.mode === "start" && JSON.stringify(run.scope ?? null) !== JSON.stringify(o.scope ?? null)) run = undefined;
  if (!run && o.mode === "start") {
    run = {
      run_id: o.newRunId,
      phase_dir: analysis.phase.dir,
      started_at: o.now,
      max_concurrent: o.maxConcurrent,
      strategy: o.strategy,
      include_checkpoints: o.includeCheckpoints,
      session_id: o.sessionId,
    };
    if (o.scope) run.scope = o.scope;
    h = { ...h, runs: [...h.runs, run] };
  }
  const done = new Set(analysis.plans.filter((p) => p.status === "complete").map((p) => p.id));
  const planByFile = new Map(analysis.plans.map((p) => [p.file, p]));
  const localIds = new Set(analysis.plans.map((p) => p.id));
  // Prerequisites in other phases that are not complete yet, by dependent.
  const externalPending = new Map<string, string[]>();
  for (const e of analysis.edges) {
    if (!e.external || e.satisfied) continue;
    const list = externalPending.get(e.to);
    if (list) list.push(e.from);
    else externalPending.set(e.to, [e.from]);
  }

  if (run) {
    // Plans added to the phase while its run is active join the run.
    const have = new Map(runEntries(h, run.run_id).map((e) => [e.plan_file, e]));
    for (const p of analysis.plans) {
      const e = have.get(p.file);
      if (done.has(p.id) || (run.scope && !run.scope.includes(p.file))) continue;
      if (!e) {
        const entry = newEntry({
          run,
          planId: p.id,
          planFile: p.file,
          phase: analysis.phase.number ?? analysis.phase.name,
          phaseDir: analysis.phase.dir,
          description: `Execute ${p.id}`,
          dependsOn: p.dependsOn,
          at: o.now,
          foreground: !p.autonomous && !o.includeCheckpoints,
        });
        h = { ...h, entries: [...h.entries, entry] };
      } else if (o.mode === "start" && (e.status === "failed" || e.status === "interrupted" || e.status === "cancelled")) {
        apply(e, "retry", "start resumes the run and retries it");
      }
    }
  }

  const entries = () => (run ? runEntries(h, run.run_id) : []);
  // Reconcile: SUMMARY.md files, ended sessions, stale agents, expired leases.
  for (const e of entries()) {
    const plan = e.plan_file === null ? undefined : planByFile.get(e.plan_file);
    if (!plan) continue;
    if (done.has(plan.id) && (e.status === "queued" || e.status === "spawned")) {
      apply(e, "complete", "its SUMMARY.md exists");
    } else if (e.status === "spawned") {
      const otherSession = o.sessionId !== null && e.session_id !== null && e.session_id !== o.sessionId;
      if (otherSession) apply(e, "interrupt", `its session ${e.session_id} is over (now ${o.sessionId})`, { error: "session ended before the agent reported" });
      else if (o.sessionId === null && minutesBetween(lastTransitionAt(e), o.now) > o.staleMinutes) {
        apply(e, "interrupt", `no news for more than ${o.staleMinutes} minutes`, { error: "stale: no report from the agent" });
      }
    } else if (e.status === "queued" && e.dispatched_at !== null && minutesBetween(e.dispatched_at, o.now) > o.leaseMinutes) {
      // An expired hand-out is handed out again, unless it went to this very session: then the
      // agent most likely runs and only its record is missing (hooks off), and a second agent on
      // the same plan would be worse than a plan that waits for `spawned` or a new session.
      const sameSession = o.sessionId !== null && e.dispatched_session === o.sessionId;
      if (!sameSession) h = replaceEntry(h, { ...e, dispatched_at: null, dispatched_session: null });
    }
  }

  const byFile = new Map(entries().map((e) => [e.plan_file, e]));
  const stateOf = (planId: string, file: string): PlanState => {
    if (done.has(planId)) return "done";
    const e = byFile.get(file);
    if (!e) return "pending";
    const s: RunStatus = e.status;
    if (s === "completed") return "done";
    if (s === "spawned" || (s === "queued" && e.dispatched_at !== null)) return "running";
    if (s === "failed" || s === "interrupted" || s === "cancelled") return "failed";
    return "pending";
  };
  const plans: SchedPlan[] = analysis.plans.map((p, i) => ({
    id: p.id,
    order: i,
    deps: p.dependsOn.filter((d) => localIds.has(d)),
    externalPending: externalPending.get(p.id) ?? [],
    autonomous: p.autonomous,
    minutes: p.durationMinutes,
    state: stateOf(p.id, p.file),
    hold: run?.scope !== undefined && !run.scope.includes(p.file),
  }));
  const s = schedule({
    plans,
    maxConcurrent: run?.max_concurrent ?? o.maxConcurrent,
    strategy: (run?.strategy as Strategy | undefined) ?? o.strategy,
    includeCheckpoints: run?.include_checkpoints ?? o.includeCheckpoints,
    ...(o.budget ? { budget: o.budget } : {}),
  });

  const spawn: SpawnInstruction[] = [];
  if (run) {
    const blocked = new Map(s.blocked.map((b) => [b.id, b.blockedBy]));
    const position = new Map(s.waiting.map((w) => [w.id, w.position]));
    const starting = new Set(s.start);
    for (const e of entries()) {
      const plan = e.plan_file === null ? undefined : planByFile.get(e.plan_file);
      if (!plan) continue;
      let cur = e;
      const by = blocked.get(plan.id);
      if (by && cur.status === "queued") cur = apply(cur, "block", `waits for ${by.join(", ")}, which did not complete`, { blocked_by: by });
      else if (!by && cur.status === "blocked") cur = apply(cur, "unblock", "its prerequisites are no longer failed");
      const patch: Partial<HistoryEntry> = { queue_position: position.get(plan.id) ?? null };
      if (starting.has(plan.id) && cur.status === "queued") {
        patch.dispatched_at = o.now;
        patch.dispatched_session = o.sessionId;
        const summaryFile = expectedSummaryPath(plan.file);
        spawn.push(
          buildSpawn({
            planId: plan.id,
            planFile: plan.file,
            summaryFile,
            runId: run.run_id,
            attempt: cur.attempt,
            projectRoot: o.projectRoot,
            helper: o.helper,
            skipCheckpoints: !(run.include_checkpoints ?? o.includeCheckpoints),
          }),
        );
      }
      h = replaceEntry(h, { ...cur, ...patch });
    }
  }
  // In the scheduler's priority order, so a caller that can only start some starts the best.
  spawn.sort((a, b) => s.start.indexOf(a.plan) - s.start.indexOf(b.plan));
  const out: QueueStep = { history: h, schedule: s, spawn, changes, entries: entries() };
  if (run) out.run = run;
  return out;
}
