import { cli, makeTree, plan, removeTree } from "../helpers/tree";

const P = ".planning/phases/03-app";

describe("gsd-async check --audit", () => {
  let root: string;
  beforeAll(() => {
    root = makeTree({
      "src/db/schema.ts": "export {};\n",
      "src/api/users.ts": "export {};\n",
      [`${P}/03-01-PLAN.md`]: plan(
        "phase: 03-app\nplan: 01\ndepends_on: []\nfiles_modified:\n  - C:/Work/app/src/db/schema.ts\n  - C:/Work/app/src/api/users.ts",
      ),
      [`${P}/03-01-SUMMARY.md`]: "---\nduration: 10min\n---\n# done\n",
      [`${P}/03-02-PLAN.md`]: plan('phase: 03-app\nplan: 02\ndepends_on: ["03-01"]\nfiles_modified:\n  - src/api/users.ts'),
      [`${P}/03-02-SUMMARY.md`]: "---\nduration: 20min\n---\n# done\n",
      [`${P}/03-03-PLAN.md`]: plan('phase: 03-app\nplan: 03\ndepends_on: ["03-01"]\nfiles_modified:\n  - docs/notes.md'),
      [`${P}/03-03-SUMMARY.md`]: "---\nduration: 30min\n---\n# done\n",
      [`${P}/03-04-PLAN.md`]: plan("phase: 03-app\nplan: 04\ndepends_on: []\nfiles_modified:\n  - docs/other.md", "Shows the notes written by Plan 03."),
      [`${P}/03-04-SUMMARY.md`]: "---\nduration: 5min\n---\n# done\n",
    });
  });
  afterAll(() => removeTree(root));

  it("reports declared edges without evidence, inferred ones not declared, and the makespans without the unsupported ones (JSON)", async () => {
    const r = await cli(["check", "3", "--audit", "--json", "--max-concurrent", "2", "--cwd", root]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.command).toBe("check");
    const pairs = (list: { from: string; to: string }[]) => list.map((e) => `${e.from}>${e.to}`);
    expect(j.audit.declared).toBe(2);
    expect(j.audit.supported).toBe(1); // 03-01 -> 03-02 share src/api/users.ts, through the author's C:/Work/app root
    expect(pairs(j.audit.unsupported)).toEqual(["03-01>03-03"]);
    expect(j.audit.unsupported[0].reasons).toEqual([{ kind: "declared", line: 4 }]);
    expect(pairs(j.audit.inferred)).toEqual(["03-03>03-04"]);
    expect(j.audit.inferred[0].reasons).toEqual([{ kind: "prose", line: 10, text: "Shows the notes written by Plan 03." }]);
    expect(j.audit.before).toMatchObject({ criticalPath: ["03-01", "03-03", "03-04"], criticalPathMinutes: 45, waves: 3 });
    expect(j.audit.after).toMatchObject({ criticalPath: ["03-03", "03-04"], criticalPathMinutes: 35, waves: 2 });
    expect(j.audit.after.makespan).toBeLessThan(j.audit.before.makespan);
    expect(j.diagnostics.filter((d: { code: string }) => d.code === "foreign-root")).toHaveLength(1);
  });

  it("prints the same as text, after check's own report", async () => {
    const r = await cli(["check", "3", "--audit", "--cwd", root]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Audit: 1 of 2 declared edges have evidence in the files");
    expect(r.out).toContain("03-01 -> 03-03: declared (line 4)");
    expect(r.out).toContain('03-03 -> 03-04: prose (line 10): "Shows the notes written by Plan 03."');
    expect(r.out).toMatch(/without unsupported declared\s+\d/);
  });

  it("without --audit, check prints no audit", async () => {
    const r = await cli(["check", "3", "--json", "--cwd", root]);
    expect(JSON.parse(r.out).audit).toBeUndefined();
  });
});
