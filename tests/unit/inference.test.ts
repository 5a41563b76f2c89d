import { type PhaseAnalysis, analyzePhase } from "../../lib/core/graph/analysis";
import { isAmbiguity, refTargets } from "../../lib/core/plan/ref-targets";
import { type PhaseListing, type PlanningTree, phaseFiles } from "../../lib/core/plan/planning-tree";
import { parsePlanMentions } from "../../lib/core/plan/prose-links";

// Inference when the plans do not say: references into moved phase directories and plans named
// in prose. Paths from the author's machine are in foreign-paths.test.ts.

function listing(dir: string, files: string[]): PhaseListing {
  const name = dir.slice(dir.lastIndexOf("/") + 1);
  const container = dir.slice(".planning/".length, dir.lastIndexOf("/"));
  return { dir, name, number: /^(\d+(?:\.\d+)?)/.exec(name)?.[1] as string, container, active: container === "phases", files };
}

function plan(body: string, deps: string[] = []): string {
  return ["---", `depends_on: [${deps.map((d) => JSON.stringify(d)).join(", ")}]`, "files_modified: []", "---", "", body].join("\n");
}

function analyze(phase: PhaseListing, tree: PlanningTree, bodies: Record<string, string>): PhaseAnalysis {
  const texts = new Map(Object.entries(bodies).map(([name, body]) => [`${phase.dir}/${name}`, plan(body)]));
  return analyzePhase({ tree, phase, texts, projectRootAbs: "/work/app" });
}
const edge = (a: PhaseAnalysis, from: string, to: string) => a.edges.find((e) => e.from === from && e.to === to);

describe("moved phases: @-references into a directory that no longer exists", () => {
  const archived = listing(".planning/milestones/v2.0-phases/04-foundation", ["04-01-PLAN.md", "04-02-PLAN.md", "04-01-SUMMARY.md"]);
  const other = listing(".planning/milestones/v1.0-phases/03-base", ["03-01-PLAN.md", "03-01-SUMMARY.md"]);
  const tree: PlanningTree = { root: ".planning", phases: [other, archived] };

  it("reads a reference to the phase's old place in the phase under analysis, saying so", () => {
    const a = analyze(archived, tree, {
      "04-01-PLAN.md": "Build it.",
      "04-02-PLAN.md": "<context>\n@.planning/phases/04-foundation/04-01-SUMMARY.md\n</context>",
    });
    expect(edge(a, "04-01", "04-02")?.reasons).toEqual([
      { kind: "summary-ref", file: ".planning/phases/04-foundation/04-01-SUMMARY.md", line: 7, via: "moved-phase" },
    ]);
    expect(a.diagnostics.filter((d) => d.code === "ref-moved-phase")).toEqual([
      expect.objectContaining({ severity: "info", file: `${archived.dir}/04-02-PLAN.md`, line: 7 }),
    ]);
    expect(a.diagnostics.find((d) => d.code === "ref-moved-phase")?.message).toContain(archived.dir);
  });

  it("says it once per phase and directory, counting the plans", () => {
    const three = listing(".planning/milestones/v2.0-phases/04-foundation", ["04-01-PLAN.md", "04-02-PLAN.md", "04-03-PLAN.md"]);
    const ref = "<context>\n@.planning/phases/04-foundation/04-01-SUMMARY.md\n</context>";
    const a = analyze(three, { root: ".planning", phases: [three] }, { "04-01-PLAN.md": "Build.", "04-02-PLAN.md": ref, "04-03-PLAN.md": ref });
    expect(a.edges.map((e) => `${e.from}>${e.to}`)).toEqual(["04-01>04-02", "04-01>04-03"]);
    const notes = a.diagnostics.filter((d) => d.code === "ref-moved-phase");
    expect(notes).toHaveLength(1);
    expect(notes[0]?.message).toMatch(/2 plans\)$/);
  });

  it("finds another phase that moved, when only one directory carries its name", () => {
    const t = refTargets(
      phaseFiles(archived).plans.map((ref) => ({ id: ref.id, ref })),
      tree,
      archived,
    ).lookup(".planning/phases/03-base/03-01-SUMMARY.md");
    expect(t).toMatchObject({ summary: true, plan: { file: `${other.dir}/03-01-PLAN.md` }, movedTo: other.dir });
  });

  it("a directory that exists is read as written, never as a moved one", () => {
    const live = listing(".planning/phases/04-foundation", ["04-01-PLAN.md"]);
    const both: PlanningTree = { root: ".planning", phases: [archived, live] };
    const t = refTargets(
      phaseFiles(archived).plans.map((ref) => ({ id: ref.id, ref })),
      both,
      archived,
    ).lookup(".planning/phases/04-foundation/04-01-PLAN.md");
    expect(t).toMatchObject({ summary: false, plan: { file: `${live.dir}/04-01-PLAN.md` } });
    expect(t && !isAmbiguity(t) ? t.movedTo : "x").toBeUndefined();
  });

  it("false friend: a moved phase whose name two directories carry is not guessed", () => {
    const v1 = listing(".planning/milestones/v1.0-phases/01-setup", ["01-01-PLAN.md"]);
    const v2 = listing(".planning/milestones/v2.0-phases/01-setup", ["01-01-PLAN.md"]);
    const ws = listing(".planning/workstreams/w/phases/02-next", ["02-01-PLAN.md"]);
    const twice: PlanningTree = { root: ".planning", phases: [v1, v2, ws] };
    const a = analyze(ws, twice, { "02-01-PLAN.md": "<context>\n@.planning/phases/01-setup/01-01-SUMMARY.md\n</context>" });
    expect(a.edges).toEqual([]);
    const d = a.diagnostics.find((x) => x.code === "ref-moved-ambiguous");
    expect(d).toMatchObject({ severity: "warning", file: `${ws.dir}/02-01-PLAN.md`, line: 7 });
    expect(d?.message).toContain(v1.dir);
    expect(d?.message).toContain(v2.dir);
  });

  it("of two directories with the name, the one beside the phase under analysis wins", () => {
    const v1 = listing(".planning/milestones/v1.0-phases/01-setup", ["01-01-PLAN.md"]);
    const v2 = listing(".planning/milestones/v2.0-phases/01-setup", ["01-01-PLAN.md"]);
    const here = listing(".planning/milestones/v2.0-phases/02-next", ["02-01-PLAN.md"]);
    const t = refTargets(
      phaseFiles(here).plans.map((ref) => ({ id: ref.id, ref })),
      { root: ".planning", phases: [v1, v2, here] },
      here,
    ).lookup(".planning/phases/01-setup/01-01-SUMMARY.md");
    expect(t).toMatchObject({ plan: { file: `${v2.dir}/01-01-PLAN.md` }, movedTo: v2.dir });
  });
});

describe("plans named in prose", () => {
  it("finds `Plan NN`, lists of plans and `NN-MM`, with the sentence", () => {
    const m = parsePlanMentions("Use the schema added by Plan 01. Then go.\nUses the table from 16-01 and Plans 02 and 3a.\nReleased 2026-01-15, v1.2-03.");
    expect(m.map((x) => [x.phase ?? "", x.plan, x.line])).toEqual([
      ["", "01", 1],
      ["16", "01", 2],
      ["", "02", 2],
      ["", "3a", 2],
    ]);
    expect(m[0]?.text).toBe("Use the schema added by Plan 01.");
  });

  it("takes the phase from `Phase NN Plan MM`, and drops sentences that say the plans are unrelated", () => {
    expect(parsePlanMentions("See Phase 16 Plan 01 for the API.")).toEqual([expect.objectContaining({ phase: "16", plan: "01" })]);
    expect(parsePlanMentions("Runs in parallel with Plan 02. Does not depend on 17-03.")).toEqual([]);
  });

  const phase = listing(".planning/phases/17-api", ["17-01-PLAN.md", "17-02-PLAN.md", "17-03-PLAN.md"]);
  const prev = listing(".planning/phases/16-db", ["16-01-PLAN.md"]);
  const tree: PlanningTree = { root: ".planning", phases: [prev, phase] };

  it("orders a plan after an earlier plan of its phase that its prose names, with the sentence as the reason", () => {
    const a = analyze(phase, tree, {
      "17-01-PLAN.md": "Create the users table.",
      "17-02-PLAN.md": "<interfaces>\nFrom 17-01: the users table.\n</interfaces>",
      "17-03-PLAN.md": "Read the endpoint added by Plan 02.",
    });
    expect(edge(a, "17-01", "17-02")?.reasons).toEqual([{ kind: "prose", line: 7, text: "From 17-01: the users table." }]);
    expect(edge(a, "17-02", "17-03")?.reasons).toEqual([{ kind: "prose", line: 6, text: "Read the endpoint added by Plan 02." }]);
    expect(a.waves).toEqual([["17-01"], ["17-02"], ["17-03"]]);
  });

  it("false friend: a plan of another phase named in prose makes no same-phase edge", () => {
    const a = analyze(phase, tree, {
      "17-01-PLAN.md": "Start.",
      "17-02-PLAN.md": "Uses the table from 16-01.",
      "17-03-PLAN.md": "As Phase 16 Plan 01 did, and as phase 16, plan 02 will.",
    });
    expect(a.edges).toEqual([]);
    expect(a.waves).toEqual([["17-01", "17-02", "17-03"]]);
  });

  it("a mention of a later plan is an outlook, not a prerequisite: no edge, and never a cycle", () => {
    const a = analyze(phase, tree, {
      "17-01-PLAN.md": "Plan 03 will build on this.",
      "17-02-PLAN.md": "Nothing.",
      "17-03-PLAN.md": "Extends Plan 01.",
    });
    expect(a.edges.map((e) => [e.from, e.to])).toEqual([["17-01", "17-03"]]);
    expect(a.cycles).toEqual([]);
  });
});
