import type { PhaseAnalysis } from "../graph/analysis";
import { expectedSummaryPath } from "../plan/planning-tree";
import { simulateScheduler } from "../schedule/simulate";

/** One unfinished autonomous plan as a CI job. */
export interface PlanJob {
  /** Job id: letters, digits, `_` and `-` only, unique in the workflow. */
  key: string;
  planId: string;
  planFile: string;
  summaryFile: string;
  /** Job keys of the plan's prerequisites (transitively reduced, completed ones dropped). */
  needs: string[];
  /** Keys of prerequisites that are not jobs (checkpoint plans, other phases): complete at dispatch, or this job is skipped. */
  gates: string[];
  /** 1-based lane; the jobs of a lane run one after another. */
  lane: number;
  /** The job before this one in its lane. */
  after?: string;
  /**
   * For a smaller cap chosen when the workflow is run: cap -> the job this one waits for first.
   * Jobs are numbered in the replay's start order; with cap k, job i waits for job i - k, which
   * splits the jobs into k chains (and every wait points to an earlier job, so none can stall).
   */
  waitFor: Record<string, string>;
}

/** A prerequisite that no job of this workflow completes: a plan that needs a person, or one in another phase. */
export interface Gate {
  key: string;
  planId: string;
  summaryFile: string;
  kind: "checkpoint" | "other-phase";
}

export interface PhaseJobs {
  jobs: PlanJob[];
  gates: Gate[];
  /** Unfinished plans that need a person: no job, listed for the user. */
  checkpoints: string[];
  complete: string[];
  lanes: number;
}

/** GitHub job ids: `plan-` and the plan id with anything else turned into `_`, made unique. */
function keyMaker(prefix: string, used: Set<string>): (id: string) => string {
  return (id) => {
    const base = `${prefix}${id.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, 80);
    let k = base;
    for (let n = 2; used.has(k.toLowerCase()); n++) k = `${base}-${n}`;
    used.add(k.toLowerCase());
    return k;
  };
}

/**
 * The jobs of a phase workflow. Edges among unfinished plans are transitively reduced; lanes
 * come from replaying the scheduler with the cap (critical path first), so each job follows the
 * job that ran before it on the same lane in that replay, and at most `cap` lanes exist.
 */
export function phaseJobs(a: PhaseAnalysis, cap: number): PhaseJobs {
  const used = new Set<string>(["prepare", "summary"]);
  const jobKey = keyMaker("plan-", used);
  const gateKey = keyMaker("gate-", used);
  const open = a.plans.filter((p) => p.status !== "complete");
  const runnable = open.filter((p) => p.autonomous);
  const openIds = new Set(open.map((p) => p.id));
  const order = open.map((p) => p.id);
  const local = a.edges.filter((e) => !e.external && openIds.has(e.from) && openIds.has(e.to));
  const preds = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const e of local) preds.get(e.to)?.push(e.from);
  const keys = new Map(runnable.map((p) => [p.id, jobKey(p.id)]));
  const gates: Gate[] = [];
  const gateOf = new Map<string, string>();
  const gate = (planId: string, file: string, kind: Gate["kind"]): string => {
    const known = gateOf.get(planId);
    if (known) return known;
    const key = gateKey(planId);
    gates.push({ key, planId, summaryFile: expectedSummaryPath(file), kind });
    gateOf.set(planId, key);
    return key;
  };
  const ancestors = openAncestors(order, preds);
  const needs = new Map<string, string[]>();
  const gated = new Map<string, string[]>();
  for (const p of runnable) {
    const anc = ancestors.get(p.id) ?? new Set<string>();
    const jobAnc = [...anc].filter((x) => keys.has(x));
    // Reduced: drop an ancestor that another job ancestor already waits for.
    needs.set(
      p.id,
      order.filter((x) => jobAnc.includes(x) && !jobAnc.some((y) => y !== x && (ancestors.get(y) ?? new Set()).has(x))),
    );
    gated.set(
      p.id,
      order.filter((x) => anc.has(x) && !keys.has(x)).map((x) => gate(x, open.find((o) => o.id === x)?.file ?? x, "checkpoint")),
    );
  }
  for (const e of a.edges) {
    if (e.external && !e.satisfied && keys.has(e.to)) gated.get(e.to)?.push(gate(e.from, e.fromFile, "other-phase"));
  }
  const sim = simulateScheduler(
    runnable.map((p, i) => ({ id: p.id, order: i, deps: needs.get(p.id) ?? [], minutes: Math.max(p.durationMinutes, 0.1), wave: p.wave })),
    cap,
  );
  const lastOnLane = new Map<number, string>();
  const laneOf = new Map<string, { lane: number; after?: string }>();
  const started = [...sim.slots].sort((x, y) => x.start - y.start || x.lane - y.lane).map((s) => s.id);
  const position = new Map(started.map((id, i) => [id, i]));
  for (const s of [...sim.slots].sort((x, y) => x.start - y.start || x.lane - y.lane)) {
    const prev = lastOnLane.get(s.lane);
    laneOf.set(s.id, prev === undefined ? { lane: s.lane + 1 } : { lane: s.lane + 1, after: prev });
    lastOnLane.set(s.lane, s.id);
  }
  const jobs: PlanJob[] = runnable.map((p) => {
    const place = laneOf.get(p.id) ?? { lane: 1 };
    const job: PlanJob = {
      key: keys.get(p.id) as string,
      planId: p.id,
      planFile: p.file,
      summaryFile: expectedSummaryPath(p.file),
      needs: (needs.get(p.id) ?? []).map((d) => keys.get(d) as string),
      gates: [...new Set(gated.get(p.id) ?? [])],
      lane: place.lane,
      waitFor: {},
    };
    const i = position.get(p.id) ?? 0;
    for (let k = 1; k < cap; k++) if (i - k >= 0) job.waitFor[String(k)] = keys.get(started[i - k] as string) as string;
    if (place.after !== undefined) job.after = keys.get(place.after) as string;
    return job;
  });
  return {
    jobs,
    gates,
    checkpoints: open.filter((p) => !p.autonomous).map((p) => p.id),
    complete: a.plans.filter((p) => p.status === "complete").map((p) => p.id),
    lanes: new Set(jobs.map((j) => j.lane)).size,
  };
}

/** Every open plan's open ancestors (plans it waits for, directly or through others). */
export function openAncestors(order: readonly string[], preds: ReadonlyMap<string, readonly string[]>): Map<string, Set<string>> {
  const memo = new Map<string, Set<string>>();
  const visiting = new Set<string>();
  const visit = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const out = new Set<string>();
    if (visiting.has(id)) return out;
    visiting.add(id);
    for (const d of preds.get(id) ?? []) {
      out.add(d);
      for (const x of visit(d)) out.add(x);
    }
    visiting.delete(id);
    memo.set(id, out);
    return out;
  };
  for (const id of order) visit(id);
  return memo;
}
