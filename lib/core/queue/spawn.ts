import { shellLine } from "../common/shell-quote";

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
  agentInput: AgentInput;
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
  /** Whether checkpoints are skipped (noted for a person) or the plan was opted in to run them. */
  skipCheckpoints: boolean;
  subagentType?: string;
}

/** Lines the hooks look for in an Agent call's prompt to link the agent to its plan. */
export const RUN_MARKER = "gsd-async-run:";
export const PLAN_MARKER = "gsd-async-plan:";

export function parseMarkers(prompt: string): { runId?: string; planFile?: string } {
  const run = new RegExp(`^${RUN_MARKER}\\s*(\\S+)\\s*$`, "m").exec(prompt)?.[1];
  const plan = new RegExp(`^${PLAN_MARKER}\\s*(.+?)\\s*$`, "m").exec(prompt)?.[1];
  const out: { runId?: string; planFile?: string } = {};
  if (run !== undefined) out.runId = run;
  if (plan !== undefined) out.planFile = plan;
  return out;
}

/**
 * The instruction the orchestrating conversation carries out. Plan text is never pasted into
 * the prompt or a command line: the agent reads the plan file itself, and every path in the
 * commands it is told to run is single-quoted.
 */
export function buildSpawn(i: SpawnInput): SpawnInstruction {
  const base = [...i.helper];
  const where = ["--cwd", i.projectRoot, "--run", i.runId];
  const done = shellLine([...base, "complete", i.planFile, ...where]);
  const failed = `${shellLine([...base, "fail", i.planFile, ...where])} --reason '<one line: what went wrong>'`;
  const checkpoints = i.skipCheckpoints
    ? 'Checkpoint tasks (type="checkpoint:...") need a person and nobody is watching: do not wait for one. Do every part that can be done and checked automatically, then list each checkpoint, with what the person should verify or decide, under a "## Checkpoints for a person" heading in the summary.'
    : "This plan has checkpoint tasks and the user chose to run it in the background anyway: do what each checkpoint asks as far as it can be done and checked without a person, and record in the summary what still needs a person.";
  const prompt = [
    "You are executing one GSD plan as a background agent started by gsd-async. Several agents work in this repository at the same time.",
    "",
    `${RUN_MARKER} ${i.runId}`,
    `${PLAN_MARKER} ${i.planFile}`,
    "",
    `Project root: ${i.projectRoot}`,
    `Plan: ${i.planFile} (attempt ${i.attempt})`,
    "",
    "1. Read the plan file and every file its <context> section references.",
    "2. Carry out its tasks in order, running each task's <verify> step before moving on.",
    `3. ${checkpoints}`,
    `4. Write the summary to ${i.summaryFile} in GSD's SUMMARY.md format, with front matter that includes \`duration\` (for example \`duration: 12min\`).`,
    "5. Commit only the files this plan changed and its summary, naming them explicitly (never `git add -A` or `git add .`): other agents' work is in the same tree.",
    "6. Do not start other agents, and do not edit other plans' files.",
    "7. Finish by running exactly one of these commands with the Bash tool:",
    `   on success:  ${done}`,
    `   on failure:  ${failed}`,
  ].join("\n");
  return {
    plan: i.planId,
    planFile: i.planFile,
    runId: i.runId,
    attempt: i.attempt,
    agentInput: { description: `gsd-async ${i.planId}`, prompt, subagent_type: i.subagentType ?? "general-purpose", run_in_background: true },
  };
}
