import { ESTIMATE, estimateMinutes } from "../../lib/core/estimate";
import type { Task } from "../../lib/core/tasks";
import type { PathEntry } from "../../lib/core/path-entry";

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
    expect(estimateMinutes(plan([]))).toBe(ESTIMATE.base + ESTIMATE.perTask);
    expect(estimateMinutes(plan([task()]))).toBe(estimateMinutes(plan([])));
  });

  it("adds time per task and per modified file", () => {
    expect(estimateMinutes(plan([task(), task(), task()]))).toBe(3 + 3 * 3);
    expect(estimateMinutes(plan([task(), task()], 4))).toBe(3 + 2 * 3 + 4 * 0.5);
  });

  it("counts a checkpoint as a person's wait, not as agent work", () => {
    // 1 auto task + 1 checkpoint: 3 + 3*1 + 5 = 11, not 3 + 3*2 + 5.
    expect(estimateMinutes(plan([task(), task("human-verify")]))).toBe(11);
    // Only checkpoints: still at least one task's worth of work.
    expect(estimateMinutes(plan([task("decision")]))).toBe(3 + 3 + 5);
  });

  it("rounds to whole minutes", () => {
    const m = estimateMinutes(plan([task()], 3)); // 3 + 3 + 1.5 = 7.5
    expect(m).toBe(8);
    expect(Number.isInteger(estimateMinutes(plan([task()], 1)))).toBe(true);
  });

  it("clamps huge plans to the maximum", () => {
    expect(estimateMinutes(plan(Array.from({ length: 40 }, () => task()), 50))).toBe(ESTIMATE.max);
  });

  it("grows with the plan, never shrinks", () => {
    let last = 0;
    for (let n = 0; n < 25; n++) {
      const m = estimateMinutes(plan(Array.from({ length: n }, () => task()), n));
      expect(m).toBeGreaterThanOrEqual(last);
      expect(m).toBeGreaterThanOrEqual(ESTIMATE.min);
      expect(m).toBeLessThanOrEqual(ESTIMATE.max);
      last = m;
    }
  });
});
