/**
 * A local dry run of a GitHub Actions workflow's job graph, read from the YAML itself (not from
 * gsd-async's own graph): `needs`, job-level `if:` expressions, job `concurrency` groups (one
 * running and one pending per group; a newly pending job cancels the older pending one), job
 * results and outputs. Steps are not run: each job that starts asks `fake` for its result,
 * outputs and duration, and a fake clock advances from finish to finish. Runners are unlimited,
 * as on GitHub-hosted runners, so only the workflow itself can hold a job back.
 */
import { parse } from "yaml";
import { type ExpressionContext, type Value, evaluate, truthy } from "./actions-expression";

export type JobResult = "success" | "failure" | "skipped" | "cancelled";

export interface FakeOutcome {
  result: "success" | "failure";
  outputs?: Record<string, string>;
  minutes: number;
  /** A step that first waits (holding the runner) until the job with this `name:` has finished. */
  waitsFor?: string;
}

export interface JobRun {
  id: string;
  result: JobResult;
  outputs: Record<string, string>;
  /** When it started and finished running; skipped and cancelled-while-pending jobs have none. */
  start?: number;
  end?: number;
  /** When its work began: after `waitsFor`'s job finished, else at `start`. */
  workStart?: number;
}

export interface RawJob {
  needs?: string | string[];
  if?: string;
  concurrency?: string | { group: string };
  env?: Record<string, string>;
  steps?: { id?: string; env?: Record<string, string> }[];
  name?: string;
}

export interface Workflow {
  jobs: Record<string, RawJob>;
}

export function readWorkflow(text: string): Workflow {
  return parse(text) as Workflow;
}

export const needsOf = (j: RawJob): string[] => (j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs]);

function jobCondition(raw: string | undefined, needs: Record<string, JobRun>, inputs: Record<string, string>): boolean {
  const src = (raw ?? "success()").trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  const results = Object.values(needs).map((n) => n.result);
  const ctx: ExpressionContext = {
    lookup(path) {
      const [head, ...rest] = path.split(".");
      let v: unknown = head === "needs" ? needs : head === "inputs" ? inputs : undefined;
      for (const k of rest) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
      return v === undefined ? null : (v as Value);
    },
    call(name, args) {
      if (name === "always") return true;
      if (name === "cancelled") return false;
      if (name === "success") return results.every((r) => r === "success");
      if (name === "failure") return results.some((r) => r === "failure");
      if (name === "contains")
        return String(args[0] ?? "")
          .toLowerCase()
          .includes(String(args[1] ?? "").toLowerCase());
      throw new Error(`function ${name}() is not modelled`);
    },
  };
  // A job whose condition uses no status function gets GitHub's implicit success() in front.
  const usesStatus = /\b(always|cancelled|success|failure)\(/.test(src);
  return truthy(evaluate(src, ctx)) && (usesStatus || results.every((r) => r === "success"));
}

// --------------------------------------------------------------------------------------------
// The run
// --------------------------------------------------------------------------------------------

export interface RunOptions {
  inputs?: Record<string, string>;
  fake(jobId: string, needs: Record<string, JobRun>): FakeOutcome;
}

export interface RunReport {
  jobs: Map<string, JobRun>;
  /** The most jobs (among `ids`) doing their work (after any wait step) at one moment. */
  peak(ids: readonly string[]): number;
}

export function dryRun(workflow: Workflow, opts: RunOptions): RunReport {
  const ids = Object.keys(workflow.jobs);
  for (const id of ids) for (const n of needsOf(workflow.jobs[id] as RawJob)) if (!workflow.jobs[n]) throw new Error(`${id} needs unknown job ${n}`);
  const runs = new Map<string, JobRun>();
  interface Running {
    id: string;
    start: number;
    out: FakeOutcome;
    workStart?: number;
    end?: number;
  }
  const running: Running[] = [];
  const idByName = new Map(ids.map((id) => [workflow.jobs[id]?.name ?? id, id]));
  const groupOf = (j: RawJob) => (j.concurrency === undefined ? undefined : typeof j.concurrency === "string" ? j.concurrency : j.concurrency.group);
  const pendingInGroup = new Map<string, string>();
  const queuedAt = new Set<string>();
  let now = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    let progressed = false;
    for (const id of ids) {
      if (runs.has(id) || running.some((r) => r.id === id)) continue;
      const job = workflow.jobs[id] as RawJob;
      const needs = needsOf(job);
      if (!needs.every((n) => runs.has(n))) continue;
      const needCtx = Object.fromEntries(needs.map((n) => [n, runs.get(n) as JobRun]));
      if (!queuedAt.has(id)) {
        queuedAt.add(id);
        if (!jobCondition(job.if, needCtx, opts.inputs ?? {})) {
          runs.set(id, { id, result: "skipped", outputs: {} });
          progressed = true;
          continue;
        }
      }
      const group = groupOf(job);
      if (group !== undefined) {
        const busy = running.some((r) => groupOf(workflow.jobs[r.id] as RawJob) === group);
        if (busy) {
          const older = pendingInGroup.get(group);
          if (older !== id) {
            if (older !== undefined) runs.set(older, { id: older, result: "cancelled", outputs: {} });
            pendingInGroup.set(group, id);
            progressed = true;
          }
          continue;
        }
        if (pendingInGroup.get(group) === id) pendingInGroup.delete(group);
      }
      const out = opts.fake(id, needCtx);
      running.push({ id, start: now, out });
      progressed = true;
    }
    for (const r of running) {
      if (r.end !== undefined) continue;
      const awaited = r.out.waitsFor === undefined ? undefined : idByName.get(r.out.waitsFor);
      if (awaited !== undefined && !runs.has(awaited)) continue;
      r.workStart = now;
      r.end = now + r.out.minutes;
      progressed = true;
    }
    if (progressed) continue;
    if (running.length === 0) break;
    const timed = running.filter((r) => r.end !== undefined).sort((a, b) => (a.end as number) - (b.end as number) || (a.id < b.id ? -1 : 1));
    if (timed.length === 0) throw new Error(`stuck: ${running.map((r) => r.id).join(", ")} wait for jobs that never finish`);
    now = (timed[0] as Running).end as number;
    for (const r of timed) {
      if (r.end !== now) continue;
      running.splice(running.indexOf(r), 1);
      runs.set(r.id, { id: r.id, result: r.out.result, outputs: r.out.outputs ?? {}, start: r.start, end: now, workStart: r.workStart as number });
    }
  }
  for (const id of ids) if (!runs.has(id)) throw new Error(`${id} never ran: the job graph is stuck`);
  return {
    jobs: runs,
    peak(only) {
      const set = new Set(only);
      const edges: [number, number][] = [];
      for (const r of runs.values()) if (set.has(r.id) && r.workStart !== undefined && r.end !== undefined) edges.push([r.workStart, 1], [r.end, -1]);
      edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let cur = 0;
      let best = 0;
      for (const [, d] of edges) best = Math.max(best, (cur += d));
      return best;
    },
  };
}

/**
 * What the prepare job of an exported workflow outputs, computed from its step's `GSD_TABLE`
 * (read from the YAML) the way its script does: `done` lists the jobs and gates whose summary is
 * on the branch, `run` the selected jobs that are not done.
 */
export function prepareOutputs(workflow: Workflow, completePlans: ReadonlySet<string>, selected: readonly string[] = []): Record<string, string> {
  const table = workflow.jobs.prepare?.steps?.find((s) => s.id === "prepare")?.env?.GSD_TABLE ?? "";
  let run = ",";
  let done = ",";
  for (const line of table.split("\n")) {
    const [kind, key, plan] = line.split("\t") as [string, string, string];
    if (completePlans.has(plan)) done += `${key},`;
    else if (kind === "job" && (selected.length === 0 || selected.includes(plan))) run += `${key},`;
  }
  return { run, done };
}

/** The wait step of an exported plan job, as GitHub would run it with `max-concurrent` = `cap`. */
export function waitStepTarget(workflow: Workflow, jobId: string, cap: string | undefined): string | undefined {
  const wait = workflow.jobs[jobId]?.steps?.find((s) => s.id === "wait") as { if?: string; env?: Record<string, string> } | undefined;
  if (!wait || cap === undefined) return undefined;
  const exported = /!= '(\d+)'/.exec(wait.if ?? "")?.[1];
  if (exported === cap) return undefined;
  return (JSON.parse(wait.env?.GSD_WAIT_FOR ?? "{}") as Record<string, string>)[cap];
}
