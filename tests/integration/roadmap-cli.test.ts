import { Command, CommanderError } from "commander";
import type { CommandResult } from "../../lib/cli/commands";
import type { Io } from "../../lib/cli/context";
import { EXIT } from "../../lib/cli/exit-codes";
import { buildProgram } from "../../lib/cli/program";
import { registerRoadmap } from "../../lib/cli/roadmap-command";
import { ParallelConfigJson } from "../../lib/json/parallel-config-json";
import { RoadmapAnalysisJson, RoadmapCheckJson, RoadmapGraphJson, RoadmapSetJson, RoadmapSimulateJson } from "../../lib/json/roadmap-json";
import { type CliRun, TEST_HELPER, cli, makeTree, plan, removeTree } from "../helpers/tree";

function io(cwd: string, sink: { out: string; err: string }): Io {
  return {
    cwd,
    env: {},
    isTTY: false,
    out: (s) => (sink.out += s),
    err: (s) => (sink.err += s),
    now: () => new Date(),
    helper: TEST_HELPER,
    readStdin: async () => "",
  };
}

// Once lib/cli/program.ts registers the roadmap commands, these tests run the real CLI; until
// then, a program built the same way (exit override, outcome -> exit code) with only them.
const wired = buildProgram(io(process.cwd(), { out: "", err: "" }), () => undefined).commands.some((c) => c.name() === "roadmap");

async function run(argv: string[]): Promise<CliRun> {
  if (wired) return cli(argv);
  const sink = { out: "", err: "" };
  const theIo = io(process.cwd(), sink);
  let pending: CommandResult | Promise<CommandResult> | undefined;
  const program = new Command("gsd-async").exitOverride().showHelpAfterError().configureOutput({ writeOut: theIo.out, writeErr: theIo.err });
  registerRoadmap(program, theIo, (r) => (pending = r));
  let code: number;
  try {
    await program.parseAsync(argv, { from: "user" });
    const result = await pending;
    if (result === undefined) code = EXIT.usage;
    else if (typeof result === "string") code = EXIT[result];
    else {
      theIo.err(`gsd-async: ${result.message}\n${result.hint ? `  ${result.hint}\n` : ""}`);
      code = EXIT[result.kind];
    }
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    code = err.code === "commander.helpDisplayed" || err.code === "commander.help" ? EXIT.ok : EXIT.usage;
  }
  return { code, ...sink };
}

const ROADMAP = [
  "# Roadmap: Widget",
  "",
  "## Phases",
  "",
  "- [x] **Phase 1: Groundwork** — repo and CI",
  "- [ ] **Phase 2: Storage** — tables",
  "- [ ] **Phase 2.1: Storage fix (INSERTED)** — urgent",
  "- [ ] **Phase 3: API** — endpoints",
  "- [ ] **Phase 4: UI** — screens",
  "",
  "## Phase Details",
  "",
  "### Phase 1: Groundwork",
  "**Depends on**: Nothing (first phase)",
  "",
  "### Phase 2: Storage",
  "**Depends on**: Phase 1",
  "",
  "### Phase 2.1: Storage fix (INSERTED)",
  "**Depends on:** Phase 2",
  "",
  "### Phase 3: API",
  "**Depends on**: Phase 2",
  "",
  "### Phase 4: UI",
  "**Depends on**: Phases 2.1-3",
  "",
  "## Progress",
  "",
  "| Phase | Plans Complete | Status | Completed |",
  "|-------|----------------|--------|-----------|",
  "| 1. Groundwork | 1/1 | Complete | 2026-01-01 |",
  "| 2. Storage | 1/2 | In progress | - |",
  "| 2.1. Storage fix | 0/0 | Not started | - |",
  "| 3. API | 0/1 | Not started | - |",
  "| 4. UI | 0/0 | Not started | - |",
  "",
].join("\n");

const summary = (minutes: number) => `---\nduration: ${minutes}min\n---\n# done\n`;
const P = ".planning/phases";

function project(extra: Record<string, string> = {}): string {
  return makeTree({
    ".planning/ROADMAP.md": ROADMAP,
    ".planning/config.json": JSON.stringify({ mode: "yolo", parallelization: { enabled: true, max_concurrent_agents: 2 } }),
    [`${P}/01-groundwork/01-01-PLAN.md`]: plan("depends_on: []"),
    [`${P}/01-groundwork/01-01-SUMMARY.md`]: summary(10),
    [`${P}/02-storage/02-01-PLAN.md`]: plan("depends_on: []"),
    [`${P}/02-storage/02-01-SUMMARY.md`]: summary(20),
    [`${P}/02-storage/02-02-PLAN.md`]: plan("depends_on: []"),
    [`${P}/03-api/03-01-PLAN.md`]: plan("depends_on: []"),
    ...extra,
  });
}

describe("roadmap analyze", () => {
  let root: string;
  beforeAll(() => (root = project()));
  afterAll(() => removeTree(root));

  it("prints phases with status from the directories, levels, critical path and edges as validated JSON", async () => {
    const r = await run(["roadmap", "analyze", "--cwd", root, "--json"]);
    expect(r.code).toBe(0);
    const j = RoadmapAnalysisJson.parse(JSON.parse(r.out));
    expect(j.roadmap).toBe(".planning/ROADMAP.md");
    expect(j.phases.map((p) => [p.id, p.status, p.statusSource, p.level, p.durationSource])).toEqual([
      ["1", "complete", "directory", null, "summary"],
      ["2", "in-progress", "directory", 1, "mixed"],
      ["2.1", "pending", "roadmap", 2, "assumed"],
      ["3", "pending", "directory", 2, "estimate"],
      ["4", "pending", "roadmap", 3, "assumed"],
    ]);
    expect(j.levels).toEqual([["2"], ["2.1", "3"], ["4"]]);
    expect(j.phases.find((p) => p.id === "2.1")?.inserted).toBe(true);
    expect(j.edges.find((e) => e.from === "1" && e.to === "2")).toMatchObject({ satisfied: true, reasons: [{ kind: "declared", line: 17 }] });
    expect(j.edges.filter((e) => e.to === "4").map((e) => [e.from, e.reasons[0]?.kind])).toEqual([
      ["2.1", "range"],
      ["3", "range"],
    ]);
    expect(j.criticalPath[0]).toBe("2");
    expect(j.counts).toMatchObject({ phases: 5, complete: 1, inProgress: 1, pending: 3, errors: 0, warnings: 0 });
  });

  it("prints readable text, and `parallel analyze` prints exactly the same", async () => {
    const r = await run(["roadmap", "analyze", "--cwd", root]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Roadmap .planning/ROADMAP.md");
    expect(r.out).toMatch(/2\.1\s+Storage fix\s+pending per roadmap\s+level 2/);
    expect(r.out).toContain("  3: 4");
    expect(r.out).not.toMatch(/\u001b\[/);
    expect((await run(["parallel", "analyze", "--cwd", root])).out).toBe(r.out);
  });
});

describe("roadmap check and exit codes", () => {
  it("exits 0 on a clean roadmap and 1 with --strict when warnings remain", async () => {
    const root = project({ [`${P}/02.1-fix/02.1-01-PLAN.md`]: plan("depends_on: []"), [`${P}/02.1-fix/02.1-01-SUMMARY.md`]: summary(5) });
    try {
      expect((await run(["roadmap", "check", "--cwd", root])).code).toBe(0);
      const strict = await run(["parallel", "check", "--cwd", root, "--strict", "--json"]);
      expect(strict.code).toBe(1);
      const j = RoadmapCheckJson.parse(JSON.parse(strict.out));
      expect(j.ok).toBe(false);
      // 2.1 is done on disk: unchecked in the list, "Not started" in the table, ahead of Phase 2.
      expect(j.roadmaps[0]?.problems.map((d) => [d.code, d.line])).toEqual([
        ["roadmap-status-mismatch", 7],
        ["roadmap-prerequisite-incomplete", 20],
        ["roadmap-status-mismatch", 34],
      ]);
    } finally {
      removeTree(root);
    }
  });

  it("names a cycle and exits 1; an unknown phase is a warning with its line", async () => {
    const text = "### Phase 1: A\n**Depends on**: Phase 3\n### Phase 2: B\n**Depends on**: Phase 1\n### Phase 3: C\n**Depends on**: Phase 2, Phase 9\n";
    const root = makeTree({ ".planning/ROADMAP.md": text });
    try {
      const r = await run(["roadmap", "check", "--cwd", root, "--json"]);
      expect(r.code).toBe(1);
      const j = RoadmapCheckJson.parse(JSON.parse(r.out));
      expect(j.roadmaps[0]?.problems.map((d) => d.message)).toEqual([expect.stringContaining("Phase 1 -> Phase 2 -> Phase 3 -> Phase 1")]);
      expect(j.roadmaps[0]?.diagnostics).toContainEqual(expect.objectContaining({ code: "roadmap-depends-unknown", line: 6 }));
      const a = RoadmapAnalysisJson.parse(JSON.parse((await run(["roadmap", "analyze", "--cwd", root, "--json"])).out));
      expect(a.levels).toEqual([]);
      expect(a.phases.every((p) => p.blocked && p.level === null)).toBe(true);
    } finally {
      removeTree(root);
    }
  });

  it("exits 2 on usage errors, a missing ROADMAP.md (with a hint) and an unknown milestone; 3 without .planning", async () => {
    const root = makeTree({ ".planning/STATE.md": "# State\n", ".planning/milestones/v1.0-ROADMAP.md": "### Phase 1: Old\n" });
    const none = makeTree({ "README.md": "no planning here" });
    try {
      expect((await run(["roadmap", "frobnicate", "--cwd", root])).code).toBe(2);
      expect((await run(["roadmap", "analyze", "--bogus", "--cwd", root])).code).toBe(2);
      const missing = await run(["roadmap", "analyze", "--cwd", root]);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain("no .planning/ROADMAP.md");
      expect(missing.err).toContain(".planning/milestones/v1.0-ROADMAP.md");
      expect((await run(["roadmap", "analyze", "--cwd", root, "--milestone", "v9"])).code).toBe(2);
      expect((await run(["roadmap", "analyze", "--cwd", none])).code).toBe(3);
      const help = await run(["roadmap", "analyze", "--help"]);
      expect(help.code).toBe(0);
      expect(help.out).toContain("--milestone");
    } finally {
      removeTree(root);
      removeTree(none);
    }
  });
});

describe("archived roadmaps", () => {
  let root: string;
  beforeAll(() => {
    root = project({
      ".planning/milestones/v1.0-ROADMAP.md": "### Phase 1: Old start\n### Phase 2: Old end\n**Depends on**: Phase 1\n",
      ".planning/milestones/v1.0-phases/01-old/01-01-PLAN.md": plan("depends_on: []"),
      ".planning/milestones/v1.0-phases/01-old/01-01-SUMMARY.md": summary(3),
      ".planning/milestones/v1.0-phases/02-old/02-01-PLAN.md": plan("depends_on: []"),
    });
  });
  afterAll(() => removeTree(root));

  it("--milestone reads one archive and matches its own phase directories first", async () => {
    for (const m of ["v1.0", "1.0", "v1.0-ROADMAP.md", ".planning/milestones/v1.0-ROADMAP.md"]) {
      const j = RoadmapAnalysisJson.parse(JSON.parse((await run(["roadmap", "analyze", "--cwd", root, "--milestone", m, "--json"])).out));
      expect(j.roadmap).toBe(".planning/milestones/v1.0-ROADMAP.md");
      expect(j.phases.map((p) => [p.dir, p.status])).toEqual([
        [".planning/milestones/v1.0-phases/01-old", "complete"],
        [".planning/milestones/v1.0-phases/02-old", "pending"],
      ]);
    }
  });

  it("--archived analyses the live roadmap and every archive", async () => {
    const r = await run(["roadmap", "analyze", "--cwd", root, "--archived", "--json"]);
    expect(r.code).toBe(0);
    const j = RoadmapSetJson.parse(JSON.parse(r.out));
    expect(j.roadmaps.map((x) => x.roadmap)).toEqual([".planning/ROADMAP.md", ".planning/milestones/v1.0-ROADMAP.md"]);
    const c = RoadmapCheckJson.parse(JSON.parse((await run(["roadmap", "check", "--cwd", root, "--archived", "--json"])).out));
    expect(c.roadmaps).toHaveLength(2);
  });
});

describe("roadmap graph, simulate and parallel config", () => {
  let root: string;
  beforeAll(() => (root = project()));
  afterAll(() => removeTree(root));

  it("draws Mermaid by default, DOT and JSON on request; a bad format is a usage error", async () => {
    const m = await run(["roadmap", "graph", "--cwd", root]);
    expect(m.code).toBe(0);
    expect(m.out.startsWith("flowchart TD\n")).toBe(true);
    expect(m.out).toContain("Phase 2.1: Storage fix");
    expect(m.out).toMatch(/:::complete/);
    const d = await run(["roadmap", "graph", "--cwd", root, "--format", "dot"]);
    expect(d.out).toMatch(/^digraph /);
    expect(d.out).toContain('"Phase 2: Storage (in progress)" -> "Phase 3: API"');
    const j = RoadmapGraphJson.parse(JSON.parse((await run(["roadmap", "graph", "--cwd", root, "--json"])).out));
    expect(j.nodes).toHaveLength(5);
    expect(j.edges.filter((e) => e.implied).map((e) => [e.from, e.to])).toEqual([]);
    expect((await run(["roadmap", "graph", "--cwd", root, "--format", "png"])).code).toBe(2);
  });

  it("simulates the phases still to do at the configured or given cap", async () => {
    const r = await run(["roadmap", "simulate", "--cwd", root, "--json"]);
    expect(r.code).toBe(0);
    const j = RoadmapSimulateJson.parse(JSON.parse(r.out));
    expect(j.maxConcurrent).toBe(2);
    expect(j.skipped).toEqual({ complete: ["1"], blocked: [] });
    expect(j.phases.map((p) => p.id)).toEqual(["2", "2.1", "3", "4"]);
    expect(j.makespan.scheduler).toBeLessThanOrEqual(j.makespan.levelBarrier);
    expect(j.makespan.levelBarrier).toBeLessThanOrEqual(j.makespan.sequential);
    expect(j.makespan.lowerBound).toBeLessThanOrEqual(j.makespan.scheduler);
    const one = RoadmapSimulateJson.parse(JSON.parse((await run(["parallel", "simulate", "--cwd", root, "--max-concurrent", "1", "--json"])).out));
    expect(one.makespan.scheduler).toBe(one.makespan.sequential);
    expect((await run(["roadmap", "simulate", "--cwd", root, "--max-concurrent", "0"])).code).toBe(2);
    const text = await run(["roadmap", "simulate", "--cwd", root]);
    expect(text.out).toContain("level barrier");
    expect(text.out).toContain("Phase 2.1");
    expect((await run(["roadmap", "simulate", "--cwd", root, "--format", "mermaid"])).out).toMatch(/^gantt\n/);
  });

  it("parallel config shows the effective settings and where the cap came from", async () => {
    const r = await run(["parallel", "config", "--cwd", root, "--json"]);
    expect(r.code).toBe(0);
    const j = ParallelConfigJson.parse(JSON.parse(r.out));
    expect(j.found).toBe(true);
    expect(j.settings).toEqual({
      mode: "yolo",
      enabled: true,
      planLevel: null,
      maxConcurrent: 2,
      maxConcurrentFrom: "parallelization.max_concurrent_agents",
      skipCheckpoints: true,
    });
    expect((await run(["parallel", "config", "--cwd", root])).out).toContain("max concurrent     2");
    const bare = makeTree({ ".planning/ROADMAP.md": "### Phase 1: A\n" });
    try {
      const d = ParallelConfigJson.parse(JSON.parse((await run(["parallel", "config", "--cwd", bare, "--json"])).out));
      expect(d).toMatchObject({ found: false, settings: { maxConcurrent: 3, maxConcurrentFrom: "default" } });
    } finally {
      removeTree(bare);
    }
  });
});
