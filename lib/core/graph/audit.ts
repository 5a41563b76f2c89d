import type { AnalyzedEdge, PhaseAnalysis } from "./analysis";
import type { EdgeReason } from "./edges";
import { Adjacency, criticalPath, topoOrder } from "./plan-graph";
import { simulateScheduler } from "../schedule/simulate";

/** A declared edge the files do not bear out, or an edge the files add that nobody declared. */
export interface AuditEdge {
  from: string;
  to: string;
  fromFile: string;
  toFile: string;
  /** For unsupported edges: the `depends_on` line; for inferred ones: every reason found. */
  reasons: EdgeReason[];
}

export interface AuditSchedule {
  criticalPath: string[];
  criticalPathMinutes: number;
  /** `simulate`'s makespan for the gsd-async scheduler at `maxConcurrent`. */
  makespan: number;
  waves: number;
}

export interface PhaseAudit {
  maxConcurrent: number;
  /** Same-phase edges with a `declared` reason. */
  declared: number;
  /** Declared edges that some path of evidence (references, prose, files) also orders. */
  supported: number;
  unsupported: AuditEdge[];
  /** Same-phase edges without a `declared` reason that the declared edges do not already imply. */
  inferred: AuditEdge[];
  /** Inferred edges the declared edges already imply (same order, nothing new). */
  inferredImplied: number;
  before: AuditSchedule;
  /** The phase with the unsupported declared edges dropped. */
  after: AuditSchedule;
}

const round = (n: number) => Math.round(n * 10) / 10;

function reachability(ids: readonly string[], edges: readonly { from: string; to: string }[]): (a: string, b: string) => boolean {
  const g = new Adjacency({ order: ids, edges });
  const memo = new Map<string, Set<string>>();
  return (a, b) => {
    let seen = memo.get(a);
    if (!seen) {
      seen = new Set();
      const stack = [a];
      while (stack.length > 0) {
        for (const s of g.successors(stack.pop() as string) ?? []) {
          if (!seen.has(s)) {
            seen.add(s);
            stack.push(s);
          }
        }
      }
      memo.set(a, seen);
    }
    return seen.has(b);
  };
}

function scheduleOf(a: PhaseAnalysis, edges: readonly AnalyzedEdge[], cap: number): AuditSchedule {
  const ids = a.plans.map((p) => p.id);
  const minutes = new Map(a.plans.map((p) => [p.id, Math.max(p.durationMinutes, 0.1)]));
  const g = new Adjacency({ order: ids, edges });
  const topo = topoOrder(g, ids);
  const cp = criticalPath(g, topo, (id) => minutes.get(id) ?? 0);
  const deps = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) deps.get(e.to)?.push(e.from);
  const sim = simulateScheduler(
    a.plans.map((p, i) => ({ id: p.id, order: i, deps: deps.get(p.id) ?? [], minutes: minutes.get(p.id) ?? 0.1, wave: p.wave })),
    cap,
  );
  const pos = new Map(topo.map((id, i) => [id, i]));
  const level = new Map<string, number>();
  for (const id of topo) {
    let l = 1;
    for (const p of g.predecessors(id) ?? []) if ((pos.get(p) ?? Infinity) < (pos.get(id) ?? 0)) l = Math.max(l, (level.get(p) ?? 1) + 1);
    level.set(id, l);
  }
  return { criticalPath: cp.path, criticalPathMinutes: round(cp.minutes), makespan: round(sim.makespan), waves: Math.max(0, ...level.values()) };
}

/**
 * What the plans' files say about the order their authors declared. Evidence is every reason
 * that is not `declared`: a declared edge is supported when evidence alone orders its two plans
 * (directly or through other plans). Unsupported ones are a planner's guess or knowledge the
 * plans do not write down; `after` shows what the phase would take without them.
 */
export function auditPhase(a: PhaseAnalysis, maxConcurrent: number): PhaseAudit {
  const ids = a.plans.map((p) => p.id);
  const internal = a.edges.filter((e) => !e.external);
  const isDeclared = (e: AnalyzedEdge) => e.reasons.some((r) => r.kind === "declared");
  const evidence = internal.filter((e) => e.reasons.some((r) => r.kind !== "declared"));
  const declaredEdges = internal.filter(isDeclared);
  const byEvidence = reachability(ids, evidence);
  const byDeclared = reachability(ids, declaredEdges);
  const pick = (e: AnalyzedEdge, reasons: EdgeReason[]): AuditEdge => ({ from: e.from, to: e.to, fromFile: e.fromFile, toFile: e.toFile, reasons });

  const unsupported = declaredEdges.filter((e) => !byEvidence(e.from, e.to));
  const inferredAll = internal.filter((e) => !isDeclared(e));
  const inferred = inferredAll.filter((e) => !byDeclared(e.from, e.to));
  const dropped = new Set(unsupported.map((e) => `${e.from}\u0000${e.to}`));
  return {
    maxConcurrent,
    declared: declaredEdges.length,
    supported: declaredEdges.length - unsupported.length,
    unsupported: unsupported.map((e) =>
      pick(
        e,
        e.reasons.filter((r) => r.kind === "declared"),
      ),
    ),
    inferred: inferred.map((e) => pick(e, e.reasons)),
    inferredImplied: inferredAll.length - inferred.length,
    before: scheduleOf(a, internal, maxConcurrent),
    after: scheduleOf(
      a,
      internal.filter((e) => !dropped.has(`${e.from}\u0000${e.to}`)),
      maxConcurrent,
    ),
  };
}
