import { type Diagnostic, diagnostic, sortDiagnostics } from "../common/diagnostic";
import { comparePhaseNumbers } from "../plan/phase-number";
import { Adjacency, buildGraph, criticalPath, findCycles } from "../graph/plan-graph";
import type { AnalyzedRoadmapPhase, RoadmapAnalysis, RoadmapAnalysisInput } from "./roadmap-types";
import { PhaseDirIndex, dirStatus } from "./roadmap-dirs";
import { roadmapEdges } from "./roadmap-edges";
import { computeLevels, groupByLevel } from "./roadmap-levels";
import { reconcileStatus } from "./roadmap-status";

/**
 * The plan-level engine one level up: ROADMAP.md phases, their `Depends on` edges, levels
 * (which phases could run side by side), the critical path, and cycles.
 * - Completed phases are satisfied prerequisites, not work: levels, the critical path and the
 *   simulation cover the phases still to do, and an edge from a complete phase is `satisfied`.
 * - A cycle is an error naming it; its phases, and everything waiting on them, get no level.
 * - A phase's minutes are the sum of its plans' durations (from SUMMARY.md, else estimated),
 *   passed in by the shell; a phase with no plans yet is assumed to take the median of the
 *   planned ones (or an hour when none is), and says so.
 */
export const DEFAULT_PHASE_MINUTES = 60;

const round = (n: number) => Math.round(n * 10) / 10;

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function analyzeRoadmap(input: RoadmapAnalysisInput): RoadmapAnalysis {
  const file = input.roadmap.file;
  const diagnostics: Diagnostic[] = [...input.roadmap.diagnostics];
  const index = new PhaseDirIndex(input.tree, input.containers);
  const source = [...input.roadmap.phases].sort((a, b) => comparePhaseNumbers(a.id, b.id));
  const order = source.map((p) => p.id);
  const byId = new Map<string, AnalyzedRoadmapPhase>();
  const known: number[] = [];

  for (const p of source) {
    const m = index.match(p.id);
    if (m && "ambiguous" in m) {
      diagnostics.push(
        diagnostic(
          "info",
          "roadmap-phase-ambiguous",
          `Phase ${p.written} matches ${m.ambiguous.length} directories (${m.ambiguous.join(", ")}); its status comes from the roadmap`,
          { file, line: p.line },
        ),
      );
    }
    const listing = m && "dir" in m ? m.dir : undefined;
    const ds = listing ? dirStatus(listing) : undefined;
    const st = reconcileStatus(p, ds, listing?.dir, file);
    diagnostics.push(...st.diagnostics);
    const a: AnalyzedRoadmapPhase = {
      id: p.id,
      written: p.written,
      name: p.name,
      line: p.line,
      inserted: p.inserted,
      plans: { total: ds?.plans ?? 0, complete: ds?.complete ?? 0 },
      status: st.status,
      statusSource: st.source,
      dependsOn: [],
      declaredDependsOn: p.depends.map((d) => d.text),
      blocked: false,
      onCycle: false,
      minutes: 0,
      durationSource: "assumed",
    };
    if (listing) a.dir = listing.dir;
    if (p.checkbox) a.checkbox = p.checkbox.checked;
    if (p.progress) a.progressStatus = p.progress.status;
    const d = listing ? input.durations?.get(listing.dir) : undefined;
    if (d && d.plans > 0) {
      a.minutes = round(d.minutes);
      a.durationSource = d.fromSummaries === d.plans ? "summary" : d.fromSummaries === 0 ? "estimate" : "mixed";
      known.push(d.minutes);
    }
    byId.set(p.id, a);
  }
  const assumed = round(median(known) ?? DEFAULT_PHASE_MINUTES);
  for (const a of byId.values()) if (a.durationSource === "assumed") a.minutes = assumed;

  const linked = roadmapEdges(source, byId, index, file);
  const edges = linked.edges;
  diagnostics.push(...linked.diagnostics);
  for (const e of edges) byId.get(e.to)?.dependsOn.push(e.from);

  const internal = edges.filter((e) => !e.external);
  const cycles =
    computeLevels(order, new Adjacency({ order, edges: internal })).stuck.length === 0 ? [] : findCycles(buildGraph({ order, edges: internal }), order);
  for (const c of cycles) {
    for (const id of c) (byId.get(id) as AnalyzedRoadmapPhase).onCycle = true;
    const line = internal.find((e) => e.from === c[0] && e.to === c[1])?.reasons[0]?.line;
    const names = c.map((id) => `Phase ${byId.get(id)?.written ?? id}`).join(" -> ");
    diagnostics.push(
      diagnostic(
        "error",
        "cycle",
        `dependency cycle between phases: ${names}; none of them is scheduled until it is broken`,
        line === undefined ? { file } : { file, line },
      ),
    );
  }

  // Only the phases still to do are work; a complete prerequisite is simply met.
  const work = order.filter((id) => byId.get(id)?.status !== "complete");
  const workSet = new Set(work);
  const adj = new Adjacency({ order: work, edges: internal.filter((e) => workSet.has(e.from) && workSet.has(e.to)) });
  const lv = computeLevels(work, adj);
  for (const [id, l] of lv.level) (byId.get(id) as AnalyzedRoadmapPhase).level = l;
  for (const id of lv.stuck) (byId.get(id) as AnalyzedRoadmapPhase).blocked = true;
  const cp = criticalPath(adj, lv.order, (id) => byId.get(id)?.minutes ?? 0);

  return {
    file,
    phases: order.map((id) => byId.get(id) as AnalyzedRoadmapPhase),
    edges,
    levels: groupByLevel(work, lv.level),
    criticalPath: cp.path,
    criticalPathMinutes: round(cp.minutes),
    cycles,
    diagnostics: sortDiagnostics(diagnostics),
  };
}

export type { AnalyzedRoadmapPhase, PhaseDuration, PhaseDurationSource, RoadmapAnalysis, RoadmapAnalysisInput, RoadmapEdge } from "./roadmap-types";
