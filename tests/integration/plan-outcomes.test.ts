import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, makeTree, plan, removeTree } from "../helpers/tree";

const P = ".planning/phases/01-core";
const T0 = Date.parse("2026-03-01T09:00:00.000Z");
const at = (m: number) => () => new Date(T0 + m * 60_000);

/** 01-01 halted and 01-02 superseded (by their SUMMARY.md); 01-03 needs 01-01, 01-04 needs 01-02. */
function tree(): string {
  return makeTree({
    ".planning/STATE.md": "# State\n\n## Current Position\n\nPhase: 1 of 1 (Core)\n",
    ".planning/config.json": JSON.stringify({ mode: "yolo", parallelization: { max_concurrent_agents: 3 } }),
    [`${P}/01-01-PLAN.md`]: plan("phase: 01-core\nplan: 01\ndepends_on: []\nfiles_modified:\n  - src/a.ts"),
    [`${P}/01-01-SUMMARY.md`]: "---\nstatus: halted\nduration: 4min\n---\n# 01-01 stopped: the API key was missing\n",
    [`${P}/01-02-PLAN.md`]: plan("phase: 01-core\nplan: 02\ndepends_on: []\nfiles_modified:\n  - src/b.ts"),
    [`${P}/01-02-SUMMARY.md`]: "---\nstatus: superseded\n---\n# 01-02 replaced by 01-04\n",
    [`${P}/01-03-PLAN.md`]: plan('phase: 01-core\nplan: 03\ndepends_on: ["01-01"]\nfiles_modified:\n  - src/c.ts'),
    [`${P}/01-04-PLAN.md`]: plan('phase: 01-core\nplan: 04\ndepends_on: ["01-02"]\nfiles_modified:\n  - src/d.ts'),
  });
}

async function json(argv: string[], now = at(0)) {
  const r = await cli([...argv, "--json"], { now });
  return { code: r.code, body: JSON.parse(r.out) };
}

describe("halted and superseded plans", () => {
  let root: string;
  beforeEach(() => {
    root = tree();
  });
  afterEach(() => removeTree(root));

  it("analyze shows both outcomes, in JSON (status kept two-valued) and in text", async () => {
    const { body } = await json(["analyze", "--cwd", root]);
    expect(body.plans.map((p: { id: string; status: string; outcome: string }) => [p.id, p.status, p.outcome])).toEqual([
      ["01-01", "pending", "halted"],
      ["01-02", "complete", "superseded"],
      ["01-03", "pending", "pending"],
      ["01-04", "pending", "pending"],
    ]);
    expect(body.counts).toMatchObject({ halted: 1, superseded: 1, complete: 1, pending: 3 });
    const text = await cli(["analyze", "--cwd", root]);
    expect(text.out).toContain("4 plans, 0 complete, 1 halted, 1 superseded");
    expect(text.out).toMatch(/01-01.*halted: its dependents wait/);
    expect(text.out).toMatch(/01-02.*superseded: not run, blocks nothing/);
  });

  it("start runs what a superseded plan gated, blocks what a halted one gates, and runs neither of them", async () => {
    const start = await json(["start", "--cwd", root]);
    expect(start.code).toBe(0);
    expect(start.body.spawn.map((s: { plan: string }) => s.plan)).toEqual(["01-04"]);
    const status = await cli(["status", "--brief", "--cwd", root], { now: at(1) });
    const brief = JSON.parse(status.out);
    expect(brief.progress).toEqual({ done: 1, total: 4 });
    expect(brief.problems).toEqual(
      expect.arrayContaining([
        { id: "01-01", state: "halted", error: null, blockedBy: [] },
        { id: "01-03", state: "blocked", error: null, blockedBy: ["01-01"] },
      ]),
    );
    const st = await json(["status", "--cwd", root], at(1));
    const states = Object.fromEntries(st.body.plans.map((p: { id: string; state: string }) => [p.id, p.state]));
    expect(states).toMatchObject({ "01-01": "halted", "01-02": "superseded", "01-03": "blocked" });
  });

  it("once the dependents of the superseded plan are done the run stops on the halted one, not done", async () => {
    await json(["start", "--cwd", root]);
    writeFileSync(join(root, P, "01-04-SUMMARY.md"), "---\nduration: 3min\n---\n# done\n");
    const st = await json(["status", "--cwd", root], at(5));
    expect(st.body.outcome).toBe("stopped");
    expect(st.body.progress).toMatchObject({ done: 2, total: 4 });
    const text = await cli(["status", "--cwd", root], { now: at(5) });
    expect(text.out).toMatch(/01-01\s+halted/);
  });

  it("simulate leaves the superseded plan out and replays the halted one", async () => {
    const { body } = await json(["simulate", "--cwd", root]);
    expect(body.plans.map((p: { id: string; outcome: string }) => [p.id, p.outcome])).toEqual([
      ["01-01", "halted"],
      ["01-02", "superseded"],
      ["01-03", "pending"],
      ["01-04", "pending"],
    ]);
    expect(body.timeline.map((s: { id: string }) => s.id).sort()).toEqual(["01-01", "01-03", "01-04"]);
    const text = await cli(["simulate", "--cwd", root]);
    expect(text.out).toContain("superseded, left out: 01-02");
    expect(text.out).toContain("halted, replayed as work to do: 01-01");
  });
});
