import type { SchedPlan } from "../../lib/core/schedule/scheduler";
import { type PlanPrompt, workflowArgs } from "../../lib/core/workflow/workflow-args";

const plan = (id: string, order: number, over: Partial<SchedPlan> = {}): SchedPlan => ({
  id,
  order,
  deps: [],
  externalPending: [],
  autonomous: true,
  minutes: 10,
  state: "pending",
  ...over,
});
const prompts = (ids: string[], agentType: string | null = null) => new Map<string, PlanPrompt>(ids.map((id) => [id, { prompt: `run ${id}`, agentType }]));
const base = {
  runId: "r1",
  launch: "2026-01-01T00:00:00.000Z",
  phaseDir: ".planning/phases/01-x",
  cap: 2,
  strategy: "critical-path" as const,
  includeCheckpoints: false,
};

describe("workflowArgs", () => {
  it("lists the pending plans with their pending prerequisites, the complete ones, and the scheduler's critical-path order", () => {
    const plans = [
      plan("01-01", 0, { state: "completed" }),
      plan("01-02", 1, { deps: ["01-01"], minutes: 5 }),
      plan("01-03", 2, { minutes: 30 }),
      plan("01-04", 3, { deps: ["01-02", "01-01"], minutes: 5 }),
    ];
    const args = workflowArgs({ ...base, plans, prompts: prompts(["01-02", "01-03", "01-04"], "gsd:gsd-executor") });
    expect(args).toEqual({
      run: "r1",
      launch: "2026-01-01T00:00:00.000Z",
      phase: ".planning/phases/01-x",
      cap: 2,
      // 01-03 has 30 min left; 01-02 heads a 10 min chain; 01-04 ends it.
      order: ["01-03", "01-02", "01-04"],
      complete: ["01-01"],
      plans: [
        { id: "01-02", label: "gsd-async 01-02", prompt: "run 01-02", agentType: "gsd:gsd-executor", after: [] },
        { id: "01-03", label: "gsd-async 01-03", prompt: "run 01-03", agentType: "gsd:gsd-executor", after: [] },
        { id: "01-04", label: "gsd-async 01-04", prompt: "run 01-04", agentType: "gsd:gsd-executor", after: ["01-02"] },
      ],
    });
  });

  it("fifo keeps plan order, and a general-purpose agent has no agentType", () => {
    const plans = [plan("a", 0, { minutes: 1 }), plan("b", 1, { minutes: 50 })];
    const args = workflowArgs({ ...base, strategy: "fifo", plans, prompts: prompts(["a", "b"]) });
    expect(args.order).toEqual(["a", "b"]);
    expect(args.plans[0]).not.toHaveProperty("agentType");
  });

  it("leaves out what cannot finish inside the workflow, and every plan that depends on it, transitively", () => {
    const plans = [
      plan("cp", 0, { autonomous: false }),
      plan("x", 1, { externalPending: ["02-01"] }),
      plan("held", 2, { hold: true }),
      plan("running", 3, { state: "running" }),
      plan("failed", 4, { state: "failed" }),
      plan("d1", 5, { deps: ["cp"] }),
      plan("d2", 6, { deps: ["d1"] }),
      plan("d3", 7, { deps: ["running"] }),
      plan("d4", 8, { deps: ["failed"] }),
      plan("free", 9),
    ];
    const ids = plans.map((p) => p.id);
    expect(workflowArgs({ ...base, plans, prompts: prompts(ids) }).plans.map((p) => p.id)).toEqual(["free"]);
    // With checkpoints included, the checkpoint plan and its chain run too.
    expect(workflowArgs({ ...base, includeCheckpoints: true, plans, prompts: prompts(ids) }).order).toEqual(["cp", "d1", "d2", "free"]);
  });

  it("a plan without a prompt is not run, and neither is its dependent", () => {
    const plans = [plan("a", 0), plan("b", 1, { deps: ["a"] })];
    expect(workflowArgs({ ...base, plans, prompts: prompts(["b"]) }).plans).toEqual([]);
  });

  it("a re-run lists only what is left: the finished plans are complete prerequisites", () => {
    const plans = [plan("a", 0, { state: "completed" }), plan("b", 1, { state: "completed", deps: ["a"] }), plan("c", 2, { deps: ["b"] })];
    const args = workflowArgs({ ...base, cap: 0, plans, prompts: prompts(["c"]) });
    expect(args).toMatchObject({ cap: 1, complete: ["a", "b"], order: ["c"], plans: [{ id: "c", after: [] }] });
  });
});
