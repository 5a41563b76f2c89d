import { type PhaseAnalysis, analyzePhase } from "../../lib/core/graph/analysis";
import { type EdgePlan, EdgeSet, inferFileEdges, isBookkeeping } from "../../lib/core/graph/edges";
import { type PathEntry, normalizePathEntry } from "../../lib/core/plan/path-entry";
import type { PhaseListing, PlanningTree } from "../../lib/core/plan/planning-tree";

// ---------------------------------------------------------------------------------------------
// Fixtures: a phase 02 whose plans are given as front-matter fields and a body.

const DIR = ".planning/phases/02-core";
const BASE_DIR = ".planning/phases/01-base";

interface PlanSpec {
  deps?: string[];
  files?: string[];
  body?: string;
}
function planText(spec: PlanSpec): string {
  const lines = ["---", "phase: 02-core"];
  lines.push(`depends_on: [${(spec.deps ?? []).map((d) => JSON.stringify(d)).join(", ")}]`);
  if (spec.files && spec.files.length > 0) lines.push("files_modified:", ...spec.files.map((f) => `  - ${f}`));
  else lines.push("files_modified: []");
  lines.push("---", "", spec.body ?? "Do the work.");
  return lines.join("\n");
}
function analyze(plans: Record<string, PlanSpec>, extra: { baseFiles?: string[]; files?: string[] } = {}): PhaseAnalysis {
  const phase: PhaseListing = {
    dir: DIR,
    name: "02-core",
    number: "02",
    container: "phases",
    active: true,
    files: [...Object.keys(plans).map((id) => `${id}-PLAN.md`), ...(extra.files ?? [])],
  };
  const base: PhaseListing = {
    dir: BASE_DIR,
    name: "01-base",
    number: "01",
    container: "phases",
    active: true,
    files: extra.baseFiles ?? ["01-01-PLAN.md", "01-02-PLAN.md"],
  };
  const tree: PlanningTree = { root: ".planning", phases: [base, phase] };
  const texts = new Map(Object.entries(plans).map(([id, spec]) => [`${DIR}/${id}-PLAN.md`, planText(spec)]));
  return analyzePhase({ tree, phase, texts, projectRootAbs: "/work/app" });
}
const edge = (a: PhaseAnalysis, from: string, to: string) => a.edges.find((e) => e.from === from && e.to === to);
const kinds = (a: PhaseAnalysis, from: string, to: string) => edge(a, from, to)?.reasons.map((r) => r.kind) ?? [];
const codes = (a: PhaseAnalysis) => a.diagnostics.map((d) => d.code);
const context = (...refs: string[]) => ["<context>", ...refs, "</context>"].join("\n");

// ---------------------------------------------------------------------------------------------

describe("edge kinds through analyzePhase", () => {
  it("declared: a depends_on entry, with the line it is written on", () => {
    const a = analyze({ "02-01": {}, "02-02": { deps: ["02-01"] } });
    expect(edge(a, "02-01", "02-02")).toEqual({
      from: "02-01",
      to: "02-02",
      fromFile: `${DIR}/02-01-PLAN.md`,
      toFile: `${DIR}/02-02-PLAN.md`,
      external: false,
      reasons: [{ kind: "declared", line: 3 }],
    });
    expect(a.edges).toHaveLength(1);
  });

  it("plan-ref: an @-reference to another plan's PLAN.md", () => {
    const a = analyze({ "02-01": {}, "02-02": { body: context(`@${DIR}/02-01-PLAN.md`) } });
    expect(edge(a, "02-01", "02-02")?.reasons).toEqual([{ kind: "plan-ref", file: `${DIR}/02-01-PLAN.md`, line: 8 }]);
  });

  it("summary-ref: an @-reference to another plan's SUMMARY.md, before it exists", () => {
    const a = analyze({ "02-01": {}, "02-02": { body: context(`@${DIR}/02-01-SUMMARY.md`) } });
    expect(edge(a, "02-01", "02-02")?.reasons).toEqual([{ kind: "summary-ref", file: `${DIR}/02-01-SUMMARY.md`, line: 8 }]);
    expect(edge(a, "02-01", "02-02")?.external).toBe(false);
  });

  it("summary-ref: a slugged plan's summary named by its short id is a same-phase reference", () => {
    const phase: PhaseListing = {
      dir: DIR,
      name: "02-core",
      number: "02",
      container: "phases",
      active: true,
      files: ["02-01-schema-PLAN.md", "02-02-api-PLAN.md"],
    };
    const texts = new Map([
      [`${DIR}/02-01-schema-PLAN.md`, planText({})],
      [`${DIR}/02-02-api-PLAN.md`, planText({ body: context(`@${DIR}/02-01-SUMMARY.md`) })],
    ]);
    const a = analyzePhase({ tree: { root: ".planning", phases: [phase] }, phase, texts });
    expect(edge(a, "02-01", "02-02")).toMatchObject({ external: false, reasons: [{ kind: "summary-ref" }] });
    expect(a.waves).toEqual([["02-01"], ["02-02"]]);
    expect(codes(a)).not.toContain("cross-phase-pending");
  });

  it("a plan referring to its own PLAN or SUMMARY makes no edge", () => {
    const a = analyze({ "02-01": { body: context(`@${DIR}/02-01-PLAN.md`, `@${DIR}/02-01-SUMMARY.md`) } });
    expect(a.edges).toEqual([]);
  });

  it("read-after-write: a plan reads (via @-reference) a file an earlier plan modifies", () => {
    const a = analyze({ "02-01": { files: ["src/db/schema.ts"] }, "02-02": { body: context("@src/db/schema.ts (the tables)") } });
    expect(edge(a, "02-01", "02-02")?.reasons).toEqual([{ kind: "read-after-write", file: "src/db/schema.ts", line: 8 }]);
    expect(codes(a)).toEqual([]);
  });

  it("read-after-write: a task's <files> and <read_first> count as reads", () => {
    const body = ['<task type="auto">', "<name>Use it</name>", "<files>src/api.ts</files>", "<read_first>src/db/schema.ts</read_first>", "</task>"].join("\n");
    const a = analyze({ "02-01": { files: ["src/db/schema.ts"] }, "02-02": { files: ["src/api.ts"], body } });
    expect(kinds(a, "02-01", "02-02")).toEqual(["read-after-write"]);
  });

  it("read-after-write: a plan that reads a file is run before a later plan that modifies it", () => {
    const a = analyze({ "02-01": { body: context("@src/config.ts") }, "02-02": { files: ["src/config.ts"] } });
    expect(edge(a, "02-01", "02-02")?.reasons).toEqual([{ kind: "read-after-write", file: "src/config.ts" }]);
  });

  it("read-after-write: a reader is placed after the nearest writer before it and before the nearest after it", () => {
    const a = analyze({
      "02-01": { files: ["src/x.ts"] },
      "02-02": { files: ["src/x.ts"] },
      "02-03": { body: context("@src/x.ts") },
      "02-04": { files: ["src/x.ts"] },
    });
    expect(kinds(a, "02-02", "02-03")).toEqual(["read-after-write"]);
    expect(kinds(a, "02-03", "02-04")).toEqual(["read-after-write"]);
    expect(edge(a, "02-01", "02-03")).toBeUndefined();
  });

  it("write-conflict: two plans modify one file; ordered by plan order and linted as undeclared", () => {
    const a = analyze({ "02-01": { files: ["src/app.ts"] }, "02-02": { files: ["src/app.ts"] } });
    expect(edge(a, "02-01", "02-02")?.reasons).toEqual([{ kind: "write-conflict", file: "src/app.ts" }]);
    expect(edge(a, "02-02", "02-01")).toBeUndefined();
    expect(a.diagnostics).toEqual([expect.objectContaining({ code: "write-conflict-undeclared", severity: "error", file: `${DIR}/02-02-PLAN.md`, line: 4 })]);
    expect(a.waves).toEqual([["02-01"], ["02-02"]]);
  });

  it("write-conflict: not linted when a declared dependency already orders the pair", () => {
    const a = analyze({ "02-01": { files: ["src/app.ts"] }, "02-02": { deps: ["02-01"], files: ["src/app.ts"] } });
    expect(kinds(a, "02-01", "02-02")).toEqual(["declared", "write-conflict"]);
    expect(codes(a)).toEqual([]);
  });

  it("write-conflict: writers of one file are chained, not paired all-to-all", () => {
    const a = analyze({ "02-01": { files: ["src/app.ts"] }, "02-02": { files: ["src/app.ts"] }, "02-03": { files: ["src/app.ts"] } });
    expect(kinds(a, "02-01", "02-02")).toEqual(["write-conflict"]);
    expect(kinds(a, "02-02", "02-03")).toEqual(["write-conflict"]);
    expect(edge(a, "02-01", "02-03")).toBeUndefined();
    expect(a.waves).toEqual([["02-01"], ["02-02"], ["02-03"]]);
  });

  it("cross-phase: a prerequisite in another phase without a summary blocks, with a warning", () => {
    const a = analyze({ "02-01": { deps: ["01-02"] } });
    expect(edge(a, "01-02", "02-01")).toEqual({
      from: "01-02",
      to: "02-01",
      fromFile: `${BASE_DIR}/01-02-PLAN.md`,
      toFile: `${DIR}/02-01-PLAN.md`,
      external: true,
      satisfied: false,
      reasons: [{ kind: "cross-phase", file: `${BASE_DIR}/01-02-PLAN.md`, line: 3 }],
    });
    expect(a.diagnostics).toEqual([expect.objectContaining({ code: "cross-phase-pending", severity: "warning", file: `${DIR}/02-01-PLAN.md`, line: 3 })]);
    expect(a.plans[0]?.dependsOn).toEqual(["01-02"]);
  });

  it("cross-phase: a completed prerequisite is satisfied and not warned about", () => {
    const a = analyze({ "02-01": { deps: ["01-01"] } }, { baseFiles: ["01-01-PLAN.md", "01-01-SUMMARY.md"] });
    expect(edge(a, "01-01", "02-01")).toMatchObject({ external: true, satisfied: true });
    expect(codes(a)).toEqual([]);
  });

  it("cross-phase: a reference to another phase's summary is an external summary-ref", () => {
    const a = analyze({ "02-01": { body: context(`@${BASE_DIR}/01-01-SUMMARY.md`) } }, { baseFiles: ["01-01-PLAN.md", "01-01-SUMMARY.md"] });
    expect(edge(a, "01-01", "02-01")).toMatchObject({
      external: true,
      satisfied: true,
      reasons: [{ kind: "summary-ref", file: `${BASE_DIR}/01-01-SUMMARY.md` }],
    });
  });

  it("collects every reason on one edge", () => {
    const a = analyze({
      "02-01": { files: ["src/x.ts"] },
      "02-02": { deps: ["02-01"], files: ["src/x.ts"], body: context(`@${DIR}/02-01-SUMMARY.md`, "@src/x.ts") },
    });
    expect(a.edges).toHaveLength(1);
    expect(kinds(a, "02-01", "02-02").sort()).toEqual(["declared", "summary-ref", "write-conflict"]);
  });
});

describe("write conflicts and later-numbered dependencies", () => {
  it("orders a conflict the way a plan's dependency on a later-numbered plan does", () => {
    const a = analyze({ "02-01": { deps: ["02-02"], files: ["src/x.ts"] }, "02-02": { files: ["src/x.ts"] } });
    expect(kinds(a, "02-02", "02-01")).toEqual(["declared", "write-conflict"]);
    expect(edge(a, "02-01", "02-02")).toBeUndefined();
    expect(a.cycles).toEqual([]);
    expect(codes(a)).toEqual([]);
  });

  it("never creates a cycle through a chain of such dependencies", () => {
    // 02-03 -> 02-02 -> 02-01 declared; 02-01 and 02-03 share a file. Plan order would say
    // 02-01 -> 02-03 and close a cycle; the declared order says 02-03 first.
    const a = analyze({
      "02-01": { deps: ["02-02"], files: ["src/x.ts"] },
      "02-02": { deps: ["02-03"] },
      "02-03": { files: ["src/x.ts"] },
    });
    expect(kinds(a, "02-03", "02-01")).toEqual(["write-conflict"]);
    expect(edge(a, "02-01", "02-03")).toBeUndefined();
    expect(a.cycles).toEqual([]);
    expect(codes(a)).not.toContain("cycle");
    expect(codes(a)).not.toContain("write-conflict-undeclared");
    expect(a.waves).toEqual([["02-03"], ["02-02"], ["02-01"]]);
  });

  it("orders a read the same way", () => {
    const a = analyze({ "02-01": { deps: ["02-02"], body: context("@src/x.ts") }, "02-02": { files: ["src/x.ts"] } });
    expect(kinds(a, "02-02", "02-01")).toEqual(["declared", "read-after-write"]);
    expect(edge(a, "02-01", "02-02")).toBeUndefined();
  });
});

describe("paths", () => {
  it("ignores .planning/ bookkeeping files, written or read", () => {
    const a = analyze({
      "02-01": { files: [".planning/STATE.md", ".planning/ROADMAP.md", "src/a.ts"] },
      "02-02": { files: [".planning/STATE.md", ".planning/REQUIREMENTS.md"], body: context("@.planning/STATE.md", "@.planning/ROADMAP.md") },
    });
    expect(a.edges).toEqual([]);
    expect(a.waves).toEqual([["02-01", "02-02"]]);
  });

  it("ignores a write to the whole .planning directory", () => {
    const a = analyze({ "02-01": { files: [".planning/"] }, "02-02": { files: [".planning/phases/02-core/notes.md"] } });
    expect(a.edges).toEqual([]);
  });

  it("matches a file under a directory in files_modified", () => {
    const a = analyze({
      "02-01": { files: ["src/components/"] },
      "02-02": { files: ["src/components/Button.tsx"] },
      "02-03": { files: ["src/componentsX/a.ts"] },
    });
    expect(edge(a, "02-01", "02-02")?.reasons).toEqual([{ kind: "write-conflict", file: "src/components/" }]);
    expect(a.edges.filter((e) => e.to === "02-03" || e.from === "02-03")).toEqual([]);
  });

  it("matches a file covered by a glob, and not one it does not cover", () => {
    const a = analyze({ "02-01": { files: ["src/**/*.test.ts"] }, "02-02": { files: ["src/api/users.test.ts"] }, "02-03": { files: ["src/api/users.ts"] } });
    expect(kinds(a, "02-01", "02-02")).toEqual(["write-conflict"]);
    expect(a.edges.filter((e) => e.to === "02-03" || e.from === "02-03")).toEqual([]);
  });

  it("orders two overlapping directory/glob entries", () => {
    const a = analyze({ "02-01": { files: ["src/lib/"] }, "02-02": { files: ["src/lib/**/*.ts"] } });
    expect(kinds(a, "02-01", "02-02")).toEqual(["write-conflict"]);
  });

  it("makes a read of a file under a written directory a read-after-write", () => {
    const a = analyze({ "02-01": { files: ["src/components/"] }, "02-02": { body: context("@src/components/Card.tsx") } });
    expect(edge(a, "02-01", "02-02")?.reasons).toEqual([{ kind: "read-after-write", file: "src/components/Card.tsx", line: 8 }]);
  });

  it("matches the same file written as ./path, quoted, absolute, with a comment or a (NEW) note", () => {
    const a = analyze({
      "02-01": { files: ["./src/a.ts"] },
      "02-02": { files: ['"src/a.ts"'] },
      "02-03": { files: ["src/a.ts  # again"] },
      "02-04": { files: ["src/a.ts (NEW)"] },
      "02-05": { files: ["/work/app/src/a.ts"] },
    });
    expect(a.waves).toEqual([["02-01"], ["02-02"], ["02-03"], ["02-04"], ["02-05"]]);
    expect(a.plans.every((p) => p.filesModified.every((f) => f === "src/a.ts"))).toBe(true);
  });

  it("orders plans by the same path outside the project only against each other, as written", () => {
    const a = analyze({ "02-01": { files: ["/etc/hosts"] }, "02-02": { files: ["/etc/hosts"] }, "02-03": { files: ["/etc/passwd", "etc/hosts"] } });
    expect(a.edges.map((e) => [e.from, e.to, e.reasons])).toEqual([["02-01", "02-02", [{ kind: "write-conflict", file: "/etc/hosts", via: "foreign-path" }]]]);
    expect(codes(a).filter((c) => c === "path-outside-project")).toHaveLength(3);
  });
});

// ---------------------------------------------------------------------------------------------

function entry(raw: string): PathEntry {
  const e = normalizePathEntry(raw, "/work/app");
  if (!e) throw new Error(`fixture does not normalise: ${raw}`);
  return e;
}
const plan = (id: string, writes: string[], reads: string[] = []): EdgePlan => ({
  id,
  writes: writes.map(entry),
  reads: reads.map((path, i) => ({ path, line: i + 10 })),
});

describe("isBookkeeping", () => {
  it("is true for .planning and everything under it", () => {
    expect(isBookkeeping(".planning")).toBe(true);
    expect(isBookkeeping(".planning/STATE.md")).toBe(true);
    expect(isBookkeeping(".planning/phases/02-core/02-01-SUMMARY.md")).toBe(true);
  });
  it("is false for lookalikes", () => {
    expect(isBookkeeping(".planning-notes/x.md")).toBe(false);
    expect(isBookkeeping("docs/.planning/x.md")).toBe(false);
    expect(isBookkeeping("planning/STATE.md")).toBe(false);
  });
});

describe("EdgeSet", () => {
  it("merges reasons per edge, without duplicates, and ignores self-edges", () => {
    const s = new EdgeSet();
    s.add("a", "b", { kind: "declared", line: 3 });
    s.add("a", "b", { kind: "declared", line: 4 });
    s.add("a", "b", { kind: "write-conflict", file: "x" });
    s.add("a", "b", { kind: "write-conflict", file: "y" });
    s.add("a", "a", { kind: "declared" });
    expect(s.has("a", "b")).toBe(true);
    expect(s.has("b", "a")).toBe(false);
    expect(s.has("a", "a")).toBe(false);
    expect(s.list()).toEqual([
      {
        from: "a",
        to: "b",
        reasons: [
          { kind: "declared", line: 3 },
          { kind: "write-conflict", file: "x" },
          { kind: "write-conflict", file: "y" },
        ],
      },
    ]);
  });
});

describe("inferFileEdges", () => {
  it("returns each conflicting pair once, in the given topological order", () => {
    const edges = new EdgeSet();
    const conflicts = inferFileEdges([plan("a", ["src/x.ts", "src/y.ts"]), plan("b", ["src/x.ts", "src/y.ts"])], ["b", "a"], edges);
    expect(conflicts).toEqual([{ from: "b", to: "a", file: "src/x.ts" }]);
    expect(edges.list()).toEqual([
      {
        from: "b",
        to: "a",
        reasons: [
          { kind: "write-conflict", file: "src/x.ts" },
          { kind: "write-conflict", file: "src/y.ts" },
        ],
      },
    ]);
  });

  it("makes every inferred edge point forward in the topological order", () => {
    const edges = new EdgeSet();
    const topo = ["c", "a", "b"];
    inferFileEdges([plan("a", ["src/x.ts"], ["src/z.ts"]), plan("b", ["src/x.ts"]), plan("c", ["src/x.ts", "src/z.ts"])], topo, edges);
    const pos = (id: string) => topo.indexOf(id);
    expect(edges.list().length).toBeGreaterThan(0);
    for (const e of edges.list()) expect(pos(e.from)).toBeLessThan(pos(e.to));
  });

  it("does not add a read edge for a file the reader writes itself", () => {
    const edges = new EdgeSet();
    inferFileEdges([plan("a", ["src/x.ts"]), plan("b", ["src/y.ts"], ["src/y.ts"])], ["a", "b"], edges);
    expect(edges.list()).toEqual([]);
  });
});
