import { type History, emptyHistory } from "../../lib/core/queue/history-schema";
import type { QueueEvent } from "../../lib/core/queue/queue-event";
import { queueStep } from "../../lib/core/queue/queue-step";
import type { StatusView } from "../../lib/core/queue/status-view";
import type { MergeOutcome } from "../../lib/core/repo/merge-outcome";
import { type Job, analysisOf, factsOf, planFile, queueOptions, roundTrip } from "../helpers/sched-fixtures";

/** The queue's bookkeeping of worktree mode, pure: hand-outs name the plan's worktree, and the merge decides `complete`. */

// 01-01 and 01-02 are independent; 01-03 needs 01-02; 01-04 needs 01-01.
const jobs: Job[] = [
  { id: "01-01", minutes: 5, deps: [] },
  { id: "01-02", minutes: 5, deps: [] },
  { id: "01-03", minutes: 5, deps: ["01-02"] },
  { id: "01-04", minutes: 5, deps: ["01-01"] },
];
const TOP = "/work/project";

function step(h: History, minute: number, ev: QueueEvent) {
  const r = queueStep({ history: h, ledger: null }, factsOf(analysisOf(jobs), queueOptions(minute, { maxConcurrent: 2, sessionId: "s1" })), ev);
  return { history: roundTrip(r.state.history), outcome: r.outcome };
}
const view = (o: ReturnType<typeof step>["outcome"]): StatusView => {
  if (o.kind !== "advanced") throw new Error(`expected a view, got ${o.kind}`);
  return o.view;
};
const entry = (o: ReturnType<typeof step>["outcome"]) => {
  if (o.kind !== "recorded") throw new Error(`expected a recorded entry, got ${o.kind}: ${JSON.stringify(o)}`);
  return o.entry as Record<string, unknown> & typeof o.entry;
};

function started(isolation: "worktree" | "shared" = "worktree") {
  const r = step(emptyHistory(), 0, { kind: "start", options: { newRunId: "r1", isolation, ...(isolation === "worktree" ? { repoTop: TOP } : {}) } });
  let h = r.history;
  for (const [id, agent] of [
    ["01-01", "a1"],
    ["01-02", "a2"],
  ] as const)
    h = step(h, 1, { kind: "spawned", plan: planFile(id), agentId: agent }).history;
  return { h, first: view(r.outcome) };
}

const conflict: MergeOutcome = { kind: "merge-conflict", files: ["src/shared.ts"], branch: "gsd/01-x/01-02", worktree: ".gsd-worktrees/01-x/01-02" };

describe("worktree mode in the queue step", () => {
  it("records the mode on the run and gives each hand-out its worktree, branch and the project inside it", () => {
    const { first } = started();
    expect(first.run).toMatchObject({ isolation: "worktree", repo_top: TOP });
    expect(first.spawn.map((s) => s.worktree)).toEqual([
      { dir: ".gsd-worktrees/01-demo/01-01", branch: "gsd/01-demo/01-01", project: `${TOP}/.gsd-worktrees/01-demo/01-01` },
      { dir: ".gsd-worktrees/01-demo/01-02", branch: "gsd/01-demo/01-02", project: `${TOP}/.gsd-worktrees/01-demo/01-02` },
    ]);
    const prompt = first.spawn[0]!.agentInput.prompt;
    expect(prompt).toContain(`Project: ${TOP}/.gsd-worktrees/01-demo/01-01\n`);
    expect(prompt).toContain("branch gsd/01-demo/01-01");
    // The finish lines name the project, where the queue's state is: the worktree has its own .planning copy.
    expect(prompt).toMatch(/done: +.* complete 01-01 --run r1 --cwd \/work\/project\n/);
    // It commits through the helper, in its worktree.
    expect(prompt).toMatch(
      /\n {2}commit: .* commit 01-01 --run r1 --cwd \/work\/project\/\.gsd-worktrees\/01-demo\/01-01 -m '<one line: what this commit does>' -- <each file/,
    );
  });

  it("the shared commands of config.json are listed, in worktree mode run at the worktree", () => {
    const facts = { ...factsOf(analysisOf(jobs), queueOptions(0, { maxConcurrent: 2, sessionId: "s1" })), exclusive: ["build", "tests"] };
    const start = (isolation: "worktree" | "shared") =>
      queueStep({ history: emptyHistory(), ledger: null }, facts, { kind: "start", options: { newRunId: "r1", isolation, repoTop: TOP } });
    const wt = view(start("worktree").outcome).spawn[0]!.agentInput.prompt;
    expect(wt).toContain("\n  build: node /opt/gsd-async/dist/cli.js exclusive build --cwd /work/project/.gsd-worktrees/01-demo/01-01\n");
    expect(wt).toContain("\n  tests: node /opt/gsd-async/dist/cli.js exclusive tests --cwd /work/project/.gsd-worktrees/01-demo/01-01");
    const shared = view(start("shared").outcome).spawn[0]!.agentInput.prompt;
    expect(shared).toContain("\n  tests: node /opt/gsd-async/dist/cli.js exclusive tests\n");
    // None configured: no such line.
    expect(started().first.spawn[0]!.agentInput.prompt).not.toContain("Shared commands");
  });

  it("a shared-mode run records nothing new and its prompts are as before", () => {
    const { first } = started("shared");
    expect(first.run?.isolation).toBeUndefined();
    expect(first.spawn.every((s) => s.worktree === undefined)).toBe(true);
    expect(first.spawn[0]!.agentInput.prompt).toContain(`Project: ${TOP}\n`);
    expect(first.spawn[0]!.agentInput.prompt).not.toContain("--cwd");
  });

  it("a merged plan completes with its merge recorded; one with nothing to merge completes too", () => {
    const { h } = started();
    const merged = entry(step(h, 2, { kind: "complete", plan: "01-01", merge: { kind: "merged", sha: "abc", branch: "gsd/01-x/01-01" } }).outcome);
    expect(merged.status).toBe("completed");
    expect(merged.merge).toEqual({ branch: "gsd/01-x/01-01", sha: "abc" });
    const empty = entry(step(h, 2, { kind: "complete", plan: "01-02", merge: { kind: "nothing-to-merge", branch: "gsd/01-x/01-02" } }).outcome);
    expect(empty).toMatchObject({ status: "completed", merge: { branch: "gsd/01-x/01-02", sha: null } });
  });

  it("a conflict fails only that plan, with the files, branch and worktree kept; its dependent is blocked and the independent chain goes on", () => {
    let { h } = started();
    const r = step(h, 2, { kind: "complete", plan: "01-02", merge: conflict });
    const failed = entry(r.outcome);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^merge-conflict: src\/shared\.ts; branch gsd\/01-x\/01-02 and worktree \.gsd-worktrees\/01-x\/01-02 are kept/);
    expect(failed.merge_conflict).toEqual({ files: ["src/shared.ts"], branch: "gsd/01-x/01-02", worktree: ".gsd-worktrees/01-x/01-02" });
    h = r.history;
    h = step(h, 3, { kind: "complete", plan: "01-01", merge: { kind: "merged", sha: "abc", branch: "gsd/01-x/01-01" } }).history;
    const v = view(step(h, 4, { kind: "status" }).outcome);
    const state = (id: string) => v.plans.find((p) => p.id === id);
    expect(state("01-03")).toMatchObject({ state: "blocked", blockedBy: ["01-02"] });
    expect(state("01-02")).toMatchObject({ state: "failed", worktree: `${TOP}/.gsd-worktrees/01-x/01-02` });
    expect(v.spawn.map((s) => s.plan)).toEqual(["01-04"]);
  });

  it("uncommitted work fails the plan without merging; completing it again after a clean merge completes it", () => {
    const { h } = started();
    const left: MergeOutcome = { kind: "uncommitted", files: ["src/a.ts"], branch: "gsd/01-x/01-01", worktree: ".gsd-worktrees/01-x/01-01" };
    const r = step(h, 2, { kind: "complete", plan: "01-01", merge: left });
    expect(entry(r.outcome)).toMatchObject({ status: "failed", uncommitted: { files: ["src/a.ts"] } });
    const again = step(r.history, 3, { kind: "complete", plan: "01-01", merge: { kind: "merged", sha: "def", branch: "gsd/01-x/01-01" } });
    expect(entry(again.outcome)).toMatchObject({ status: "completed", merge: { sha: "def" } });
  });

  it("a conflict reported again for a plan already failed keeps it failed with the new files", () => {
    const { h } = started();
    const once = step(h, 2, { kind: "complete", plan: "01-02", merge: conflict }).history;
    const twice = entry(step(once, 3, { kind: "complete", plan: "01-02", merge: { ...conflict, files: ["src/other.ts"] } }).outcome);
    expect(twice.status).toBe("failed");
    expect(twice.merge_conflict).toMatchObject({ files: ["src/other.ts"] });
  });
});
