import { type Diagnostic, diagnostic } from "../common/diagnostic";
import type { RoadmapPhase } from "./roadmap-types";
import type { AnalyzedRoadmapPhase, RoadmapEdge } from "./roadmap-types";
import { type PhaseDirIndex, dirStatus } from "./roadmap-dirs";

/**
 * The roadmap's dependency edges, prerequisite -> dependent, each with the line that declares it.
 * - Between two roadmap phases: `satisfied` when the prerequisite is complete. A complete
 *   phase whose prerequisite is not is a warning: the roadmap's order and the work disagree.
 * - To a phase the roadmap does not list (usually one archived with an earlier milestone):
 *   its directory decides. Found, it is an external edge, satisfied when that directory is
 *   complete and a warning when not (the dependent waits). Not found, or found in several
 *   places, it is `roadmap-depends-unknown` on the Depends line and is not enforced: waiting
 *   for a phase that does not exist would block the dependent forever.
 */
export function roadmapEdges(
  source: readonly RoadmapPhase[],
  byId: ReadonlyMap<string, AnalyzedRoadmapPhase>,
  index: PhaseDirIndex,
  file: string,
): { edges: RoadmapEdge[]; diagnostics: Diagnostic[] } {
  const edges: RoadmapEdge[] = [];
  const diagnostics: Diagnostic[] = [];
  const warn = (code: "roadmap-prerequisite-incomplete" | "roadmap-depends-unknown", message: string, line: number) =>
    diagnostics.push(diagnostic("warning", code, message, { file, line }));

  for (const p of source) {
    const to = byId.get(p.id) as AnalyzedRoadmapPhase;
    for (const dep of p.dependsOn) {
      const from = byId.get(dep.id) as AnalyzedRoadmapPhase;
      edges.push({ from: dep.id, to: p.id, external: false, satisfied: from.status === "complete", reasons: [{ kind: dep.kind, line: dep.line }] });
      if (to.status === "complete" && from.status !== "complete") {
        warn("roadmap-prerequisite-incomplete", `Phase ${p.written} is complete but its prerequisite Phase ${from.written} is ${from.status}`, dep.line);
      }
    }
    for (const u of p.unresolved) {
      const m = u.to === undefined ? index.match(u.id) : undefined;
      const what = u.to === undefined ? `Phase ${u.id}` : `Phases ${u.id}-${u.to}`;
      if (!m || !("dir" in m)) {
        const why = m ? `, and it matches several phase directories (${m.ambiguous.join(", ")})` : " and has no phase directory";
        warn(
          "roadmap-depends-unknown",
          `Phase ${p.written} depends on ${what}, which this roadmap does not list${why}; that prerequisite is not enforced`,
          u.line,
        );
        continue;
      }
      const ds = dirStatus(m.dir);
      const satisfied = ds.status === "complete";
      edges.push({ from: u.id, to: p.id, external: true, fromDir: m.dir.dir, satisfied, reasons: [{ kind: "declared", line: u.line }] });
      if (!satisfied) {
        warn(
          "roadmap-prerequisite-incomplete",
          `Phase ${p.written} needs Phase ${u.id}, which is not in this roadmap; ${m.dir.dir} has ${ds.complete} of ${ds.plans} plans complete, so it waits`,
          u.line,
        );
      }
    }
  }
  return { edges, diagnostics };
}
