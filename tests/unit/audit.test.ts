import { type PhaseAnalysis, analyzePhase } from "../../lib/core/graph/analysis";
import { auditPhase } from "../../lib/core/graph/audit";
import type { PhaseListing, PlanningTree } from "../../lib/core/plan/planning-tree";

const DIR = ".planning/phases/06-x";

function analyze(plans: Record<string, { deps?: string[]; files?: string[]; body?: string }>): PhaseAnalysis {
  const phase: PhaseListing = {
    dir: DIR,
    name: "06-x",
    number: "06",
    container: "phases",
    active: true,
    files: Object.keys(plans).map((id) => `${id}-PLAN.md`),
  };
  const tree: PlanningTree = { root: ".planning", phases: [phase] };
  const text = (p: { deps?: string[]; files?: string[]; body?: string }) =>
    [
      "---",
      `depends_on: [${(p.deps ?? []).map((d) => JSON.stringify(d)).join(", ")}]`,
      "files_modified:",
      ...(p.files ?? []).map((f) => `  - ${f}`),
      "---",
      "",
      p.body ?? "Work.",
    ].join("\n");
  return analyzePhase({ tree, phase, texts: new Map(Object.entries(plans).map(([id, p]) => [`${DIR}/${id}-PLAN.md`, text(p)])), projectRootAbs: "/w" });
}

describe("auditPhase", () => {
  it("counts a declared edge as supported when evidence orders the two plans through a third", () => {
    const a = analyze({
      "06-01": { files: ["src/a.ts"] },
      "06-02": { files: ["src/a.ts", "src/b.ts"] },
      "06-03": { deps: ["06-01"], files: ["src/b.ts"] },
    });
    const au = auditPhase(a, 3);
    expect(au).toMatchObject({ declared: 1, supported: 1, unsupported: [], inferredImplied: 0 });
    expect(au.inferred.map((e) => `${e.from}>${e.to}`)).toEqual(["06-01>06-02", "06-02>06-03"]);
    expect(au.after).toEqual(au.before);
  });

  it("drops only the unsupported declared edges for the after schedule", () => {
    const a = analyze({ "06-01": {}, "06-02": { deps: ["06-01"] }, "06-03": { deps: ["06-01"], body: "Builds on Plan 01." } });
    const au = auditPhase(a, 1);
    expect(au.unsupported.map((e) => [e.from, e.to, e.reasons])).toEqual([["06-01", "06-02", [{ kind: "declared", line: 2 }]]]);
    expect(au.before.waves).toBe(2);
    expect(au.after.waves).toBe(2);
    expect(au.after.criticalPath).toEqual(["06-01", "06-03"]);
    expect(au.after.makespan).toBe(au.before.makespan); // one agent: the same total work either way
  });
});
