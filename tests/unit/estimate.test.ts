import { ESTIMATE, estimateMinutes } from "../../lib/core/plan/estimate";
import type { Task } from "../../lib/core/plan/tasks";
import type { PathEntry } from "../../lib/core/plan/path-entry";

const task = (checkpoint?: string): Task => {
  const t: Task = { type: checkpoint ? `checkpoint:${checkpoint}` : "auto", name: "t", line: 1, innerOffset: 0, form: "xml" };
  if (checkpoint) t.checkpoint = checkpoint;
  return t;
};
const file = (p: string): PathEntry => ({ raw: p, path: p, kind: "file", outside: false });
const plan = (tasks: Task[], files = 0) => ({
  tasks,
  filesModified: Array.from({ length: files }, (_, i) => file(`src/f${i}.ts`)),
  checkpoints: tasks.flatMap((t) => (t.checkpoint ? [t.checkpoint] : [])),
});

describe("estimateMinutes", () => {
  it("counts a plan with no tasks as one task", () => {
    expect(estimateMinutes(plan([]))).toBe(Math.round(ESTIMATE.base + ESTIMATE.perTask));
    expect(estimateMinutes(plan([task()]))).toBe(estimateMinutes(plan([])));
  });

  it("adds time per task and per modified file", () => {
    const E = ESTIMATE;
    expect(estimateMinutes(plan([task(), task(), task()]))).toBe(Math.round(E.base + 3 * E.perTask));
    expect(estimateMinutes(plan([task(), task()], 4))).toBe(Math.round(E.base + 2 * E.perTask + 4 * E.perFile));
    expect(estimateMinutes(plan([task(), task(), task(), task()], 10))).toBeGreaterThan(estimateMinutes(plan([task()], 0)));
  });

  it("counts a checkpoint as a person's wait, not as agent work", () => {
    const E = ESTIMATE;
    // 1 auto task + 1 checkpoint: one task of agent work plus a person's wait, not two tasks.
    expect(estimateMinutes(plan([task(), task("human-verify")]))).toBe(Math.round(E.base + E.perTask + E.perCheckpoint));
    // Only checkpoints: still at least one task's worth of work.
    expect(estimateMinutes(plan([task("decision")]))).toBe(Math.round(E.base + E.perTask + E.perCheckpoint));
  });

  it("rounds to whole minutes", () => {
    const m = estimateMinutes(plan([task()], 3)); // 8 + 1.75 + 1.8 = 11.55
    expect(m).toBe(Math.round(ESTIMATE.base + ESTIMATE.perTask + 3 * ESTIMATE.perFile));
    expect(Number.isInteger(estimateMinutes(plan([task()], 1)))).toBe(true);
  });

  it("clamps huge plans to the maximum", () => {
    expect(
      estimateMinutes(
        plan(
          Array.from({ length: 40 }, () => task()),
          50,
        ),
      ),
    ).toBe(ESTIMATE.max);
  });

  it("grows with the plan, never shrinks", () => {
    let last = 0;
    for (let n = 0; n < 25; n++) {
      const m = estimateMinutes(
        plan(
          Array.from({ length: n }, () => task()),
          n,
        ),
      );
      expect(m).toBeGreaterThanOrEqual(last);
      expect(m).toBeGreaterThanOrEqual(ESTIMATE.min);
      expect(m).toBeLessThanOrEqual(ESTIMATE.max);
      last = m;
    }
  });
});
