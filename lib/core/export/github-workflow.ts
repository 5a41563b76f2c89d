import { buildSpawn } from "../queue/spawn";
import type { PhaseJobs, PlanJob } from "./phase-jobs";
import { type YamlMap, type YamlValue, expr, literalText, yamlDocument } from "./yaml-text";

/** Where the exported files live, from the repository root. */
export const EXPORT_DIR = ".github/gsd-async";
export const HELPER_COPY = `${EXPORT_DIR}/cli.js`;
export const JOB_SCRIPT = `${EXPORT_DIR}/plan-job.sh`;
export const API_KEY_SECRET = "ANTHROPIC_API_KEY";
export const AGENT_ACTION = "anthropics/claude-code-action@v1";
export const AGENT_TOOLS = "Bash,Read,Edit,Write,Glob,Grep";

export interface WorkflowInput {
  phase: { dir: string; name: string };
  /** The project (the directory holding `.planning/`) from the repository root; `.` for the root. */
  projectDir: string;
  jobs: PhaseJobs;
  cap: number;
  runsOn: string;
}

// Placeholders for what only the runner knows; no file path can contain a NUL character.
const WORKSPACE = "\u0000workspace\u0000";
const RUN_ID = "\u0000run\u0000";
const ATTEMPT = 9007199254740984;

/** The agent's prompt, from the helper's own spawn builder, as a template GitHub fills in with runner values. */
export function agentPrompt(job: PlanJob, projectDir: string): string {
  const root = projectDir === "." ? WORKSPACE : `${WORKSPACE}/${projectDir}`;
  const spawn = buildSpawn({
    planId: job.planId,
    planFile: job.planFile,
    summaryFile: job.summaryFile,
    runId: RUN_ID,
    attempt: ATTEMPT,
    projectRoot: root,
    helper: ["node", `${WORKSPACE}/${HELPER_COPY}`],
    // Plans with checkpoints get no job; the fixed instructions go in the prompt (CI has no plugin agent).
    hasCheckpoints: false,
    agent: { kind: "general-purpose", instructionsFile: null },
    // The runner's working directory is the checkout, which may hold the project in a subdirectory.
    cwdInLines: true,
  });
  return literalText(spawn.agentInput.prompt)
    .split(WORKSPACE)
    .join("${{ github.workspace }}")
    .split(RUN_ID)
    .join("${{ steps.begin.outputs.run-id }}")
    .split(String(ATTEMPT))
    .join("${{ steps.begin.outputs.attempt }}");
}

const checkout = (depth: number): YamlMap => ({
  uses: "actions/checkout@v4",
  with: { ref: expr("${{ github.ref }}"), "fetch-depth": depth, "persist-credentials": false },
});
const node: YamlMap = { uses: "actions/setup-node@v4", with: { "node-version": 20 } };
const step = (id: string, name: string, extra: YamlMap = {}): YamlMap => ({ id, name, ...extra, run: `bash "$GSD_SCRIPT" ${id}` });

/** The `if:` of a plan job: selected, not done, prerequisites merged (or complete before), gates complete. */
export function planCondition(job: PlanJob): string {
  const parts = ["!cancelled()", "needs.prepare.result == 'success'", `contains(needs.prepare.outputs.run, ',${job.key},')`];
  for (const d of job.needs) parts.push(`(needs.${d}.result == 'success' || contains(needs.prepare.outputs.done, ',${d},'))`);
  for (const g of job.gates) parts.push(`contains(needs.prepare.outputs.done, ',${g},')`);
  return `\${{ ${parts.join(" && ")} }}`;
}

export const jobName = (job: PlanJob): string => `${job.planId} (lane ${job.lane})`;

function planJob(job: PlanJob, input: WorkflowInput, names: ReadonlyMap<string, string>): YamlMap {
  const needs = ["prepare", ...job.needs, ...(job.after !== undefined && !job.needs.includes(job.after) ? [job.after] : [])];
  const token = { GSD_TOKEN: expr("${{ github.token }}") };
  const waits = Object.entries(job.waitFor);
  const wait: YamlMap[] =
    waits.length === 0
      ? []
      : [
          step("wait", "Wait for a slot when run with a smaller cap", {
            if: expr(`\${{ inputs.max-concurrent != '${input.cap}' }}`),
            env: {
              ...token,
              GSD_CAP: expr("${{ inputs.max-concurrent }}"),
              GSD_WAIT_FOR: JSON.stringify(Object.fromEntries(waits.map(([k, key]) => [k, names.get(key) ?? key]))),
            },
          }),
        ];
  return {
    name: jobName(job),
    needs,
    if: expr(planCondition(job)),
    "runs-on": input.runsOn,
    "timeout-minutes": 180,
    permissions: wait.length > 0 ? { actions: "read", contents: "write" } : { contents: "write" },
    outputs: { outcome: expr("${{ steps.finish.outputs.outcome || steps.begin.outputs.outcome }}") },
    env: { GSD_JOB: job.key, GSD_PLAN_ID: job.planId, GSD_PLAN_FILE: job.planFile, GSD_SUMMARY_FILE: job.summaryFile },
    steps: [
      checkout(0),
      node,
      ...wait,
      step("begin", "Record the start (or see that the plan is complete)", { env: token }),
      {
        id: "agent",
        name: "Run the plan's agent",
        if: expr("${{ steps.begin.outputs.outcome == 'started' }}"),
        uses: AGENT_ACTION,
        with: {
          anthropic_api_key: expr(`\${{ secrets.${API_KEY_SECRET} }}`),
          github_token: expr("${{ github.token }}"),
          prompt: expr(agentPrompt(job, input.projectDir)),
          claude_args: `--allowedTools ${AGENT_TOOLS}`,
        },
      },
      step("finish", "Merge into the phase branch and record the outcome", {
        if: expr("${{ !cancelled() && steps.begin.outputs.outcome == 'started' }}"),
        env: { ...token, GSD_AGENT_OUTCOME: expr("${{ steps.agent.outcome }}") },
      }),
    ],
  };
}

/** Lines `kind key plan summary` (tab-separated) the prepare step reads. */
function table(input: WorkflowInput): string {
  const rows = [
    ...input.jobs.jobs.map((j) => ["job", j.key, j.planId, j.summaryFile]),
    ...input.jobs.gates.map((g) => ["gate", g.key, g.planId, g.summaryFile]),
  ];
  return rows.map((r) => r.map((c) => c.replace(/[\t\r\n]/g, " ")).join("\t")).join("\n");
}

/** The whole workflow file. */
export function githubWorkflow(input: WorkflowInput): string {
  const { jobs } = input;
  const base = input.phase.dir.split("/").pop() ?? input.phase.dir;
  const all: Record<string, YamlValue> = {
    prepare: {
      name: "Choose the plans to run",
      "runs-on": input.runsOn,
      permissions: { contents: "read" },
      outputs: { run: expr("${{ steps.prepare.outputs.run }}"), done: expr("${{ steps.prepare.outputs.done }}") },
      steps: [
        checkout(1),
        step("prepare", "Plans selected and not complete yet", { env: { GSD_SELECT: expr("${{ inputs.plans }}"), GSD_TABLE: table(input) } }),
      ],
    },
  };
  const names = new Map(jobs.jobs.map((j) => [j.key, jobName(j)]));
  for (const j of jobs.jobs) all[j.key] = planJob(j, input, names);
  all.summary = {
    name: "Summary",
    needs: ["prepare", ...jobs.jobs.map((j) => j.key)],
    if: expr("${{ always() }}"),
    "runs-on": input.runsOn,
    permissions: { contents: "read" },
    steps: [
      checkout(1),
      node,
      step("summary", "Write the run's summary", {
        env: {
          GSD_NEEDS: expr("${{ toJSON(needs) }}"),
          GSD_JOBS: JSON.stringify(Object.fromEntries(jobs.jobs.map((j) => [j.key, j.planId]))),
        },
      }),
    ],
  };
  const workflow: YamlMap = {
    name: `gsd-async ${base}`,
    "run-name": expr(`gsd-async ${literalText(base)} \${{ inputs.plans }}`),
    on: {
      workflow_dispatch: {
        inputs: {
          "max-concurrent": {
            description: `Plan jobs at once (at most ${input.cap}, the cap this workflow was exported with)`,
            type: "choice",
            options: Array.from({ length: input.cap }, (_, i) => String(input.cap - i)),
            default: String(input.cap),
          },
          plans: {
            description: "Only these plans (ids separated by spaces or commas); empty for every plan not complete yet",
            type: "string",
            required: false,
            default: "",
          },
        },
      },
    },
    permissions: {},
    concurrency: { group: expr("gsd-async-${{ github.workflow }}-${{ github.ref }}"), "cancel-in-progress": false },
    env: {
      GSD_HELPER: HELPER_COPY,
      GSD_SCRIPT: JOB_SCRIPT,
      GSD_PROJECT_DIR: input.projectDir,
      GSD_PHASE_DIR: input.phase.dir,
      GSD_PHASE_BRANCH: expr("${{ github.ref_name }}"),
    },
    jobs: all,
  };
  const comments = [
    `Generated by gsd-async export github-actions from ${input.phase.dir}; export again instead of editing.`,
    `Run it from the Actions tab (or gh workflow run) on the branch the phase's work goes to; it needs the secret ${API_KEY_SECRET}.`,
    `${jobs.jobs.length} plan jobs on ${jobs.lanes} lane${jobs.lanes === 1 ? "" : "s"}: at most ${input.cap} at once (each job needs the one before it on its lane);`,
    "a smaller max-concurrent at dispatch makes each job first wait for an earlier one (polling this run's jobs, holding a runner meanwhile).",
    jobs.checkpoints.length > 0
      ? `Not here, they need a person (checkpoints cannot be answered in CI): ${jobs.checkpoints.join(", ")}.`
      : "Every unfinished plan of the phase is autonomous: none is left out.",
  ];
  return yamlDocument(workflow, comments);
}
