import fc from "fast-check";
import { Adjacency } from "../../lib/core/graph/plan-graph";
import type { PhaseListing, PlanningTree } from "../../lib/core/plan/planning-tree";
import { type ParsedRoadmap, type RoadmapPhase, parseRoadmap } from "../../lib/core/roadmap/roadmap";
import { type PhaseDuration, type RoadmapAnalysis, analyzeRoadmap } from "../../lib/core/roadmap/roadmap-analysis";
import { RoadmapAnalysisJson, roadmapToJson } from "../../lib/json/roadmap-json";
import { computeLevels, groupByLevel } from "../../lib/core/roadmap/roadmap-levels";
import { progressState } from "../../lib/core/roadmap/roadmap-progress";
import { parseDependsText } from "../../lib/core/roadmap/roadmap-refs";
import { simPhasesOf } from "../../lib/core/roadmap/roadmap-sim";

const FILE = ".planning/ROADMAP.md";
const md = (...lines: string[]) => lines.join("\n");
const parse = (...lines: string[]) => parseRoadmap(md(...lines), FILE);
const phase = (r: ParsedRoadmap, id: string) => r.phases.find((p) => p.id === id) as RoadmapPhase;
const deps = (r: ParsedRoadmap, id: string) => phase(r, id).dependsOn.map((d) => d.id);
const codes = (list: { code: string }[]) => list.map((d) => d.code);
const EMPTY: PlanningTree = { root: ".planning", phases: [] };

/** A phase directory listing: `plans` PLAN.md files, the first `done` of them with summaries. */
function dir(name: string, plans: number, done: number, container = "phases"): PhaseListing {
  const num = name.split("-")[0] as string;
  const files: string[] = [];
  for (let i = 1; i <= plans; i++) {
    files.push(`${num}-0${i}-PLAN.md`);
    if (i <= done) files.push(`${num}-0${i}-SUMMARY.md`);
  }
  return { dir: `.planning/${container}/${name}`, name, number: num, container, active: container === "phases", files };
}
const tree = (...phases: PhaseListing[]): PlanningTree => ({ root: ".planning", phases });
const analyze = (r: ParsedRoadmap, t: PlanningTree = EMPTY, durations?: Map<string, PhaseDuration>): RoadmapAnalysis =>
  analyzeRoadmap(durations ? { roadmap: r, tree: t, durations } : { roadmap: r, tree: t });
const got = (a: RoadmapAnalysis, id: string) => a.phases.find((p) => p.id === id);

/** `### Phase N: Name` sections, each with a `**Depends on**:` line when given. */
function sections(spec: Record<string, string | undefined>): string {
  return Object.entries(spec)
    .flatMap(([id, dep]) => [`### Phase ${id}: Step ${id}`, "**Goal**: do it", ...(dep === undefined ? [] : [`**Depends on**: ${dep}`]), ""])
    .join("\n");
}

describe("parseRoadmap: phase forms", () => {
  it("reads headings of any level, decimals, letters and INSERTED markers", () => {
    const r = parse(
      "# Roadmap",
      "## Phase 36B: Lettered",
      "### Phase 2: Core",
      "### Phase 2.1: Hotfix (INSERTED)",
      "#### Phase 03: Deep",
      "### Phase A: Provisional",
    );
    expect(r.phases.map((p) => [p.id, p.written, p.name, p.inserted])).toEqual([
      ["36B", "36B", "Lettered", false],
      ["2", "2", "Core", false],
      ["2.1", "2.1", "Hotfix", true],
      ["3", "03", "Deep", false],
      ["A", "A", "Provisional", false],
    ]);
    expect(phase(r, "2").line).toBe(3);
    expect(r.diagnostics).toEqual([]);
  });

  it("never lets a decimal phase overwrite its parent", () => {
    const r = parse("### Phase 2: Parent", "**Depends on**: Phase 1", "### Phase 2.1: Child (INSERTED)", "**Depends on**: Phase 2", "### Phase 1: First");
    expect(phase(r, "2").name).toBe("Parent");
    expect(phase(r, "2.1").name).toBe("Child");
    expect(deps(r, "2")).toEqual(["1"]);
    expect(deps(r, "2.1")).toEqual(["2"]);
  });

  it("reads checklist items with and without bold or a checkbox, and their state", () => {
    const r = parse(
      "- [x] **Phase 1: Setup** — scaffolding",
      "- [ ] Phase 2: Build (1/3 plans)",
      "- [X] **Phase 2.1: Patch** (INSERTED)",
      "- Phase 4: Later — maybe",
      "- [x] Phase 5-7: a range item is not a phase",
      "- [x] 01-02-PLAN.md — a plan, not a phase",
    );
    expect(r.phases.map((p) => [p.id, p.name, p.checkbox?.checked, p.inserted])).toEqual([
      ["1", "Setup", true, false],
      ["2", "Build", false, false],
      ["2.1", "Patch", true, true],
      ["4", "Later", undefined, false],
    ]);
  });

  it("reads the progress table (first column Phase) and ignores requirement tables", () => {
    const r = parse(
      "| Requirement | Phase | Status |",
      "|---|---|---|",
      "| REQ-01 | Phase 9 | Pending |",
      "",
      "| Phase | Milestone | Plans Complete | Status | Completed |",
      "|-------|-----------|----------------|--------|-----------|",
      "| 1. Setup | v1.0 | 2/2 | Complete | 2026-01-01 |",
      "| 2.1. Patch | v1.0 | 0/1 | Not started | - |",
      "| Phase 3: Wire | v1.0 | 1/2 | In Progress | - |",
      "| 4 | v1.0 | 0/0 | ✓ Complete | - |",
    );
    expect(r.phases.map((p) => [p.id, p.name, p.progress?.state])).toEqual([
      ["1", "Setup", "complete"],
      ["2.1", "Patch", "not-started"],
      ["3", "Wire", "in-progress"],
      ["4", "", "complete"],
    ]);
    expect(phase(r, "9")).toBeUndefined();
  });

  it("merges one phase's heading, checklist item and progress row; the heading names it", () => {
    const r = parse("- [x] **Phase 1: Short**", "### Phase 1: Full Name", "| Phase | Status |", "|---|---|", "| 1. Short | Complete |");
    expect(r.phases).toHaveLength(1);
    expect(phase(r, "1")).toMatchObject({ name: "Full Name", line: 2, heading: 2, item: 1, checkbox: { checked: true, line: 1 } });
    expect(phase(r, "1").progress?.state).toBe("complete");
  });

  it("reports a duplicate with its line; the first one counts, the copy's dependencies are ignored", () => {
    const r = parse("### Phase 1: One", "### Phase 2: Two", "**Depends on**: Phase 1", "### Phase 2: Copy", "**Depends on**: Phase 3", "### Phase 3: Three");
    expect(phase(r, "2").name).toBe("Two");
    expect(deps(r, "2")).toEqual(["1"]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: "roadmap-duplicate-phase", severity: "warning", file: FILE, line: 4 })]);
  });

  it("skips fenced code and HTML comments", () => {
    const r = parse("```md", "### Phase 9: Example", "```", "<!--", "### Phase 8: Commented out", "-->", "### Phase 1: Real");
    expect(r.phases.map((p) => p.id)).toEqual(["1"]);
  });

  it("ends a phase's section at the next heading of its level, so a later Depends line is an orphan", () => {
    const r = parse("### Phase 1: A", "### Phase 2: B", "#### Notes", "**Depends on**: Phase 1", "## Progress", "**Depends on**: Phase 2");
    expect(deps(r, "2")).toEqual(["1"]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: "roadmap-depends-orphan", line: 6 })]);
  });

  it("says when there are no phases at all", () => {
    expect(codes(parse("# Roadmap", "Nothing planned yet.").diagnostics)).toEqual(["roadmap-no-phases"]);
  });
});

describe("parseRoadmap: Depends on forms", () => {
  it("reads **Depends on**:, **Depends on:**, plain, bulleted and Dependencies: keys", () => {
    const r = parse(
      "### Phase 1: A",
      "### Phase 2: B",
      "**Depends on**: Phase 1",
      "### Phase 3: C",
      "**Depends on:** Phase 1, Phase 2",
      "### Phase 4: D",
      "Depends on: Phase 3",
      "### Phase 5: E",
      "- **Dependencies:** Phase 4",
      "### Phase 6: F",
      "**Depends on**: Nothing (first phase)",
    );
    expect([2, 3, 4, 5, 6].map((n) => deps(r, String(n)))).toEqual([["1"], ["1", "2"], ["3"], ["4"], []]);
    expect(phase(r, "3").depends).toEqual([{ text: "Phase 1, Phase 2", line: 5 }]);
  });

  it("expands ranges over the listed phases, inserted decimals included", () => {
    const r = parse(
      sections({ "1": undefined, "2": undefined, "2.1": undefined, "3": undefined, "3.1": undefined, "4": "Phases 1-3", "5": "Phases 2–3 and 4" }),
    );
    expect(deps(r, "4")).toEqual(["1", "2", "2.1", "3"]);
    expect(deps(r, "5")).toEqual(["2", "2.1", "3", "4"]);
    expect(phase(r, "4").dependsOn[0]?.kind).toBe("range");
  });

  it("reads free text: notes in parentheses, negations, lists, bare numbers", () => {
    const r = parse(
      sections({
        "1": undefined,
        "2": undefined,
        "3": "Phase 1 (needs the schema from Phase 2); independent of Phase 2",
        "4": "v1.0 complete (Phase 2)",
        "5": "1, 3",
        "6": "Phases 4 and 5 (both must ship) — then the docs",
        "7": "Phase 6. NOTE: this did not depend on Phase 1",
      }),
    );
    expect(deps(r, "3")).toEqual(["1"]);
    expect(phase(r, "4").dependsOn).toEqual([{ id: "2", line: expect.any(Number), kind: "note" }]);
    expect(deps(r, "5")).toEqual(["1", "3"]);
    expect(deps(r, "6")).toEqual(["4", "5"]);
    expect(deps(r, "7")).toEqual(["6"]);
  });

  it("never lets a phase depend on itself: named is a warning, inside a range it is skipped", () => {
    const r = parse(sections({ "1": undefined, "2": "Phase 2", "3": "Phases 1-4", "4": undefined }));
    expect(deps(r, "2")).toEqual([]);
    expect(deps(r, "3")).toEqual(["1", "2", "4"]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: "roadmap-depends-self", line: 6 })]);
  });

  it("keeps references to phases it does not list for the analysis, and notes text that names none", () => {
    const r = parse(sections({ "5": "Phase 4", "6": "v2.0 complete" }));
    expect(phase(r, "5").unresolved).toEqual([{ id: "4", line: 3, text: "Phase 4" }]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: "roadmap-depends-unparsed", severity: "info", line: 7 })]);
  });
});

describe("parseDependsText and progressState", () => {
  it("reads provisional letter phases and 36B-style numbers, never milestone versions", () => {
    expect(parseDependsText("Phases A, B and C").refs.map((r) => r.id)).toEqual(["A", "B", "C"]);
    expect(parseDependsText("Phase 36b, Phase 02.1").refs.map((r) => r.id)).toEqual(["36B", "2.1"]);
    expect(parseDependsText("v1.2 shipped").refs).toEqual([]);
    expect(parseDependsText("None — standalone").nothing).toBe(true);
  });
  it("classifies status cells", () => {
    expect(["Complete", "✅ Done", "Shipped (PR #4)", "Planning complete", "In Progress", "Not started", "Deferred"].map(progressState)).toEqual([
      "complete",
      "complete",
      "complete",
      "in-progress",
      "in-progress",
      "not-started",
      "other",
    ]);
  });
});

describe("computeLevels", () => {
  const levelsOf = (order: string[], edges: [string, string][]) => {
    const r = computeLevels(order, new Adjacency({ order, edges: edges.map(([from, to]) => ({ from, to })) }));
    return { ...r, groups: groupByLevel(order, r.level) };
  };

  it("numbers a chain 1, 2, 3", () => {
    expect(
      levelsOf(
        ["a", "b", "c"],
        [
          ["a", "b"],
          ["b", "c"],
        ],
      ).groups,
    ).toEqual([["a"], ["b"], ["c"]]);
  });

  it("puts both sides of a diamond on one level", () => {
    expect(
      levelsOf(
        ["a", "b", "c", "d"],
        [
          ["a", "b"],
          ["a", "c"],
          ["b", "d"],
          ["c", "d"],
        ],
      ).groups,
    ).toEqual([["a"], ["b", "c"], ["d"]]);
  });

  // A recursion without memo would need 2^10000 steps and never return; speed is bench row (4), synthetic roadmaps.
  it("handles 20,000 stacked diamonds (each node computed once)", () => {
    const order: string[] = ["t0"];
    const edges: [string, string][] = [];
    for (let i = 0; i < 10_000; i++) {
      order.push(`l${i}`, `r${i}`, `t${i + 1}`);
      edges.push([`t${i}`, `l${i}`], [`t${i}`, `r${i}`], [`l${i}`, `t${i + 1}`], [`r${i}`, `t${i + 1}`]);
    }
    const r = levelsOf(order, edges);
    expect(r.level.get("t10000")).toBe(20_001);
    expect(r.stuck).toEqual([]);
  });

  it("gives no level to a cycle or anything waiting for it", () => {
    const r = levelsOf(
      ["a", "b", "c", "d", "e"],
      [
        ["a", "b"],
        ["b", "c"],
        ["c", "b"],
        ["c", "d"],
      ],
    );
    expect(r.stuck).toEqual(["b", "c", "d"]);
    expect(r.groups).toEqual([["a", "e"]]);
  });

  it("on random DAGs, respects every edge and gives 1 + the highest prerequisite level", () => {
    const dag = fc.integer({ min: 1, max: 40 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        pairs: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 }),
        perm: fc.shuffledSubarray(
          Array.from({ length: n }, (_, i) => i),
          { minLength: n, maxLength: n },
        ),
      }),
    );
    fc.assert(
      fc.property(dag, ({ n, pairs, perm }) => {
        // Edges go from lower to higher index (so the graph is acyclic); names are shuffled.
        const name = (i: number) => `p${perm[i]}`;
        const edges = pairs.filter(([a, b]) => a < b).map(([a, b]) => [name(a), name(b)] as [string, string]);
        const order = Array.from({ length: n }, (_, i) => name(i)).sort();
        const r = levelsOf(order, edges);
        expect(r.stuck).toEqual([]);
        for (const [a, b] of edges) expect(r.level.get(b) as number).toBeGreaterThan(r.level.get(a) as number);
        for (const id of order) {
          const preds = edges.filter(([, b]) => b === id).map(([a]) => r.level.get(a) as number);
          expect(r.level.get(id)).toBe(1 + Math.max(0, ...preds));
        }
        expect(r.groups.flat().sort()).toEqual([...order].sort());
      }),
    );
  });
});

describe("analyzeRoadmap", () => {
  it("computes levels and the critical path over phases still to do; complete ones are met prerequisites", () => {
    const r = parse(sections({ "1": undefined, "2": "Phase 1", "2.1": "Phase 2", "3": "Phase 2", "4": "Phases 2.1 and 3" }));
    const t = tree(dir("01-a", 2, 2), dir("02-b", 2, 1), dir("02.1-c", 1, 0), dir("03-d", 3, 0));
    const durations = new Map<string, PhaseDuration>([
      [".planning/phases/01-a", { minutes: 20, plans: 2, fromSummaries: 2 }],
      [".planning/phases/02-b", { minutes: 30, plans: 2, fromSummaries: 1 }],
      [".planning/phases/02.1-c", { minutes: 5, plans: 1, fromSummaries: 0 }],
      [".planning/phases/03-d", { minutes: 40, plans: 3, fromSummaries: 0 }],
    ]);
    const a = analyze(r, t, durations);
    expect(a.phases.map((p) => [p.id, p.status, p.level ?? null, p.durationSource])).toEqual([
      ["1", "complete", null, "summary"],
      ["2", "in-progress", 1, "mixed"],
      ["2.1", "pending", 2, "estimate"],
      ["3", "pending", 2, "estimate"],
      ["4", "pending", 3, "assumed"],
    ]);
    expect(a.levels).toEqual([["2"], ["2.1", "3"], ["4"]]);
    expect(got(a, "4")?.minutes).toBe(25); // the median of 20, 30, 5 and 40
    expect(a.criticalPath).toEqual(["2", "3", "4"]);
    expect(a.criticalPathMinutes).toBe(95);
    expect(a.edges.find((e) => e.from === "1")).toMatchObject({ to: "2", satisfied: true, external: false });
    expect(RoadmapAnalysisJson.parse(roadmapToJson(a, "/p")).counts).toMatchObject({ phases: 5, complete: 1, inProgress: 1, pending: 3, levels: 3 });
  });

  it("names a cycle as an error and never schedules it or what waits for it", () => {
    const r = parse(sections({ "1": undefined, "2": "Phase 3", "3": "Phase 2", "4": "Phase 3", "5": "Phase 1" }));
    const a = analyze(r);
    expect(a.cycles).toEqual([["2", "3", "2"]]);
    const cycle = a.diagnostics.find((d) => d.code === "cycle");
    expect(cycle).toMatchObject({ severity: "error", file: FILE, line: 10 }); // where 3 names 2
    expect(cycle?.message).toContain("Phase 2 -> Phase 3 -> Phase 2");
    expect(a.levels).toEqual([["1"], ["5"]]);
    expect(a.phases.filter((p) => p.blocked).map((p) => p.id)).toEqual(["2", "3", "4"]);
    expect(got(a, "4")?.onCycle).toBe(false);
    expect(simPhasesOf(a)).toEqual({
      plans: [expect.objectContaining({ id: "1", wave: 1 }), expect.objectContaining({ id: "5", deps: ["1"], wave: 2 })],
      skipped: { complete: [], blocked: ["2", "3", "4"] },
    });
  });

  it("does not schedule a cycle whose members are all complete, but still reports it", () => {
    const r = parse("- [x] Phase 1: A", "- [x] Phase 2: B", "### Phase 1: A", "**Depends on**: Phase 2", "### Phase 2: B", "**Depends on**: Phase 1");
    const a = analyze(r);
    expect(codes(a.diagnostics)).toContain("cycle");
    expect(a.levels).toEqual([]);
  });

  it("warns when the directory and the roadmap's marks disagree, and trusts the directory", () => {
    const r = parse("- [ ] Phase 1: A", "- [x] Phase 2: B", "| Phase | Status |", "|---|---|", "| 1. A | Not started |", "| 2. B | Complete |");
    const a = analyze(r, tree(dir("01-a", 1, 1), dir("02-b", 2, 1)));
    expect(a.phases.map((p) => [p.id, p.status, p.statusSource])).toEqual([
      ["1", "complete", "directory"],
      ["2", "in-progress", "directory"],
    ]);
    expect(a.diagnostics.filter((d) => d.code === "roadmap-status-mismatch").map((d) => d.line)).toEqual([1, 2, 5, 6]);
  });

  it("uses the roadmap's marks without plans on disk; contradicting marks count as not complete", () => {
    const r = parse("- [x] Phase 1: A", "- [x] Phase 2: B", "- [ ] Phase 3: C", "| Phase | Status |", "|---|---|", "| 2 | Not started |");
    const a = analyze(r);
    expect(a.phases.map((p) => [p.id, p.status, p.statusSource])).toEqual([
      ["1", "complete", "roadmap"],
      ["2", "pending", "roadmap"],
      ["3", "pending", "roadmap"],
    ]);
    expect(a.diagnostics).toEqual([expect.objectContaining({ code: "roadmap-status-mismatch", line: 6 })]);
  });

  it("resolves a phase missing from the roadmap against its directory, else reports it with its line", () => {
    const r = parse(sections({ "5": "Phase 4", "6": "Phase 3", "7": "Phase 9" }));
    const t = tree(dir("04-old", 1, 1, "milestones/v1.0-phases"), dir("03-old", 2, 1, "milestones/v1.0-phases"));
    const a = analyze(r, t);
    expect(a.edges.map((e) => [e.from, e.to, e.external, e.satisfied, e.fromDir])).toEqual([
      ["4", "5", true, true, ".planning/milestones/v1.0-phases/04-old"],
      ["3", "6", true, false, ".planning/milestones/v1.0-phases/03-old"],
    ]);
    expect(a.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["roadmap-prerequisite-incomplete", 7],
      ["roadmap-depends-unknown", 11],
    ]);
    expect(got(a, "6")?.dependsOn).toEqual(["3"]);
  });

  it("prefers the roadmap's own container when phase numbers repeat, and says when it cannot choose", () => {
    const r = parse("### Phase 1: A", "### Phase 2: B");
    const t = tree(
      dir("01-new", 1, 0),
      dir("01-old", 1, 1, "milestones/v1.0-phases"),
      dir("02-x", 1, 1, "milestones/v1.0-phases"),
      dir("02-y", 1, 0, "milestones/v2.0-phases"),
    );
    expect(analyze(r, t).phases.map((p) => p.dir)).toEqual([".planning/phases/01-new", undefined]);
    expect(codes(analyze(r, t).diagnostics)).toEqual(["roadmap-phase-ambiguous"]);
    const archived = analyzeRoadmap({ roadmap: r, tree: t, containers: ["milestones/v1.0-phases"] });
    expect(archived.phases.map((p) => [p.dir, p.status])).toEqual([
      [".planning/milestones/v1.0-phases/01-old", "complete"],
      [".planning/milestones/v1.0-phases/02-x", "complete"],
    ]);
  });

  it("warns when a complete phase depends on one that is not", () => {
    const r = parse("- [x] Phase 1: A", "- [ ] Phase 2: B", "### Phase 1: A", "**Depends on**: Phase 2");
    expect(analyze(r).diagnostics).toEqual([expect.objectContaining({ code: "roadmap-prerequisite-incomplete", line: 4 })]);
  });
});
