import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { entriesByPlan, explained, mainRequests, orderViolations, peakConcurrency, readHistory, realErrors, storyOf } from "./checks";
import { Conversation } from "./conversation";
import { committingAgents, fileContent } from "./committing-agents";
import { helperJson } from "./conversation";
import { cleanupAll, gsdArgs, helper, makeSandbox, runClaude, startMock, type Sandbox } from "./harness";

afterAll(() => cleanupAll());

/**
 * Parallel agents that really change a git repository, in both isolation modes: an 8-plan phase
 * at cap 4 whose agents each write their plan's file and summary and commit them the way their
 * prompt says, in a repository whose pre-commit hook takes a second. Afterwards the user's branch
 * holds every plan's file and commit, each commit only its plan's files, `git fsck` is clean and
 * no worktree or branch of the run is left.
 */
const PHASE_DIR = ".planning/phases/02-core-features";
// Four independent plans, two chains on them, and two plans joining a chain and an independent one.
const PLANS: Record<string, string[]> = {
  "02-01": [],
  "02-02": [],
  "02-03": [],
  "02-04": [],
  "02-05": ["02-01"],
  "02-06": ["02-02"],
  "02-07": ["02-05", "02-03"],
  "02-08": ["02-06", "02-04"],
};
const IDS = Object.keys(PLANS);
// Two independent plans that both rewrite the one line of shared.txt, as their plans say without
// ordering them: gsd-async runs 02-03 first in both modes, so the second builds on the first.
const SAME_LINES = ["02-03", "02-04"];
const filesOf = (id: string, sameLines = true) => [`src/${id}.txt`, ...(sameLines && SAME_LINES.includes(id) ? ["shared.txt"] : [])];

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });

function planText(id: string, deps: string[], sameLines: boolean): string {
  return [
    "---",
    "phase: 02-core-features",
    `plan: ${id.slice(3)}`,
    "type: execute",
    `depends_on: [${deps.map((d) => `"${d}"`).join(", ")}]`,
    "files_modified:",
    ...filesOf(id, sameLines).map((f) => `  - ${f}`),
    "autonomous: true",
    "---",
    "",
    `<objective>Write ${filesOf(id, sameLines).join(" and ")}; run the tests.</objective>`,
    "",
    "<tasks>",
    '<task type="auto">',
    `  <name>Task 1: src/${id}.txt</name>`,
    `  <files>src/${id}.txt</files>`,
    `  <action>Create src/${id}.txt.</action>`,
    `  <verify>test -f src/${id}.txt</verify>`,
    "</task>",
    "</tasks>",
    "",
  ].join("\n");
}

/**
 * The demo project with its phase 2 replaced by the 8 plans, committed in a fresh repository with
 * a slow pre-commit hook and a test suite that refuses to run twice at once. `sameLines: false`:
 * no plan declares shared.txt. `engine`: parallelization.engine.
 */
function repoSandbox(name: string, isolation: "shared" | "worktree", sameLines = true, engine: "agents" | "workflow" = "agents"): Sandbox {
  const sb = makeSandbox(name);
  const phase = join(sb.project, PHASE_DIR);
  for (const f of readdirSync(phase)) rmSync(join(phase, f));
  for (const [id, deps] of Object.entries(PLANS)) writeFileSync(join(phase, `${id}-PLAN.md`), planText(id, deps, sameLines));
  const configFile = join(sb.project, ".planning", "config.json");
  const config = JSON.parse(readFileSync(configFile, "utf8")) as { parallelization: Record<string, unknown> };
  config.parallelization = { ...config.parallelization, max_concurrent_agents: 4, isolation, engine, exclusive: { tests: "sh ./run-tests.sh" } };
  writeFileSync(configFile, JSON.stringify(config, null, 2) + "\n");
  writeFileSync(join(sb.project, ".gitignore"), ".planning/agent-history.json\n.planning/*.lock\n.claude/\n");
  writeFileSync(join(sb.project, "shared.txt"), "nobody changed this yet\n");
  // A test suite that cannot share its resources: a second run while one is going fails at once.
  // Each run logs its start and end (ns) and the tree it ran in, where every worktree sees them.
  writeFileSync(
    join(sb.project, "run-tests.sh"),
    [
      'd="$(git rev-parse --git-common-dir)"',
      'if ! mkdir "$d/tests-running" 2>/dev/null; then echo "tests: another run is in progress" >&2; exit 1; fi',
      "start=$(date +%s%N)",
      "sleep 1",
      'echo "$start $(date +%s%N) $(pwd)" >> "$d/tests.log"',
      'rmdir "$d/tests-running"',
      'echo "tests: 1 passed"',
      "",
    ].join("\n"),
  );
  git(sb.project, "init", "-q", "-b", "main");
  git(sb.project, "config", "user.email", "e2e@example.com");
  git(sb.project, "config", "user.name", "E2E");
  git(sb.project, "config", "commit.gpgsign", "false");
  git(sb.project, "add", "-A");
  git(sb.project, "commit", "-q", "-m", "the project before the phase");
  const hook = join(sb.project, ".git", "hooks", "pre-commit");
  // Logs each run where every worktree sees it (the common git dir), then takes its two seconds.
  writeFileSync(hook, '#!/bin/sh\necho "$(pwd)" >> "$(git rev-parse --git-common-dir)/pre-commit.log"\nsleep 2\n');
  chmodSync(hook, 0o755);
  return sb;
}

async function runPhase(isolation: "shared" | "worktree", engine: "agents" | "workflow" = "agents") {
  const sb = repoSandbox(`repo-${isolation}-${engine}`, isolation, true, engine);
  const base = git(sb.project, "rev-parse", "HEAD").trim();
  const mock = await startMock(committingAgents(), sb);
  // The agents may write their plan's files (in worktree mode, in their worktrees). They commit
  // with the helper's commit line, which the plugin's hook allows; no git rule is granted.
  const allow = ["Edit(./src/**)", "Edit(./shared.txt)", "Edit(./.gsd-worktrees/**)"];
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2", "--allowedTools", ...allow), timeoutMs: 300_000 });
  await explained(storyOf(mock, sb, [run]), () => {
    expect({ timedOut: run.timedOut, code: run.code, isError: run.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    expect(realErrors(run.errors)).toEqual([]);
    const h = readHistory(sb)!;
    expect(h.runs).toHaveLength(1);
    expect((h.runs[0] as { isolation?: string }).isolation).toBe(isolation === "worktree" ? "worktree" : undefined);
    expect((h.runs[0] as { engine?: string }).engine).toBe(engine === "workflow" ? "workflow" : undefined);
    const workflowCalls = mainRequests(mock).flatMap((r) => new Conversation(r.body!).calls.filter((c) => c.use.name === "Workflow").map((c) => c.use.id));
    expect(new Set(workflowCalls).size).toBe(engine === "workflow" ? 1 : 0);
    const by = entriesByPlan(h);
    for (const id of IDS) expect({ id, status: by.get(id)?.status, error: by.get(id)?.error }).toEqual({ id, status: "completed", error: null });
    const entries = h.entries.filter((e) => e.run_id === h.runs[0]!.run_id);
    // The workflow's agents are linked to their entries from its journal when a status runs, so
    // their start times in the queue say little: the agents engine's are the hand-outs themselves.
    if (engine === "agents") {
      const peak = peakConcurrency(entries);
      expect(peak.peak).toBeLessThanOrEqual(4);
      expect(peak.peak).toBeGreaterThanOrEqual(3);
    }
    const edges = Object.entries(PLANS).flatMap(([to, deps]) => deps.map((from) => ({ from, to, external: false, reasons: [] })));
    expect(orderViolations(entries, edges)).toEqual([]);

    // The repository: the user's branch holds every plan's file and its commit, each commit only its plan's files.
    expect(git(sb.project, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("main");
    const commits = git(sb.project, "log", "--no-merges", "--format=%H %s", `${base}..main`).trim().split("\n");
    const shaOf = new Map<string, string>();
    for (const line of commits) {
      const [sha, subject] = [line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1)];
      const id = /^(\d\d-\d\d): /.exec(subject)?.[1] ?? `? ${subject}`;
      expect(shaOf.has(id)).toBe(false);
      shaOf.set(id, sha);
      const files = git(sb.project, "diff-tree", "--no-commit-id", "--name-only", "-r", sha).trim().split("\n").sort();
      expect({ id, files }).toEqual({ id, files: [`${PHASE_DIR}/${id}-SUMMARY.md`, ...filesOf(id)].sort() });
    }
    expect([...shaOf.keys()].sort()).toEqual(IDS);
    // The two plans on the same lines ran one after the other: the second's commit is on top of the first's, and its line won.
    expect(() => git(sb.project, "merge-base", "--is-ancestor", shaOf.get("02-03")!, shaOf.get("02-04")!)).not.toThrow();
    expect(readFileSync(join(sb.project, "shared.txt"), "utf8")).toBe(fileContent("02-04", "shared.txt"));
    expect(
      git(sb.project, "log", "--no-merges", "--format=%s", "--", "shared.txt")
        .trim()
        .split("\n")
        .slice(0, 2)
        .map((l) => l.slice(0, 5)),
    ).toEqual(["02-04", "02-03"]);
    // Every agent ran the tests through the helper's lock: one run per plan, none overlapping another, none refused.
    const testRuns = readFileSync(join(sb.project, ".git", "tests.log"), "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(" "))
      .map(([a, b, dir]) => ({ start: BigInt(a!), end: BigInt(b!), dir: dir! }))
      .sort((x, y) => (x.start < y.start ? -1 : 1));
    expect(testRuns).toHaveLength(IDS.length);
    for (let k = 1; k < testRuns.length; k++) expect(testRuns[k]!.start >= testRuns[k - 1]!.end).toBe(true);
    if (isolation === "worktree") expect(testRuns.every((r) => r.dir.includes("/.gsd-worktrees/02-core-features/"))).toBe(true);
    for (const id of IDS) {
      expect(readFileSync(join(sb.project, `src/${id}.txt`), "utf8")).toBe(fileContent(id, `src/${id}.txt`));
      expect(existsSync(join(sb.project, PHASE_DIR, `${id}-SUMMARY.md`))).toBe(true);
      // A dependent was committed on top of its prerequisites' commits.
      for (const dep of PLANS[id]!) expect(() => git(sb.project, "merge-base", "--is-ancestor", shaOf.get(dep)!, shaOf.get(id)!)).not.toThrow();
    }
    // The repository's hook ran for every plan's commit (in its worktree, in worktree mode).
    const hookRuns = readFileSync(join(sb.project, ".git", "pre-commit.log"), "utf8")
      .trim()
      .split("\n");
    expect(hookRuns).toHaveLength(IDS.length);
    if (isolation === "worktree")
      expect(hookRuns.map((d) => d.replace(/\/[^/]+$/, "")).every((d) => d.endsWith("/.gsd-worktrees/02-core-features"))).toBe(true);
    expect(git(sb.project, "fsck", "--strict", "--no-progress").trim()).toBe("");
    const worktrees = git(sb.project, "worktree", "list", "--porcelain")
      .split("\n")
      .filter((l) => l.startsWith("worktree "));
    expect(worktrees).toEqual([`worktree ${sb.project}`]);
    const wtDir = join(sb.project, ".gsd-worktrees");
    expect(existsSync(wtDir) ? readdirSync(wtDir) : []).toEqual([]);
    expect(git(sb.project, "branch", "--list", "--format=%(refname:short)").trim()).toBe("main");
    expect(git(sb.project, "status", "--porcelain", "--untracked-files=all").trim()).toBe("");
    if (isolation === "shared")
      // Committed through the helper: each commit is recorded on its plan's entry.
      for (const id of IDS) expect((by.get(id) as { commits?: Array<{ sha: string }> }).commits?.map((c) => c.sha)).toEqual([shaOf.get(id)]);
    else for (const id of IDS) expect((by.get(id) as { merge?: { branch: string } }).merge?.branch).toBe(`gsd/02-core-features/${id}`);
  });
}

test("shared mode: 8 plans at cap 4 commit through the helper's lock in one working tree; every plan's commit is on the branch", async () => {
  await runPhase("shared");
}, 360_000);

test("worktree mode: 8 plans at cap 4 each commit in their own worktree, merged as they complete; the branch is fast-forwarded and nothing is left", async () => {
  await runPhase("worktree");
}, 360_000);

test("worktree mode with the workflow engine: each workflow agent makes its worktree first; the same repository checks hold", async () => {
  await runPhase("worktree", "workflow");
}, 360_000);

test("worktree mode: two plans that rewrite the same file unannounced (not in files_modified) conflict; the second to merge fails with merge-conflict, only its dependent is blocked, the rest lands", async () => {
  const sb = repoSandbox("repo-conflict", "worktree", false);
  const mock = await startMock(committingAgents({ alsoChange: (plan) => (plan === "02-03" || plan === "02-04" ? "shared.txt" : undefined) }), sb);
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2", "--allowedTools", "Edit(./.gsd-worktrees/**)"), timeoutMs: 300_000 });
  await explained(storyOf(mock, sb, [run]), async () => {
    expect({ timedOut: run.timedOut, code: run.code }).toEqual({ timedOut: false, code: 0 });
    const by = entriesByPlan(readHistory(sb));
    const failed = IDS.filter((id) => by.get(id)?.status === "failed");
    expect(failed).toHaveLength(1);
    const loser = failed[0]!;
    expect(["02-03", "02-04"]).toContain(loser);
    const winner = loser === "02-03" ? "02-04" : "02-03";
    const blocked = loser === "02-03" ? "02-07" : "02-08";
    const e = by.get(loser) as unknown as { error: string; merge_conflict: unknown };
    expect(e.error).toMatch(/^merge-conflict: shared\.txt; branch gsd\/02-core-features\/02-0[34] and worktree/);
    expect(e.merge_conflict).toEqual({
      files: ["shared.txt"],
      branch: `gsd/02-core-features/${loser}`,
      worktree: `.gsd-worktrees/02-core-features/${loser}`,
    });
    expect(by.get(blocked)?.status).toBe("blocked");
    expect(by.get(blocked)?.agent_id).toBeNull();
    for (const id of IDS.filter((x) => x !== loser && x !== blocked)) expect({ id, status: by.get(id)?.status }).toEqual({ id, status: "completed" });

    // status names the kept worktree; the run landed everything else on the user's branch.
    const view = helperJson((await helper(sb, ["status", "2", "--json", "--peek"])).stdout)!;
    const kept = join(sb.project, ".gsd-worktrees", "02-core-features", loser);
    expect((view.plans as Array<{ id: string; worktree?: string }>).find((p) => p.id === loser)?.worktree).toBe(kept);
    expect(view.outcome).toBe("stopped");
    expect(readFileSync(join(sb.project, "shared.txt"), "utf8")).toBe(fileContent(winner, "shared.txt"));
    for (const id of IDS.filter((x) => x !== loser && x !== blocked))
      expect(readFileSync(join(sb.project, `src/${id}.txt`), "utf8")).toBe(fileContent(id, `src/${id}.txt`));
    expect(existsSync(join(sb.project, `src/${loser}.txt`))).toBe(false);
    expect(readFileSync(join(kept, `src/${loser}.txt`), "utf8")).toBe(fileContent(loser, `src/${loser}.txt`));
    expect(git(kept, "status", "--porcelain").trim()).toBe("");
    const worktrees = git(sb.project, "worktree", "list", "--porcelain")
      .split("\n")
      .filter((l) => l.startsWith("worktree "));
    expect(worktrees).toEqual([`worktree ${sb.project}`, `worktree ${kept}`]);
    expect(git(sb.project, "branch", "--list", "--format=%(refname:short)").trim().split("\n").sort()).toEqual([`gsd/02-core-features/${loser}`, "main"]);
    // The aborted merge leaves the tree it had written unreferenced: dangling, not damage.
    expect(git(sb.project, "fsck", "--strict", "--no-progress", "--no-dangling").trim()).toBe("");
  });
}, 360_000);
