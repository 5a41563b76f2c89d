import { evaluate } from "../helpers/actions-expression";
import { dryRun, readWorkflow } from "../helpers/actions-runner";

const ctx = {
  lookup: (p: string) => (({ "needs.a-b.result": "success", "inputs.x": "" }) as Record<string, string>)[p] ?? null,
  call: (name: string, args: unknown[]) => (name === "contains" ? String(args[0]).includes(String(args[1])) : name === "cancelled" ? false : null),
};

describe("the dry run's expressions", () => {
  it("reads paths with dashes, quotes, !, ==, &&, || and calls as GitHub does", () => {
    expect(evaluate("needs.a-b.result == 'SUCCESS'", ctx)).toBe(true);
    expect(evaluate("!cancelled() && contains(',x,y,', ',y,')", ctx)).toBe(true);
    expect(evaluate("inputs.x || 'default'", ctx)).toBe("default");
    expect(evaluate("'it''s' != 'its'", ctx)).toBe(true);
    expect(() => evaluate("a ==", ctx)).toThrow();
  });
});

describe("the dry run of a job graph", () => {
  const yaml = `
jobs:
  a: {}
  b: { needs: a }
  c: { needs: [a], if: "\${{ always() }}" }
  d: { needs: [b, c] }
`;
  it("skips the dependents of a failed job unless their condition says otherwise", () => {
    const r = dryRun(readWorkflow(yaml), { fake: (id) => ({ result: id === "a" ? "failure" : "success", minutes: 1 }) });
    expect(Object.fromEntries([...r.jobs].map(([id, j]) => [id, j.result]))).toEqual({ a: "failure", b: "skipped", c: "success", d: "skipped" });
  });

  it("holds one running and one pending job per concurrency group; a newly pending one cancels the older", () => {
    const w = readWorkflow(`
jobs:
  x: { concurrency: g }
  y: { concurrency: g }
  z: { concurrency: g }
`);
    const r = dryRun(w, { fake: () => ({ result: "success", minutes: 5 }) });
    expect(Object.fromEntries([...r.jobs].map(([id, j]) => [id, j.result]))).toEqual({ x: "success", y: "cancelled", z: "success" });
    expect(r.peak(["x", "y", "z"])).toBe(1);
  });

  it("starts a job's work only after the job its wait step names has finished", () => {
    const w = readWorkflow(`
jobs:
  first: { name: "one" }
  second: {}
`);
    const r = dryRun(w, { fake: (id) => ({ result: "success", minutes: id === "first" ? 10 : 3, ...(id === "second" ? { waitsFor: "one" } : {}) }) });
    expect([r.jobs.get("second")?.start, r.jobs.get("second")?.workStart, r.jobs.get("second")?.end]).toEqual([0, 10, 13]);
    expect(r.peak(["first", "second"])).toBe(1);
  });
});
