import { cli, makeTree, plan, removeTree } from "../helpers/tree";

const P = ".planning/phases";

function demoTree(): string {
  return makeTree({
    ".planning/STATE.md": "# State\n\n## Current Position\n\nPhase: 2 of 2 (Build)\nPlan: 1 of 3\n",
    ".planning/config.json": JSON.stringify({ mode: "yolo", parallelization: { max_concurrent_agents: 2 } }),
    [`${P}/01-setup/01-01-PLAN.md`]: plan("phase: 01-setup\nplan: 01\nwave: 1\ndepends_on: []\nfiles_modified:\n  - src/db.ts"),
    [`${P}/01-setup/01-01-SUMMARY.md`]: "---\nduration: 7min\n---\n# done\n",
    [`${P}/02-build/02-01-PLAN.md`]: plan("phase: 02-build\nplan: 01\nwave: 1\ndepends_on: []\nfiles_modified:\n  - src/api.ts\n  - src/shared.ts"),
    [`${P}/02-build/02-02-PLAN.md`]: plan(
      'phase: 02-build\nplan: 02\nwave: 1\ndepends_on: ["01-01"]\nfiles_modified:\n  - src/shared.ts  # also touched by 02-01',
    ),
    [`${P}/02-build/02-03-PLAN.md`]: plan(
      "phase: 02-build\nplan: 03\nwave: 2\ndepends_on: [01]\nfiles_modified:\n  - src/ui.ts",
      '<context>\n@src/api.ts\n@.planning/phases/02-build/02-01-SUMMARY.md\n</context>\n<tasks>\n<task type="checkpoint:human-verify" gate="blocking">\n<name>Look at it</name>\n<files>src/ui.ts</files>\n</task>\n</tasks>',
    ),
  });
}

describe("gsd-async analyze on a temp .planning tree", () => {
  let root: string;
  beforeAll(() => {
    root = demoTree();
  });
  afterAll(() => removeTree(root));

  it("uses the current phase from STATE.md and reports plans, edges with reasons and waves as JSON", async () => {
    const r = await cli(["analyze", "--cwd", root, "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.phase.dir).toBe(`${P}/02-build`);
    expect(j.note).toMatch(/STATE\.md/);
    expect(j.plans.map((p: { id: string }) => p.id)).toEqual(["02-01", "02-02", "02-03"]);
    const edge = (from: string, to: string) => j.edges.find((e: { from: string; to: string }) => e.from === from && e.to === to);
    expect(edge("02-01", "02-02").reasons).toEqual([{ kind: "write-conflict", file: "src/shared.ts" }]);
    const e13 = edge("02-01", "02-03")
      .reasons.map((r: { kind: string }) => r.kind)
      .sort();
    expect(e13).toEqual(["declared", "read-after-write", "summary-ref"]);
    const cross = edge("01-01", "02-02");
    expect(cross.external).toBe(true);
    expect(cross.satisfied).toBe(true);
    expect(j.waves).toEqual([["02-01"], ["02-02", "02-03"]]);
    const p3 = j.plans.find((p: { id: string }) => p.id === "02-03");
    expect(p3.autonomous).toBe(false);
    expect(p3.checkpoints).toEqual(["human-verify"]);
    expect(p3.declaredWave).toBe(2);
    const p2 = j.plans.find((p: { id: string }) => p.id === "02-02");
    expect(p2.declaredWave).toBe(1);
    expect(p2.wave).toBe(2);
    expect(j.diagnostics.map((d: { code: string }) => d.code).sort()).toEqual(["wave-mismatch", "write-conflict-undeclared"]);
    expect(j.counts).toMatchObject({ plans: 3, complete: 0, pending: 3 });
  });

  it("accepts a phase number in any padding or a directory path", async () => {
    for (const arg of ["1", "01", "001", `${P}/01-setup`, "01-setup"]) {
      const j = JSON.parse((await cli(["analyze", arg, "--cwd", root, "--json"])).out);
      expect(j.phase.dir).toBe(`${P}/01-setup`);
      expect(j.plans[0].status).toBe("complete");
      expect(j.plans[0].durationMinutes).toBe(7);
      expect(j.plans[0].durationSource).toBe("summary");
    }
  });

  it("prints readable text with the plans, reasons and diagnostics, without colour when piped", async () => {
    const r = await cli(["analyze", "2", "--cwd", root]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Phase 02-build");
    expect(r.out).toContain("02-01 -> 02-02: write-conflict: src/shared.ts");
    expect(r.out).toContain("write-conflict-undeclared");
    expect(r.out).not.toMatch(/\u001b\[/);
  });

  it("colours a TTY unless NO_COLOR is set or --no-color is given", async () => {
    expect((await cli(["analyze", "2", "--cwd", root], { isTTY: true })).out).toMatch(/\u001b\[/);
    expect((await cli(["analyze", "2", "--cwd", root], { isTTY: true, env: { NO_COLOR: "1" } })).out).not.toMatch(/\u001b\[/);
    expect((await cli(["analyze", "2", "--cwd", root, "--no-color"], { isTTY: true })).out).not.toMatch(/\u001b\[/);
  });
});

describe("gsd-async check", () => {
  let root: string;
  beforeAll(() => {
    root = demoTree();
  });
  afterAll(() => removeTree(root));

  it("exits 1 on an undeclared write conflict and lists it", async () => {
    const r = await cli(["check", "2", "--cwd", root]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("1 problem");
    expect(r.out).toContain("src/shared.ts");
  });

  it("exits 0 for a clean phase, and 1 with --strict when only warnings remain", async () => {
    const clean = makeTree({
      [`${P}/03-x/03-01-PLAN.md`]: plan("wave: 1\ndepends_on: []\nfiles_modified: [a.ts]"),
      [`${P}/03-x/03-02-PLAN.md`]: plan('wave: 1\ndepends_on: ["03-01"]\nfiles_modified: [b.ts]'),
    });
    try {
      expect((await cli(["check", "3", "--cwd", clean])).code).toBe(0);
      const strict = await cli(["check", "3", "--cwd", clean, "--strict", "--json"]);
      expect(strict.code).toBe(1);
      const j = JSON.parse(strict.out);
      expect(j.ok).toBe(false);
      expect(j.problems.map((d: { code: string }) => d.code)).toEqual(["wave-mismatch"]);
    } finally {
      removeTree(clean);
    }
  });

  it("names the cycle and exits 1", async () => {
    const cyc = makeTree({
      [`${P}/04-c/04-01-PLAN.md`]: plan('depends_on: ["04-03"]'),
      [`${P}/04-c/04-02-PLAN.md`]: plan('depends_on: ["04-01"]'),
      [`${P}/04-c/04-03-PLAN.md`]: plan('depends_on: ["04-02"]'),
    });
    try {
      const r = await cli(["check", "4", "--cwd", cyc, "--json"]);
      expect(r.code).toBe(1);
      const j = JSON.parse(r.out);
      const cycle = j.problems.find((d: { code: string }) => d.code === "cycle");
      expect(cycle.message).toContain("04-01 -> 04-02 -> 04-03 -> 04-01");
    } finally {
      removeTree(cyc);
    }
  });

  it("reports an unresolved depends_on with file and line", async () => {
    const t = makeTree({ [`${P}/05-u/05-01-PLAN.md`]: plan('phase: 05-u\ndepends_on: ["05-09"]') });
    try {
      const j = JSON.parse((await cli(["check", "5", "--cwd", t, "--json"])).out);
      expect(j.problems).toEqual([expect.objectContaining({ code: "depends-unresolved", file: `${P}/05-u/05-01-PLAN.md`, line: 3 })]);
    } finally {
      removeTree(t);
    }
  });
});

describe("usage errors and exit codes", () => {
  let root: string;
  beforeAll(() => {
    root = demoTree();
  });
  afterAll(() => removeTree(root));

  it("exits 2 on an unknown flag, an unknown command, a bad --format and an unknown phase", async () => {
    expect((await cli(["analyze", "--bogus", "--cwd", root])).code).toBe(2);
    expect((await cli(["frobnicate"])).code).toBe(2);
    expect((await cli(["graph", "2", "--cwd", root, "--format", "png"])).code).toBe(2);
    const r = await cli(["analyze", "9", "--cwd", root]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no phase numbered 9");
  });

  it("exits 3 when there is no .planning directory", async () => {
    const empty = makeTree({ "README.md": "nothing here" });
    try {
      const r = await cli(["analyze", "--cwd", empty]);
      expect(r.code).toBe(3);
      expect(r.err).toContain("no .planning/ directory");
    } finally {
      removeTree(empty);
    }
  });

  it("prints help with examples and the version, exiting 0", async () => {
    const h = await cli(["check", "--help"]);
    expect(h.code).toBe(0);
    expect(h.out).toContain("--strict");
    expect(h.out).toContain("Examples:");
    const v = await cli(["--version"]);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("gsd-async graph", () => {
  let root: string;
  beforeAll(() => {
    root = demoTree();
  });
  afterAll(() => removeTree(root));

  it("draws Mermaid with status classes and reason labels", async () => {
    const r = await cli(["graph", "2", "--cwd", root]);
    expect(r.code).toBe(0);
    expect(r.out.startsWith("flowchart TD\n")).toBe(true);
    expect(r.out).toMatch(/\|write-conflict\|/);
    expect(r.out).toMatch(/:::checkpoint/);
    expect(r.out).toMatch(/-\.->\|cross-phase, summary-ref\||-\.->\|cross-phase\|/);
    expect(r.out).toContain("classDef complete");
  });

  it("hides implied edges unless --all-edges", async () => {
    const t = makeTree({
      [`${P}/06-r/06-01-PLAN.md`]: plan("depends_on: []"),
      [`${P}/06-r/06-02-PLAN.md`]: plan('depends_on: ["06-01"]'),
      [`${P}/06-r/06-03-PLAN.md`]: plan('depends_on: ["06-01", "06-02"]'),
    });
    try {
      const count = (s: string) => s.split("\n").filter((l) => l.includes("-->")).length;
      expect(count((await cli(["graph", "6", "--cwd", t])).out)).toBe(2);
      expect(count((await cli(["graph", "6", "--cwd", t, "--all-edges"])).out)).toBe(3);
      const j = JSON.parse((await cli(["graph", "6", "--cwd", t, "--format", "json"])).out);
      expect(j.edges.filter((e: { implied: boolean }) => e.implied)).toEqual([expect.objectContaining({ from: "06-01", to: "06-03" })]);
    } finally {
      removeTree(t);
    }
  });

  it("writes DOT", async () => {
    const r = await cli(["graph", "2", "--cwd", root, "--format", "dot"]);
    expect(r.out).toMatch(/^digraph "02-build" \{/);
    expect(r.out).toContain('"02-01" -> "02-02" [label="write-conflict"]');
  });
});
