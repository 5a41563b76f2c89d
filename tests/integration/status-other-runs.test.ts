import { cli, makeTree, plan, removeTree } from "../helpers/tree";

const T0 = Date.parse("2026-11-22T10:00:00Z");
const at = (min: number) => () => new Date(T0 + min * 60_000);

describe("status with runs in two phases", () => {
  let root: string;
  beforeAll(() => {
    root = makeTree({
      ".planning/phases/01-api/01-01-PLAN.md": plan("depends_on: []"),
      ".planning/phases/01-api/01-02-PLAN.md": plan("depends_on: []"),
      ".planning/workstreams/ui/phases/01-shell/01-01-PLAN.md": plan("depends_on: []"),
    });
  });
  afterAll(() => removeTree(root));

  it("follows the newest run and names the other phase still in progress", async () => {
    await cli(["start", ".planning/phases/01-api", "--cwd", root, "--json"], { now: at(0) });
    await cli(["start", ".planning/workstreams/ui/phases/01-shell", "--cwd", root, "--json"], { now: at(1) });
    const r = await cli(["status", "--cwd", root, "--json"], { now: at(2) });
    const j = JSON.parse(r.out);
    expect(j.phase.dir).toBe(".planning/workstreams/ui/phases/01-shell");
    expect(j.otherRuns).toEqual([expect.objectContaining({ phaseDir: ".planning/phases/01-api", completed: 0, total: 2 })]);
    const text = await cli(["status", "--cwd", root], { now: at(2) });
    expect(text.out).toContain("Other phases with a run in progress: .planning/phases/01-api (0/2 done, 0 running)");
    // Naming the phase shows that one, and the other run is mentioned in turn.
    const api = JSON.parse((await cli(["status", ".planning/phases/01-api", "--cwd", root, "--json"], { now: at(3) })).out);
    expect(api.otherRuns.map((x: { phaseDir: string }) => x.phaseDir)).toEqual([".planning/workstreams/ui/phases/01-shell"]);
  });
});
