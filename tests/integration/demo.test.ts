import { resolve } from "node:path";
import { cli } from "../helpers/tree";

const demo = resolve(__dirname, "../../examples/demo");

interface Edge {
  from: string;
  to: string;
  reasons: { kind: string; file?: string }[];
}

/** The bundled demo is documented in examples/demo/EXPECTED.md; these are its claims. */
describe("the bundled demo project", () => {
  let j: any;
  beforeAll(async () => {
    j = JSON.parse((await cli(["analyze", "2", "--cwd", demo, "--json"])).out);
  });
  const edge = (from: string, to: string): Edge | undefined => j.edges.find((e: Edge) => e.from === from && e.to === to);
  const kinds = (from: string, to: string) => [...new Set((edge(from, to)?.reasons ?? []).map((r) => r.kind))].sort();

  it("has exactly the seven edges EXPECTED.md lists for phase 2", async () => {
    const pairs = j.edges.map((e: Edge) => `${e.from}>${e.to}`).sort();
    expect(pairs).toEqual(["01-02>02-02", "02-01>02-04", "02-01>02-05", "02-01>02-06", "02-02>02-04", "02-02>02-05", "02-03>02-06"]);
  });

  it("labels each edge with why it exists", async () => {
    expect(kinds("02-01", "02-04")).toEqual(["declared", "prose", "read-after-write", "summary-ref"]);
    expect(kinds("02-02", "02-04")).toEqual(["write-conflict"]);
    expect(edge("02-02", "02-04")?.reasons[0]?.file).toBe("src/server/routes.ts");
    expect(kinds("02-01", "02-06")).toEqual(["read-after-write"]);
    expect(edge("02-01", "02-06")?.reasons[0]?.file).toBe("src/lib/tags.ts");
    expect(kinds("01-02", "02-02")).toEqual(["cross-phase", "summary-ref"]);
  });

  it("computes two waves and flags the one wave the author got wrong", async () => {
    expect(j.waves).toEqual([
      ["02-01", "02-02", "02-03"],
      ["02-04", "02-05", "02-06"],
    ]);
    const mismatches = j.diagnostics.filter((d: { code: string }) => d.code === "wave-mismatch");
    expect(mismatches).toEqual([expect.objectContaining({ file: ".planning/phases/02-core-features/02-05-PLAN.md" })]);
  });

  it("marks the checkpoint plan as needing a person", async () => {
    const needsPerson = j.plans.filter((p: { autonomous: boolean }) => !p.autonomous).map((p: { id: string }) => p.id);
    expect(needsPerson).toEqual(["02-06"]);
  });

  it("reads phase 1 as complete with durations from its summaries", async () => {
    const p1 = JSON.parse((await cli(["analyze", "1", "--cwd", demo, "--json"])).out);
    expect(p1.plans.map((p: { status: string }) => p.status)).toEqual(["complete", "complete"]);
    expect(p1.plans.map((p: { durationMinutes: number }) => p.durationMinutes)).toEqual([6, 9]);
  });

  it("orders phase 3 as a chain without a false cycle from a later plan's write", async () => {
    const p3 = JSON.parse((await cli(["analyze", "3", "--cwd", demo, "--json"])).out);
    expect(p3.waves).toEqual([["03-01"], ["03-02"], ["03-03"]]);
    expect(p3.cycles).toEqual([]);
  });
});
