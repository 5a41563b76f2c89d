import { type PhaseListing, type PlanningTree, phaseFiles } from "../../lib/core/plan/planning-tree";
import { refTargets } from "../../lib/core/plan/ref-targets";

function phase(dir: string, files: string[], number: string): PhaseListing {
  return { dir, name: dir.slice(dir.lastIndexOf("/") + 1), number, container: "phases", active: true, files };
}

const core = phase(".planning/phases/02-core", ["02-01-PLAN.md", "02-02-api-PLAN.md", "02-03-PLAN.md", "02-01-SUMMARY.md"], "02");
const base = phase(".planning/phases/01-base", ["01-01-PLAN.md", "01-02-setup-PLAN.md", "01-01-SUMMARY.md", "01-PHASE-SUMMARY.md"], "01");
const tree: PlanningTree = { root: ".planning", phases: [base, core] };
const local = phaseFiles(core).plans.map((ref) => ({ id: ref.id, ref }));
const targets = refTargets(local, tree);

describe("refTargets: plans of the phase under analysis", () => {
  it("a PLAN.md of the phase", () => {
    expect(targets.lookup(".planning/phases/02-core/02-03-PLAN.md")).toEqual({ summary: false, local: "02-03" });
  });
  it("a SUMMARY.md of the phase, written or not yet written", () => {
    expect(targets.lookup(".planning/phases/02-core/02-01-SUMMARY.md")).toEqual({ summary: true, local: "02-01" });
    expect(targets.lookup(".planning/phases/02-core/02-03-SUMMARY.md")).toEqual({ summary: true, local: "02-03" });
  });
  it("the summary of a slugged plan, named by its short id (GSD's usual name) or by its stem", () => {
    expect(targets.lookup(".planning/phases/02-core/02-02-SUMMARY.md")).toEqual({ summary: true, local: "02-02" });
    expect(targets.lookup(".planning/phases/02-core/02-02-api-SUMMARY.md")).toEqual({ summary: true, local: "02-02" });
  });
  it("uses the id the caller assigned, not the file's short id", () => {
    const renamed = refTargets([{ id: "custom", ref: phaseFiles(core).plans[0]! }], tree);
    expect(renamed.lookup(".planning/phases/02-core/02-01-PLAN.md")).toEqual({ summary: false, local: "custom" });
  });
});

describe("refTargets: plans of other phases", () => {
  it("a PLAN.md of another phase", () => {
    const t = targets.lookup(".planning/phases/01-base/01-02-setup-PLAN.md");
    expect(t).toMatchObject({ summary: false, plan: { id: "01-02", file: ".planning/phases/01-base/01-02-setup-PLAN.md" }, phase: base });
    expect(t && "local" in t ? t.local : undefined).toBeUndefined();
  });
  it("a SUMMARY.md of another phase, matched to its plan by id", () => {
    expect(targets.lookup(".planning/phases/01-base/01-01-SUMMARY.md")).toMatchObject({ summary: true, plan: { id: "01-01" }, phase: base });
    expect(targets.lookup(".planning/phases/01-base/01-02-SUMMARY.md")).toMatchObject({ summary: true, plan: { id: "01-02" } });
  });
  it("nothing for a phase summary, an unknown plan, an unknown directory, or a file that is not a plan", () => {
    expect(targets.lookup(".planning/phases/01-base/01-PHASE-SUMMARY.md")).toBeUndefined();
    expect(targets.lookup(".planning/phases/01-base/01-09-PLAN.md")).toBeUndefined();
    expect(targets.lookup(".planning/phases/07-nowhere/07-01-PLAN.md")).toBeUndefined();
    expect(targets.lookup(".planning/phases/01-base/01-CONTEXT.md")).toBeUndefined();
    expect(targets.lookup("src/02-01-PLAN.md")).toBeUndefined();
    expect(targets.lookup(".planning/STATE.md")).toBeUndefined();
  });
});
