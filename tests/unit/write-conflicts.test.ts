import { buildGraph, topoOrder } from "../../lib/core/graph/plan-graph";
import { lintWriteConflicts } from "../../lib/core/graph/write-conflicts";

const files: Record<string, string> = { a: "A-PLAN.md", b: "B-PLAN.md", c: "C-PLAN.md", d: "D-PLAN.md" };
const lines: Record<string, number> = { a: 5, b: 6, c: 7 };
function lint(order: string[], explicit: [string, string][], conflicts: [string, string, string][]) {
  const g = buildGraph({ order, edges: explicit.map(([from, to]) => ({ from, to })) });
  return lintWriteConflicts(
    conflicts.map(([from, to, file]) => ({ from, to, file })),
    g,
    topoOrder(g, order),
    (id) => files[id],
    (id) => lines[id],
  );
}

describe("lintWriteConflicts", () => {
  it("reports two writers that nothing orders, at the later plan's files_modified line", () => {
    const out = lint(["a", "b"], [], [["a", "b", "src/x.ts"]]);
    expect(out).toEqual([
      {
        severity: "error",
        code: "write-conflict-undeclared",
        message: expect.stringContaining("src/x.ts"),
        file: "B-PLAN.md",
        line: 6,
      },
    ]);
    expect(out[0]?.message).toContain('depends_on: ["a"]');
  });

  it("is silent when a declared edge orders the pair directly", () => {
    expect(lint(["a", "b"], [["a", "b"]], [["a", "b", "src/x.ts"]])).toEqual([]);
  });

  it("is silent when the pair is ordered through other plans", () => {
    expect(
      lint(
        ["a", "b", "c"],
        [
          ["a", "b"],
          ["b", "c"],
        ],
        [["a", "c", "src/x.ts"]],
      ),
    ).toEqual([]);
  });

  it("is silent when the order comes from a plan depending on a later-numbered plan", () => {
    // c -> a is declared; the conflict is therefore ordered c first.
    expect(lint(["a", "b", "c"], [["c", "a"]], [["c", "a", "src/x.ts"]])).toEqual([]);
  });

  it("reports each unordered pair once per conflict given, and only those", () => {
    const out = lint(
      ["a", "b", "c"],
      [["a", "b"]],
      [
        ["a", "b", "src/x.ts"],
        ["b", "c", "src/y.ts"],
      ],
    );
    expect(out.map((d) => d.file)).toEqual(["C-PLAN.md"]);
    expect(out[0]?.message).toContain("src/y.ts");
  });

  it("does not count an order in the wrong direction", () => {
    // b -> a is declared, but the conflict claims a runs first: a does not reach b.
    expect(lint(["a", "b"], [["b", "a"]], [["a", "b", "src/x.ts"]])).toHaveLength(1);
  });

  it("leaves out file and line when they are unknown", () => {
    const out = lint(["d", "e"], [], [["d", "e", "src/x.ts"]]);
    expect(out[0]?.file).toBeUndefined();
    expect(out[0]?.line).toBeUndefined();
  });
});
