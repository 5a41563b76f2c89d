import { emptyHistory, type History } from "../../lib/core/queue/history-schema";
import type { QueueEvent, QueueFacts } from "../../lib/core/queue/queue-event";
import { queueStep } from "../../lib/core/queue/queue-step";
import { runEntries } from "../../lib/core/queue/history-ops";
import { evidenceKey } from "../../lib/core/queue/liveness";
import type { StatusView } from "../../lib/core/queue/status-view";
import { briefView } from "../../lib/core/queue/brief-view";
import { renderStatus } from "../../lib/render/status-text";
import { createStyle } from "../../lib/render/style";
import { WORKFLOW_NAME } from "../../lib/core/workflow/engine";
import { parseReport } from "../../lib/core/workflow/workflow-report";
import { type Job, analysisOf, factsOf, iso, planFile, queueOptions, roundTrip } from "../helpers/sched-fixtures";

/** A phase: a -> c, b -> d, c -> e; cap 2. */
const JOBS: Job[] = [
  { id: "a", minutes: 5 },
  { id: "b", minutes: 30 },
  { id: "c", minutes: 5, deps: ["a"] },
  { id: "d", minutes: 5, deps: ["b"] },
  { id: "e", minutes: 5, deps: ["c"] },
];

function facts(t: number, over: Partial<QueueFacts> = {}, done: Set<string> = new Set()): QueueFacts {
  const f = factsOf(analysisOf(JOBS, done), queueOptions(t, { maxConcurrent: 2 }));
  return { ...f, sessionId: "s1", settings: { ...f.settings, engine: "workflow" }, ...over };
}
const start: QueueEvent = { kind: "start", options: { newRunId: "r1" } };

function step(h: History, f: QueueFacts, ev: QueueEvent): { history: History; view: StatusView } {
  const r = queueStep({ history: h, ledger: null }, f, ev);
  if (r.outcome.kind !== "advanced") throw new Error(r.outcome.kind);
  return { history: roundTrip(r.state.history), view: r.outcome.view };
}
const statuses = (h: History) => Object.fromEntries(runEntries(h, "r1").map((e) => [e.plan, e.status]));

describe("the workflow engine in the queue", () => {
  it("start hands out one workflow item with every plan, claims them all, and offers no agent", () => {
    const { history, view } = step(emptyHistory(), facts(0), start);
    expect(view.spawn).toEqual([]);
    expect(view.run).toMatchObject({ engine: "workflow" });
    expect(view.workflow).toMatchObject({
      tool: "Workflow",
      input: { name: WORKFLOW_NAME, args: { run: "r1", launch: iso(0), cap: 2, order: ["b", "a", "c", "d", "e"], complete: [] } },
    });
    expect(view.workflow!.input.args.plans.map((p) => [p.id, p.after])).toEqual([
      ["a", []],
      ["b", []],
      ["c", ["a"]],
      ["d", ["b"]],
      ["e", ["c"]],
    ]);
    expect(view.workflow!.input.args.plans[2]!.prompt).toContain(`gsd-async-plan: ${planFile("c")}`);
    expect(statuses(history)).toEqual({ a: "dispatched", b: "dispatched", c: "dispatched", d: "dispatched", e: "dispatched" });
    expect(renderStatus(view, createStyle(false), iso(0))).toContain("engine: workflow");
    const brief = briefView(view, { command: "start", mode: "yolo" });
    expect(brief).toMatchObject({ engine: "workflow", spawn: [], workflow: view.workflow });
    expect(brief.next).toMatch(/Workflow tool once/);
    const preview = briefView(view, { command: "start", mode: "yolo", dryRun: true });
    expect(preview).not.toHaveProperty("workflow");
    expect(preview).toMatchObject({ engine: "workflow", running: ["a", "b", "c", "d", "e"] });
    expect(preview.next).toMatch(/Without a Workflow tool, do not start/);
  });

  it("a worktree-mode workflow run tells each agent to make its worktree first, and to work and commit there", () => {
    const { view } = step(emptyHistory(), facts(0), {
      kind: "start",
      options: { newRunId: "r1", isolation: "worktree", repoTop: "/repo", engine: "workflow" },
    });
    expect(view.run).toMatchObject({ isolation: "worktree", engine: "workflow" });
    expect(view.spawn).toEqual([]);
    const c = view.workflow!.input.args.plans.find((p) => p.id === "c")!.prompt;
    const lines = c.split("\n");
    const first = lines.findIndex((l) => l.startsWith("  worktree: "));
    expect(lines[first]).toMatch(/ worktree c --run r1 --cwd \S+$/);
    // Asked for before the project line that names it, and before the commit and finish lines.
    expect(first).toBeLessThan(lines.findIndex((l) => l.startsWith("Project: ")));
    expect(c).toMatch(/^Project: \/repo\/\.gsd-worktrees\/\S+\/c$/m);
    expect(c).toContain("This is a git worktree on branch gsd/");
    expect(c).toMatch(/^ {2}commit: .* commit c --run r1 --cwd \/repo\/\.gsd-worktrees\//m);
  });

  it("a report of completion does not complete a worktree-mode plan whose agent never ran done (nothing was merged); a reported failure stands over a summary", () => {
    const wt = step(emptyHistory(), facts(0), {
      kind: "start",
      options: { newRunId: "r1", isolation: "worktree", repoTop: "/repo", engine: "workflow" },
    }).history;
    const report = parseReport({
      gsdAsyncRun: "r1",
      launch: iso(0),
      results: { a: { outcome: "completed" }, b: { outcome: "failed", reason: "tests failed" } },
    })!;
    const after = step(wt, facts(3, { workflowReports: [report] }), { kind: "status" }).history;
    expect(runEntries(after, "r1").find((e) => e.plan === "a")).toMatchObject({ status: "failed", error: expect.stringMatching(/never ran its done line/) });
    // Shared mode: b's agent wrote its SUMMARY.md, then reported failure; the summary does not override the report.
    const shared = step(emptyHistory(), facts(0), start).history;
    const settled = step(shared, facts(3, { workflowReports: [report] }, new Set(["b"])), { kind: "status" }).history;
    expect(runEntries(settled, "r1").find((e) => e.plan === "b")).toMatchObject({ status: "failed", error: "tests failed", summary_at_failure: true });
    expect(statuses(step(settled, facts(4, {}, new Set(["b"])), { kind: "status" }).history).b).toBe("failed");
  });

  it("while the workflow runs, status and a second start (another window, or the agents engine) start nothing twice", () => {
    const first = step(emptyHistory(), facts(0), start).history;
    const later = step(first, facts(60 * 60_000), { kind: "status" });
    expect(later.view.spawn).toEqual([]);
    expect(later.view.outcome).toBe("in-progress");
    expect(briefView(later.view, { command: "status", mode: "yolo" }).next).toMatch(/workflow runs the plans/);
    const again = step(later.history, facts(61 * 60_000), start);
    expect(again.view.workflow).toBeUndefined();
    const agents = step(later.history, facts(62 * 60_000, { settings: { maxConcurrent: 2, includeCheckpoints: false, engine: "agents" } }), start);
    expect(agents.view.spawn).toEqual([]);
  });

  it("status shows a plan as running once the workflow's journal names its agent (same run, plan file and attempt)", () => {
    const h = step(emptyHistory(), facts(0), start).history;
    const agents = [
      { agentId: "a1", runId: "r1", planFile: planFile("a"), attempt: 1 },
      { agentId: "a2", runId: "r0", planFile: planFile("b"), attempt: 1 },
      { agentId: "a3", runId: "r1", planFile: planFile("c"), attempt: 2 },
    ];
    const { history, view } = step(h, facts(1, { workflowAgents: agents }), { kind: "status" });
    expect(statuses(history)).toMatchObject({ a: "spawned", b: "dispatched", c: "dispatched" });
    expect(view.plans.find((p) => p.id === "a")).toMatchObject({ state: "running", agentId: "a1", startedAt: iso(1) });
    expect(view.plans.find((p) => p.id === "b")?.state).toBe("starting");
  });

  it("agents report by plan id as in the agents engine; the report settles what was never recorded; a re-run gets only what is left", () => {
    let h = step(emptyHistory(), facts(0), start).history;
    const rec = (ev: QueueEvent, t: number) => {
      const r = queueStep({ history: h, ledger: null }, facts(t), ev);
      h = r.state.history;
      return r.outcome.kind;
    };
    expect(rec({ kind: "complete", plan: "a", runId: "r1" }, 1)).toBe("recorded");
    expect(rec({ kind: "fail", plan: "b", runId: "r1", reason: "tests failed" }, 2)).toBe("recorded");
    // c completed but its agent never ran `complete`; e's agent died; d was skipped (b failed).
    const report = parseReport({
      gsdAsyncRun: "r1",
      launch: iso(0),
      results: {
        a: { outcome: "completed" },
        b: { outcome: "failed", reason: "x" },
        c: { outcome: "completed" },
        d: { outcome: "skipped", blockedBy: ["b"] },
        e: { outcome: "no-result", reason: "API error" },
      },
    })!;
    const { history, view } = step(h, facts(3, { workflowReports: [report] }), { kind: "status" });
    expect(statuses(history)).toEqual({ a: "completed", b: "failed", c: "completed", d: "blocked", e: "failed" });
    expect(view.outcome).toBe("stopped");
    // A report of another launch does not touch a newer claim.
    const rerun = step(history, facts(4, { workflowReports: [report] }), start);
    expect(rerun.view.workflow!.input.args).toMatchObject({ launch: iso(4), complete: ["a", "c"], order: ["b", "d", "e"] });
    expect(rerun.view.workflow!.input.args.plans.map((p) => [p.id, p.after])).toEqual([
      ["b", []],
      ["d", ["b"]],
      ["e", []],
    ]);
    expect(statuses(rerun.history)).toMatchObject({ b: "dispatched", d: "dispatched", e: "dispatched" });
  });

  it("a claim whose workflow process has ended goes back to the queue; the agents engine is unchanged", () => {
    const h = step(emptyHistory(), facts(0), start).history;
    const dead = new Map(runEntries(h, "r1").map((e) => [evidenceKey(e), { process: "dead" as const }]));
    const after = step(h, facts(5, { evidence: dead }), { kind: "status" });
    expect(Object.values(statuses(after.history)).every((s) => s === "queued")).toBe(true);
    expect(after.view.outcome).toBe("stopped");
    expect(after.view.budgetNote).toMatch(/start again/);
    expect(runEntries(after.history, "r1").every((e) => e.workflow_launch == null)).toBe(true);
    const agents = step(emptyHistory(), facts(0, { settings: { maxConcurrent: 2, includeCheckpoints: false } }), start);
    expect(agents.view.workflow).toBeUndefined();
    expect(agents.view.run).not.toHaveProperty("engine");
    expect(agents.view.spawn.map((s) => s.plan)).toEqual(["b", "a"]);
    expect(renderStatus(agents.view, createStyle(false), iso(0))).not.toContain("engine:");
    expect(briefView(agents.view, { command: "start", mode: "yolo" })).toMatchObject({ engine: "agents" });
  });
});
