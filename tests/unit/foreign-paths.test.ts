import { type PhaseAnalysis, analyzePhase } from "../../lib/core/graph/analysis";
import { detectForeignRoots, rebaseOnRoots } from "../../lib/core/plan/foreign-paths";
import { type PathEntry, normalizePathEntry } from "../../lib/core/plan/path-entry";
import type { PhaseListing, PlanningTree } from "../../lib/core/plan/planning-tree";

const DIR = ".planning/phases/05-app";

function entry(raw: string): PathEntry {
  const e = normalizePathEntry(raw, "/work/app");
  if (!e) throw new Error(`fixture does not normalise: ${raw}`);
  return e;
}

function analyze(plans: Record<string, string[]>, projectFiles?: Set<string>, bodies: Record<string, string> = {}): PhaseAnalysis {
  const phase: PhaseListing = {
    dir: DIR,
    name: "05-app",
    number: "05",
    container: "phases",
    active: true,
    files: Object.keys(plans).map((id) => `${id}-PLAN.md`),
  };
  const tree: PlanningTree = { root: ".planning", phases: [phase] };
  const text = (files: string[], body = "Work.") => ["---", "files_modified:", ...files.map((f) => `  - ${f}`), "---", "", body].join("\n");
  const texts = new Map(Object.entries(plans).map(([id, files]) => [`${DIR}/${id}-PLAN.md`, text(files, bodies[id])]));
  return analyzePhase(projectFiles ? { tree, phase, texts, projectRootAbs: "/work/app", projectFiles } : { tree, phase, texts, projectRootAbs: "/work/app" });
}
const edge = (a: PhaseAnalysis, from: string, to: string) => a.edges.find((e) => e.from === from && e.to === to);

describe("detectForeignRoots", () => {
  const known = new Set(["src/api/users.ts", "src/db/schema.ts", "package.json"]);
  const isKnown = (p: string) => known.has(p);

  it("takes a prefix as the project root when two different tails under it match", () => {
    const roots = detectForeignRoots(
      [entry("C:/EV-Accounts/src/api/users.ts"), entry("C:/EV-Accounts/src/db/schema.ts"), entry("C:/EV-Accounts/src/new.ts")],
      isKnown,
    );
    expect(roots).toEqual([{ prefix: "c:/EV-Accounts", matched: 2, total: 3 }]);
    expect(rebaseOnRoots(entry("C:/EV-Accounts/src/new.ts"), roots)?.path).toBe("src/new.ts");
  });

  it("false friend: a foreign prefix whose tails match nothing is not a root", () => {
    expect(detectForeignRoots([entry("/Users/x/other/lib/a.ts"), entry("/Users/x/other/lib/b.ts")], isKnown)).toEqual([]);
  });

  it("one generic match, or two among many entries, is not enough", () => {
    const lone = [entry("/Users/x/other/package.json"), entry("/Users/x/other/lib/a.ts")];
    expect(detectForeignRoots(lone, isKnown)).toEqual([]);
    const many = ["package.json", "src/db/schema.ts", "lib/a.ts", "lib/b.ts", "lib/c.ts", "lib/d.ts", "lib/e.ts"].map((t) => entry(`/Users/x/other/${t}`));
    expect(detectForeignRoots(many, isKnown)).toEqual([]);
  });

  it("a tail in the planning directory spells the root out", () => {
    expect(detectForeignRoots([entry("/data/app/.planning/phases/03-x/03-CONTEXT.md"), entry("/data/app/web/a.ts")], isKnown)).toEqual([
      { prefix: "/data/app", matched: 1, total: 2 },
    ]);
  });

  it("never takes the filesystem root itself, and leaves home-relative paths to the same rules", () => {
    expect(detectForeignRoots([entry("/src/api/users.ts"), entry("/src/db/schema.ts")], isKnown)).toEqual([]);
    expect(detectForeignRoots([entry("~/proj/src/api/users.ts"), entry("~/proj/src/db/schema.ts")], isKnown)).toEqual([
      { prefix: "~/proj", matched: 2, total: 2 },
    ]);
  });
});

describe("foreign paths through analyzePhase", () => {
  it("reads paths under the author's root relative to the project when they match other plans' paths (said once per phase)", () => {
    const a = analyze({
      "05-01": ["C:/EV-Accounts/src/api/users.ts", "C:/EV-Accounts/src/db/schema.ts"],
      "05-02": ["src/api/users.ts"],
      "05-03": ["C:/EV-Accounts/src/db/schema.ts", "src/db/schema.ts"],
    });
    expect(edge(a, "05-01", "05-02")?.reasons).toEqual([{ kind: "write-conflict", file: "src/api/users.ts", via: "foreign-root" }]);
    expect(edge(a, "05-01", "05-03")?.reasons).toEqual([{ kind: "write-conflict", file: "src/db/schema.ts", via: "foreign-root" }]);
    const notes = a.diagnostics.filter((d) => d.code === "foreign-root");
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ severity: "info", file: `${DIR}/05-01-PLAN.md` });
    expect(notes[0]?.message).toContain("c:/EV-Accounts/");
    expect(a.diagnostics.filter((d) => d.code === "path-outside-project")).toEqual([]);
  });

  it("also recognises the root from files the caller knows the project has", () => {
    const a = analyze({ "05-01": ["/Users/me/proj/src/a.ts", "/Users/me/proj/src/b.ts"], "05-02": ["src/a.ts"] }, new Set(["src/b.ts"]));
    expect(edge(a, "05-01", "05-02")?.reasons).toEqual([{ kind: "write-conflict", file: "src/a.ts", via: "foreign-root" }]);
  });

  it("false friend: a prefix that matches nothing stays outside, compared only with the same path as written", () => {
    const a = analyze({
      "05-01": ["/tmp/target/hex/src/**", "/tmp/target/hex/package.json"],
      "05-02": ["/tmp/target/cribbage/src/**"],
      "05-03": ["/tmp/target/hex/src/game.ts", "src/game.ts"],
    });
    expect(a.edges.map((e) => [e.from, e.to, e.reasons])).toEqual([
      ["05-01", "05-03", [{ kind: "write-conflict", file: "/tmp/target/hex/src/", via: "foreign-path" }]],
    ]);
    expect(a.diagnostics.filter((d) => d.code === "foreign-root")).toEqual([]);
    expect(a.diagnostics.filter((d) => d.code === "path-outside-project")).toHaveLength(4);
  });

  it("reads @-references written under the author's root as the project's: a summary there is a summary-ref", () => {
    const a = analyze({ "05-01": ["C:/EV/src/a.ts"], "05-02": ["C:/EV/src/b.ts"] }, undefined, {
      "05-02": `<context>\n@C:/EV/.planning/phases/05-app/05-01-SUMMARY.md\n@C:/EV/src/a.ts\n</context>`,
    });
    expect(edge(a, "05-01", "05-02")?.reasons).toEqual([
      { kind: "summary-ref", file: `${DIR}/05-01-SUMMARY.md`, line: 7, via: "foreign-root" },
      { kind: "read-after-write", file: "src/a.ts", line: 8, via: "foreign-root" },
    ]);
    expect(a.diagnostics.filter((d) => d.code === "foreign-root").map((d) => d.message)).toEqual([expect.stringContaining("c:/EV/")]);
  });
});
