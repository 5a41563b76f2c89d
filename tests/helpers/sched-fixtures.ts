import type { AnalyzedEdge, AnalyzedPlan, PhaseAnalysis } from "../../lib/core/graph/analysis";
import { type History } from "../../lib/core/queue/history-schema";
import { readHistoryText } from "../../lib/core/queue/history-migrate";
import type { AgentEvidence, QueueFacts } from "../../lib/core/queue/queue-event";
import { queueStep as step } from "../../lib/core/queue/queue-step";
import type { StatusView } from "../../lib/core/queue/status-view";
import type { HistoryEntry, RunRecord } from "../../lib/core/queue/history-schema";
import { runEntries } from "../../lib/core/queue/history-ops";
import { type Schedule, type Strategy, schedule } from "../../lib/core/schedule/scheduler";

/** A plan in a scripted scenario: how long its agent takes and how it ends. */
export interface Job {
  id: string;
  minutes: number;
  deps?: string[];
  /** Prerequisites in other phases that are not complete. */
  external?: string[];
  autonomous?: boolean;
  /** The agent ends badly instead of completing. */
  ends?: "fail" | "interrupt";
}

export interface Ev {
  t: number;
  kind: "start" | "finish" | "fail" | "interrupt";
  id: string;
}

export const PHASE_DIR = ".planning/phases/01-demo";
export const planFile = (id: string) => `${PHASE_DIR}/${id}-PLAN.md`;

/** A phase analysis built straight from a scenario (the scheduler and queue only read these fields). */
export function analysisOf(jobs: readonly Job[], done: ReadonlySet<string> = new Set(), externalDone: ReadonlySet<string> = new Set()): PhaseAnalysis {
  const plans: AnalyzedPlan[] = jobs.map((j) => ({
    id: j.id,
    file: planFile(j.id),
    stem: j.id,
    status: done.has(j.id) ? "complete" : "pending",
    wave: 1,
    dependsOn: [...(j.deps ?? []), ...(j.external ?? [])],
    declaredDependsOn: [...(j.deps ?? []), ...(j.external ?? [])],
    autonomous: j.autonomous ?? true,
    checkpoints: j.autonomous === false ? ["human-verify"] : [],
    durationMinutes: j.minutes,
    durationSource: "estimate",
    taskCount: 1,
    filesModified: [],
    readable: true,
    size: { tasks: 1, checkpoints: 0, filesModified: 0, contextRefs: 0, chars: 0 },
  }));
  const edges: AnalyzedEdge[] = [];
  for (const j of jobs) {
    for (const d of j.deps ?? [])
      edges.push({
        from: d,
        to: j.id,
        fromFile: planFile(d),
        toFile: planFile(j.id),
        external: false,
        reasons: [{ kind: "declared" }] as AnalyzedEdge["reasons"],
      });
    for (const x of j.external ?? [])
      edges.push({
        from: x,
        to: j.id,
        fromFile: `.planning/phases/00-prev/${x}-PLAN.md`,
        toFile: planFile(j.id),
        external: true,
        satisfied: externalDone.has(x),
        reasons: [{ kind: "declared" }] as AnalyzedEdge["reasons"],
      });
  }
  return {
    phase: { dir: PHASE_DIR, name: "01-demo", number: "01", container: "phases", active: true },
    plans,
    edges,
    waves: [],
    criticalPath: [],
    criticalPathMinutes: 0,
    cycles: [],
    diagnostics: [],
  };
}

/** Fake clock: minutes after a fixed origin, as ISO text. */
export const T0 = Date.parse("2026-03-01T09:00:00.000Z");
export const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** The knobs of one `start` or `status` step in a scenario. */
export interface QueueOptions {
  now: string;
  sessionId: string | null;
  maxConcurrent: number;
  strategy: Strategy;
  includeCheckpoints: boolean;
  mode: "start" | "status";
  newRunId: string;
  projectRoot: string;
  helper: readonly string[];
  leaseMinutes: number;
  staleMinutes: number;
  scope?: string[];
  evidence?: ReadonlyMap<string, AgentEvidence>;
}

export function queueOptions(now: number, over: Partial<QueueOptions> = {}): QueueOptions {
  return {
    now: iso(now),
    sessionId: null,
    maxConcurrent: 3,
    strategy: "critical-path",
    includeCheckpoints: false,
    mode: "status",
    newRunId: `run-at-${now}`,
    projectRoot: "/work/project",
    helper: ["node", "/opt/gsd-async/dist/cli.js"],
    leaseMinutes: 3,
    staleMinutes: 100_000,
    ...over,
  };
}

export function factsOf(analysis: PhaseAnalysis, o: QueueOptions): QueueFacts {
  return {
    now: o.now,
    sessionId: o.sessionId,
    process: null,
    analysis,
    evidence: o.evidence ?? new Map(),
    estimates: new Map(),
    projectRoot: o.projectRoot,
    helper: o.helper,
    agent: { preferred: "general-purpose", instructionsFile: null },
    settings: { maxConcurrent: o.maxConcurrent, includeCheckpoints: o.includeCheckpoints },
    leaseMinutes: o.leaseMinutes,
    staleMinutes: o.staleMinutes,
    settleMinutes: 2,
  };
}

export interface QueueStep {
  history: History;
  run?: RunRecord;
  view: StatusView;
  spawn: StatusView["spawn"];
  changes: StatusView["changes"];
  entries: HistoryEntry[];
}

/** One `start` (mode "start") or `status` step of the real queue step, seen the way the tests read it. */
export function queueStep(analysis: PhaseAnalysis, history: History, o: QueueOptions): QueueStep {
  const ev =
    o.mode === "start"
      ? {
          kind: "start" as const,
          options: {
            newRunId: o.newRunId,
            maxConcurrent: o.maxConcurrent,
            strategy: o.strategy,
            includeCheckpoints: o.includeCheckpoints,
            ...(o.scope ? { scope: o.scope } : {}),
          },
        }
      : { kind: "status" as const };
  const r = step({ history, ledger: null }, factsOf(analysis, o), ev);
  if (r.outcome.kind !== "advanced") throw new Error(`expected the queue to advance, got ${r.outcome.kind}`);
  const view = r.outcome.view;
  const out: QueueStep = {
    history: r.state.history,
    view,
    spawn: view.spawn,
    changes: view.changes,
    entries: view.run ? runEntries(r.state.history, view.run.run_id) : [],
  };
  if (view.run) out.run = view.run;
  return out;
}

/** What a restart sees: the history written as JSON and read (validated) again. */
export function roundTrip(h: History): History {
  const r = readHistoryText(JSON.stringify(h, null, 2));
  if (!r.ok) throw new Error(`history did not survive a round trip: ${JSON.stringify(r.problems)}`);
  return r.history;
}

/** Largest number of plans running at one instant; at equal times finishes come before starts. */
export function peakConcurrency(events: readonly Ev[]): number {
  const order = (e: Ev) => (e.kind === "start" ? 1 : 0);
  const sorted = [...events].sort((a, b) => a.t - b.t || order(a) - order(b));
  let now = 0;
  let peak = 0;
  for (const e of sorted) {
    now += e.kind === "start" ? 1 : -1;
    peak = Math.max(peak, now);
  }
  return peak;
}

export interface ScheduleRun {
  events: Ev[];
  decisions: { t: number; s: Schedule }[];
  final: Schedule;
  makespan: number;
}

/**
 * Drives the pure scheduler against a fake clock: ask what starts, jump to the next scripted
 * finish, record it, ask again. No timers: time is a number this loop advances.
 */
export function driveSchedule(jobs: readonly Job[], cap: number, strategy: Strategy = "critical-path", includeCheckpoints = false): ScheduleRun {
  const state = new Map<string, "pending" | "running" | "completed" | "failed">(jobs.map((j) => [j.id, "pending"]));
  const ends = new Map<string, number>();
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const events: Ev[] = [];
  const decisions: ScheduleRun["decisions"] = [];
  let now = 0;
  for (let guard = 0; guard <= jobs.length * 2 + 2; guard++) {
    const s = schedule({
      plans: jobs.map((j, i) => ({
        id: j.id,
        order: i,
        deps: j.deps ?? [],
        externalPending: j.external ?? [],
        autonomous: j.autonomous ?? true,
        minutes: j.minutes,
        state: state.get(j.id) ?? "pending",
      })),
      maxConcurrent: cap,
      strategy,
      includeCheckpoints,
    });
    decisions.push({ t: now, s });
    for (const id of s.start) {
      state.set(id, "running");
      ends.set(id, now + (byId.get(id) as Job).minutes);
      events.push({ t: now, kind: "start", id });
    }
    const running = jobs.filter((j) => state.get(j.id) === "running");
    if (running.length === 0) return { events, decisions, final: s, makespan: now };
    now = Math.min(...running.map((j) => ends.get(j.id) as number));
    for (const j of running) {
      if (ends.get(j.id) !== now) continue;
      state.set(j.id, j.ends ? "failed" : "completed");
      events.push({ t: now, kind: j.ends ?? "finish", id: j.id });
    }
  }
  throw new Error("the scheduler did not settle");
}
