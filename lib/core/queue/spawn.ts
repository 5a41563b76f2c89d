import { shellLine } from "../common/shell-quote";
import type { AgentKind } from "./queue-event";

/** Exactly the input of Claude Code's Agent tool (alias Task) for one background agent. */
export interface AgentInput {
  description: string;
  prompt: string;
  subagent_type: string;
  run_in_background: true;
}

export interface SpawnInstruction {
  plan: string;
  planFile: string;
  runId: string;
  attempt: number;
  /** The same for every offer of this hand-out: a second offer is the same agent, not another one. */
  key: string;
  agentInput: AgentInput;
  /** Worktree mode: the plan's worktree (repository-relative) and branch, which the shell makes before the agent starts. */
  worktree?: PlanWorktree;
}

export interface PlanWorktree {
  /** The worktree's directory, relative to the repository's top. */
  dir: string;
  branch: string;
  /** The agent's project: the project's directory inside the worktree (absolute). */
  project: string;
}

export interface SpawnInput {
  planId: string;
  planFile: string;
  summaryFile: string;
  runId: string;
  attempt: number;
  projectRoot: string;
  /** argv that runs this helper, e.g. ["node", "/abs/dist/cli.js"]. */
  helper: readonly string[];
  /** The plan has checkpoint tasks and the user opted in to running it in the background anyway. */
  hasCheckpoints: boolean;
  agent: AgentKind;
  /** Name the project in the finish lines too (`--cwd`): for an agent whose working directory is not the project (CI). */
  cwdInLines?: boolean;
  /** Worktree mode: the agent works in its plan's worktree, not in the project. */
  worktree?: PlanWorktree;
  /** The worktree is made when the agent asks with the prompt's `worktree:` line (the workflow engine), not before it starts. */
  worktreeOnRequest?: boolean;
  /** Shared mode in a git repository: the agent commits through the helper's `commit` line (worktree mode always does). */
  sharedRepo?: boolean;
  /** Names of the shared commands (`parallelization.exclusive`): one line each, run through the helper's lock. */
  exclusive?: readonly string[];
}

/** Lines the hooks look for in an Agent call's prompt (or an agent's transcript) to link the agent to its plan. */
export const RUN_MARKER = "gsd-async-run:";
export const PLAN_MARKER = "gsd-async-plan:";
export const ATTEMPT_MARKER = "gsd-async-attempt:";

export interface Markers {
  runId?: string;
  planFile?: string;
  attempt?: number;
}

/** Reads the marker lines; leading whitespace is allowed (Workflow agents get their prompt indented). */
export function parseMarkers(prompt: string): Markers {
  const run = new RegExp(`^\\s*${RUN_MARKER}[ \\t]*(\\S+)[ \\t]*$`, "m").exec(prompt)?.[1];
  const plan = new RegExp(`^\\s*${PLAN_MARKER}[ \\t]*(.+?)[ \\t]*$`, "m").exec(prompt)?.[1];
  const attempt = new RegExp(`^\\s*${ATTEMPT_MARKER}[ \\t]*(\\d+)[ \\t]*$`, "m").exec(prompt)?.[1];
  const out: Markers = {};
  if (run !== undefined) out.runId = run;
  if (plan !== undefined) out.planFile = plan;
  if (attempt !== undefined) out.attempt = Number(attempt);
  return out;
}

/** Unique within the history: plan ids are unique within a phase, and a run belongs to one phase. */
export const spawnKey = (runId: string, planId: string, attempt: number): string => `${runId}/${planId}#${attempt}`;

/** What a background plan executor always does; said once per agent, in its definition or instructions file, or here as a fallback. */
export const EXECUTOR_STEPS = [
  "Read the plan file and every file its <context> section references.",
  "Carry out its tasks in order, running each task's <verify> step before moving on.",
  "Write the summary file in GSD's SUMMARY.md format, with front matter that includes `duration` (for example `duration: 12min`).",
  "Commit only the files this plan changed and its summary, naming each path (with the commit line below when there is one; never `git add -A` or `git add .`): other agents work in the same repository.",
  "Do not start other agents and do not edit other plans' files.",
  "Finish with exactly one of the two commands below, run with the Bash tool on its own.",
];

/**
 * The instruction the orchestrating conversation carries out. Plan text is never pasted into the
 * prompt or a command line: the agent reads the plan file itself, and every path in the commands
 * it is told to run is single-quoted. The prompt holds only what differs per plan; the fixed
 * instructions live in the plugin (agent definition or instructions file).
 */
export function buildSpawn(i: SpawnInput): SpawnInstruction {
  // No --cwd: the agent works in the project (the prompt names it) and the helper finds the
  // project from there; the lines stay short for the model that copies them.
  // In worktree mode the agent's directory is its worktree, whose .planning is a copy on a branch:
  // the finish lines name the project, where the queue's state lives.
  const where = [i.planId, "--run", i.runId, ...(i.cwdInLines || i.worktree ? ["--cwd", i.projectRoot] : [])];
  const done = shellLine([...i.helper, "complete", ...where]);
  const failed = `${shellLine([...i.helper, "fail", ...where])} --reason '<one line: what went wrong>'`;
  const how =
    i.agent.kind === "plugin-agent"
      ? ["Run this one GSD plan as your instructions say."]
      : i.agent.instructionsFile !== null
        ? [`Run this one GSD plan. First read ${i.agent.instructionsFile} and follow it.`]
        : ["Run this one GSD plan:", ...EXECUTOR_STEPS.map((s, n) => `${n + 1}. ${s}`)];
  const checkpoints = i.hasCheckpoints
    ? [
        'Its checkpoints need a person and nobody is watching: do what can be done and checked without one, and list each checkpoint under a "## Checkpoints for a person" heading in the summary.',
      ]
    : [];
  const prompt = [
    `${RUN_MARKER} ${i.runId}`,
    `${PLAN_MARKER} ${i.planFile}`,
    `${ATTEMPT_MARKER} ${i.attempt}`,
    ...how,
    ...(i.worktree && i.worktreeOnRequest ? requestLines(i) : []),
    ...(i.worktree ? worktreeLines(i.worktree) : [`Project: ${i.projectRoot}`]),
    `Summary to write: ${i.summaryFile}`,
    ...(i.worktree ? commitLines(i, i.worktree.project) : i.sharedRepo ? commitLines(i) : []),
    ...exclusiveLines(i),
    ...checkpoints,
    "Finish with exactly one Bash call:",
    `  done:   ${done}`,
    `  failed: ${failed}`,
  ].join("\n");
  return {
    plan: i.planId,
    planFile: i.planFile,
    runId: i.runId,
    attempt: i.attempt,
    key: spawnKey(i.runId, i.planId, i.attempt),
    agentInput: {
      description: `gsd-async ${i.planId}`,
      prompt,
      subagent_type: i.agent.kind === "plugin-agent" ? i.agent.subagentType : "general-purpose",
      run_in_background: true,
    },
    ...(i.worktree ? { worktree: { ...i.worktree } } : {}),
  };
}

/**
 * Worktree mode: the project the agent works in is its own worktree, which already holds every
 * prerequisite's merged work. Its commits there are merged by `done`; what it did not commit is not.
 */
function worktreeLines(w: PlanWorktree): string[] {
  return [
    `Project: ${w.project}`,
    `This is a git worktree on branch ${w.branch}, made for this plan alone and holding its prerequisites' work: read, edit, build and test only there (begin such Bash commands with cd ${shellLine([w.project])} &&; run the helper lines below alone).`,
    "Commit all of this plan's changes and its summary on that branch before you finish: done merges the branch, and uncommitted changes are not merged.",
    "If done fails, its answer says why: uncommitted files, commit them and run done again; a merge conflict, stop (the plan is recorded failed, its branch kept for a person).",
  ];
}

/** The workflow engine's agents make their worktree themselves, first; until then it does not exist. */
function requestLines(i: SpawnInput): string[] {
  return [
    "Before anything else, run this line alone: it makes your worktree below (from your prerequisites' merged work). If it fails, run the failed line below and stop.",
    `  worktree: ${shellLine([...i.helper, "worktree", i.planId, "--run", i.runId, "--cwd", i.projectRoot])}`,
  ];
}

/**
 * The one way the agent commits. Shared mode: one working tree and one index for every agent,
 * so plain `git add` and `git commit` race for index.lock and can sweep up another agent's
 * staged files; the helper's `commit` takes exactly the named paths under the repository lock,
 * hooks included. Worktree mode: the same line with `--cwd` at the worktree. The plugin's hook
 * allows the helper's lines; a `cd <worktree> && git add ... && git commit ...` line was refused
 * by Claude Code in -p mode (e2e) even with `Bash(cd:*)` and the git commands allowed.
 */
function commitLines(i: SpawnInput, worktreeProject?: string): string[] {
  const head = [...i.helper, "commit", i.planId, "--run", i.runId, ...(worktreeProject !== undefined ? ["--cwd", worktreeProject] : []), "-m"];
  const line = `${shellLine(head)} '<one line: what this commit does>' -- <each file you changed, and the summary>`;
  return [
    worktreeProject !== undefined
      ? "Commit only with this line, on its own, naming every file this plan changed and its summary (paths relative to the project above):"
      : "Commit only with this line, on its own, naming every file this plan changed and its summary (other agents share this working tree; do not run git add or git commit yourself):",
    `  commit: ${line}`,
  ];
}

/**
 * The shared commands the user named in config.json: each runs only through the helper, so two
 * agents' test runs, builds or migrations never overlap (in worktree mode too: ports, databases
 * and caches are still shared). In worktree mode they run in the agent's worktree.
 */
function exclusiveLines(i: SpawnInput): string[] {
  const names = i.exclusive ?? [];
  if (names.length === 0) return [];
  const at = i.worktree ? ["--cwd", i.worktree.project] : [];
  return [
    "Shared commands: run these only with their line, each on its own (one agent at a time; yours waits while another's runs):",
    ...names.map((n) => `  ${n}: ${shellLine([...i.helper, "exclusive", n, ...at])}`),
  ];
}
