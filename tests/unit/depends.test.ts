import { type LocalPlan, type Resolution, cleanDependsValue, resolveDependency } from "../../lib/core/plan/depends";
import { type PhaseListing, type PlanningTree, phaseFiles } from "../../lib/core/plan/planning-tree";

function phase(dir: string, files: string[], number?: string, container = "phases", active = true): PhaseListing {
  const listing: PhaseListing = { dir, name: dir.slice(dir.lastIndexOf("/") + 1), container, active, files };
  if (number !== undefined) listing.number = number;
  return listing;
}
function locals(p: PhaseListing): LocalPlan[] {
  return phaseFiles(p).plans.map((r) => (r.planToken === undefined ? { id: r.id, stem: r.stem } : { id: r.id, stem: r.stem, planToken: r.planToken }));
}
/** A resolution with plan and phase reduced to their files, for readable expectations. */
function brief(r: Resolution): unknown {
  return r.kind === "cross" ? { kind: "cross", file: r.plan.file, id: r.plan.id, phase: r.phase.dir } : r;
}

const core = phase(".planning/phases/02-core", ["02-01-PLAN.md", "02-02-schema-PLAN.md", "02-03-PLAN.md", "02-01-SUMMARY.md", "02-CONTEXT.md"], "02");
const hotfix = phase(".planning/phases/02.1-hotfix", ["02.1-01-PLAN.md", "02.1-03-PLAN.md"], "02.1");
const auth = phase(".planning/phases/11-auth", ["11-01-PLAN.md", "11-02-PLAN.md"], "11");
const ui = phase(".planning/phases/12-ui", ["12-01-PLAN.md", "12-02-PLAN.md"], "12");
const docs = phase(".planning/phases/37-docs", ["01-PLAN.md", "02-PLAN.md"], "37");
const tree: PlanningTree = { root: ".planning", phases: [core, hotfix, auth, ui, docs] };
const corePlans = locals(core);
const [p01, , p03] = corePlans as [LocalPlan, LocalPlan, LocalPlan];
const fromCore = (value: string, self: LocalPlan = p03) => brief(resolveDependency(value, self, corePlans, core, tree));

describe("cleanDependsValue", () => {
  it("strips quotes, notes, comments and suffixes", () => {
    expect(cleanDependsValue('"02-01 (schema first)"')).toEqual({ token: "02-01" });
    expect(cleanDependsValue("02-01  # needs the table")).toEqual({ token: "02-01" });
    expect(cleanDependsValue("02-01 — schema")).toEqual({ token: "02-01" });
    expect(cleanDependsValue("02-01 - schema")).toEqual({ token: "02-01" });
    expect(cleanDependsValue("02-01: schema")).toEqual({ token: "02-01" });
    expect(cleanDependsValue("02-01,")).toEqual({ token: "02-01" });
    expect(cleanDependsValue("`02-01`")).toEqual({ token: "02-01" });
  });
  it("strips PLAN/SUMMARY file suffixes and ./", () => {
    expect(cleanDependsValue("./02-01-PLAN.md")).toEqual({ token: "02-01" });
    expect(cleanDependsValue("02-01-SUMMARY.md")).toEqual({ token: "02-01" });
    expect(cleanDependsValue("notes.md")).toEqual({ token: "notes" });
  });
  it("returns the directory part of a path separately", () => {
    expect(cleanDependsValue("37-docs/01")).toEqual({ token: "01", dir: "37-docs" });
    expect(cleanDependsValue(".planning/phases/02-core/02-01-PLAN.md")).toEqual({ token: "02-01", dir: "02-core" });
  });
  it("keeps a hyphenated slug that is part of the name", () => {
    expect(cleanDependsValue("02-02-schema")).toEqual({ token: "02-02-schema" });
  });
});

describe("resolveDependency: same phase", () => {
  it("by exact id", () => {
    expect(fromCore("02-01")).toEqual({ kind: "same", id: "02-01" });
  });
  it("by file stem (slugged plan)", () => {
    expect(fromCore("02-02-schema")).toEqual({ kind: "same", id: "02-02" });
  });
  it("by bare plan number, padded or not", () => {
    expect(fromCore("01")).toEqual({ kind: "same", id: "02-01" });
    expect(fromCore("1")).toEqual({ kind: "same", id: "02-01" });
    expect(fromCore("002")).toEqual({ kind: "same", id: "02-02" });
  });
  it("by file name, and by path", () => {
    expect(fromCore("02-01-PLAN.md")).toEqual({ kind: "same", id: "02-01" });
    expect(fromCore("02-02-schema-PLAN.md")).toEqual({ kind: "same", id: "02-02" });
    expect(fromCore(".planning/phases/02-core/02-01-PLAN.md")).toEqual({ kind: "same", id: "02-01" });
  });
  it("annotated entries", () => {
    expect(fromCore('"02-01 (schema)"')).toEqual({ kind: "same", id: "02-01" });
    expect(fromCore("02-01  # note")).toEqual({ kind: "same", id: "02-01" });
  });
  it("an id spelled with other padding of the same phase and plan", () => {
    expect(fromCore("02-1")).toEqual({ kind: "same", id: "02-01" });
    expect(fromCore("2-01")).toEqual({ kind: "same", id: "02-01" });
  });
  it("names the plan itself as self", () => {
    expect(fromCore("02-03")).toEqual({ kind: "self" });
    expect(fromCore("3")).toEqual({ kind: "self" });
    expect(fromCore("01", p01)).toEqual({ kind: "self" });
  });
  it("reports two plans with the same number as ambiguous", () => {
    const twin = phase(".planning/phases/05-x", ["05-01-PLAN.md", "05-1-alt-PLAN.md", "05-02-PLAN.md"], "05");
    const plans = locals(twin);
    const self = plans.find((p) => p.id === "05-02") as LocalPlan;
    const r = resolveDependency("01", self, plans, twin, tree);
    expect(r.kind).toBe("ambiguous");
    expect(r.kind === "ambiguous" && [...r.ids].sort()).toEqual(["05-01", "05-1"]);
  });
  it("leaves an unknown number, an empty entry and a prose entry unresolved", () => {
    expect(fromCore("99")).toEqual({ kind: "unresolved" });
    expect(fromCore("02-99")).toEqual({ kind: "unresolved" });
    expect(fromCore('""')).toEqual({ kind: "unresolved" });
    expect(fromCore("the schema plan")).toEqual({ kind: "unresolved" });
  });
  it("does not take a word token as a bare number", () => {
    const withFix = phase(".planning/phases/06-x", ["06-01-PLAN.md", "06-FIX-PLAN.md"], "06");
    const plans = locals(withFix);
    expect(resolveDependency("FIX", plans[0] as LocalPlan, plans, withFix, tree)).toEqual({ kind: "unresolved" });
    expect(resolveDependency("06-FIX", plans[0] as LocalPlan, plans, withFix, tree)).toEqual({ kind: "same", id: "06-FIX" });
  });
});

describe("resolveDependency: other phases", () => {
  const uiPlans = locals(ui);
  const fromUi = (value: string) => brief(resolveDependency(value, uiPlans[1] as LocalPlan, uiPlans, ui, tree));

  it("`11-02` from phase 12", () => {
    expect(fromUi("11-02")).toEqual({ kind: "cross", file: ".planning/phases/11-auth/11-02-PLAN.md", id: "11-02", phase: ".planning/phases/11-auth" });
  });
  it("in another padding or as a file name", () => {
    expect(fromUi("11-2")).toMatchObject({ kind: "cross", id: "11-02" });
    expect(fromUi("11-01-PLAN.md")).toMatchObject({ kind: "cross", id: "11-01" });
  });
  it("`37-docs/01`: a directory and a plan number", () => {
    expect(fromUi("37-docs/01")).toEqual({ kind: "cross", file: ".planning/phases/37-docs/01-PLAN.md", id: "37-01", phase: ".planning/phases/37-docs" });
    expect(fromUi("37-docs/02-PLAN.md")).toMatchObject({ kind: "cross", id: "37-02" });
  });
  it("a decimal phase `02.1-03`, in any padding", () => {
    expect(fromUi("02.1-03")).toEqual({
      kind: "cross",
      file: ".planning/phases/02.1-hotfix/02.1-03-PLAN.md",
      id: "02.1-03",
      phase: ".planning/phases/02.1-hotfix",
    });
    expect(fromUi("2.1-03")).toMatchObject({ kind: "cross", id: "02.1-03" });
  });
  it("from inside phase 02, `02.1-03` is the decimal phase, not plan 1 of phase 02", () => {
    expect(fromCore("02.1-03")).toMatchObject({ kind: "cross", id: "02.1-03" });
  });
  it("a missing phase, a missing plan or an unknown directory is unresolved", () => {
    expect(fromUi("13-01")).toEqual({ kind: "unresolved" });
    expect(fromUi("11-09")).toEqual({ kind: "unresolved" });
    expect(fromUi("99-docs/01")).toEqual({ kind: "unresolved" });
    expect(fromUi("37-docs/09")).toEqual({ kind: "unresolved" });
  });
  it("prefers a phase in the same container over an archived one with the same number", () => {
    const archived = phase(".planning/milestones/v1.0-phases/11-old-auth", ["11-02-PLAN.md"], "11", "milestones/v1.0-phases", false);
    const t: PlanningTree = { root: ".planning", phases: [archived, auth, ui] };
    const r = resolveDependency("11-02", uiPlans[1] as LocalPlan, uiPlans, ui, t);
    expect(brief(r)).toMatchObject({ kind: "cross", phase: ".planning/phases/11-auth" });
  });
  it("falls back to an archived phase when only it has the plan", () => {
    const archived = phase(".planning/milestones/v1.0-phases/11-old-auth", ["11-05-PLAN.md"], "11", "milestones/v1.0-phases", false);
    const t: PlanningTree = { root: ".planning", phases: [archived, auth, ui] };
    const r = resolveDependency("11-05", uiPlans[1] as LocalPlan, uiPlans, ui, t);
    expect(brief(r)).toMatchObject({ kind: "cross", phase: ".planning/milestones/v1.0-phases/11-old-auth" });
  });
  it("a path naming its own directory resolves locally", () => {
    expect(fromUi("12-ui/12-01")).toEqual({ kind: "same", id: "12-01" });
  });
});
