import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, makeTree, plan, removeTree } from "../helpers/tree";

const P = ".planning/phases/01-core";
const T0 = Date.parse("2026-11-22T10:00:00Z");
const at = (min: number) => () => new Date(T0 + min * 60_000);

function history(root: string): { entries: { plan: string; status: string; attempt: number }[] } {
  return JSON.parse(readFileSync(join(root, ".planning/agent-history.json"), "utf8"));
}

describe("gsd-async cancel", () => {
  let root: string;
  beforeEach(() => {
    root = makeTree({
      [`${P}/01-01-PLAN.md`]: plan("depends_on: []"),
      [`${P}/01-02-PLAN.md`]: plan("depends_on: []"),
      [`${P}/01-03-PLAN.md`]: plan('depends_on: ["01-01"]'),
      [`${P}/01-04-PLAN.md`]: plan('depends_on: ["01-03"]'),
    });
  });
  afterEach(() => removeTree(root));

  it("cancels the plans not started, lists running agents, and start queues them again", async () => {
    const s = JSON.parse((await cli(["start", "1", "--cwd", root, "--json", "--max-concurrent", "1"], { now: at(0) })).out);
    expect(s.spawn.map((x: { plan: string }) => x.plan)).toEqual(["01-01"]);
    await cli(["spawned", `${P}/01-01-PLAN.md`, "--agent-id", "a1234567", "--cwd", root], { now: at(1) });

    const r = await cli(["cancel", "1", "--cwd", root, "--json"], { now: at(2) });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.cancelled.sort()).toEqual(["01-02", "01-03", "01-04"]);
    expect(j.stillRunning).toEqual([{ plan: "01-01", agentId: "a1234567" }]);
    const byPlan = new Map(history(root).entries.map((e) => [e.plan, e.status]));
    expect(byPlan.get("01-01")).toBe("spawned");
    expect(byPlan.get("01-02")).toBe("cancelled");

    // Nothing more is handed out while the run is cancelled.
    const st = JSON.parse((await cli(["status", "1", "--cwd", root, "--json"], { now: at(3) })).out);
    expect(st.spawn).toEqual([]);

    // start resumes: the cancelled plans come back as new attempts.
    const again = JSON.parse((await cli(["start", "1", "--cwd", root, "--json", "--max-concurrent", "2"], { now: at(4) })).out);
    expect(again.run.run_id).toBe(s.run.run_id);
    const latest = new Map<string, { status: string; attempt: number }>();
    for (const e of history(root).entries) latest.set(e.plan, e);
    expect(latest.get("01-02")).toMatchObject({ status: "dispatched", attempt: 2 });
  });

  it("--plan cancels one plan only", async () => {
    await cli(["start", "1", "--cwd", root, "--json"], { now: at(0) });
    const j = JSON.parse((await cli(["cancel", "1", "--plan", `${P}/01-04-PLAN.md`, "--cwd", root, "--json"], { now: at(1) })).out);
    expect(j.cancelled).toEqual(["01-04"]);
    expect(
      history(root)
        .entries.filter((e) => e.status === "cancelled")
        .map((e) => e.plan),
    ).toEqual(["01-04"]);
  });

  it("is a usage error when the phase has no active run", async () => {
    const r = await cli(["cancel", "1", "--cwd", root]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("nothing to cancel");
  });
});
