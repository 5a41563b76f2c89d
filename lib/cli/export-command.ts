import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { EXPORT_DIR, API_KEY_SECRET, HELPER_COPY, JOB_SCRIPT, githubWorkflow } from "../core/export/github-workflow";
import { phaseJobs } from "../core/export/phase-jobs";
import { PLAN_JOB_SCRIPT } from "../core/export/plan-job-script";
import { runOutcomes } from "../core/export/run-outcomes";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { ExportJson, ExportRefusedJson } from "../json/export-json";
import { jsonOutput } from "../json/queue-json";
import { renderDiagnostics } from "../render/analysis-text";
import { renderRunSummary } from "../render/run-summary";
import { type ExportWrite, checkExport, readHelperBundle, relativeSlash, repositoryRoot, writeExport } from "../shell/export-files";
import type { CommandResult } from "./commands";
import { type CommonOptions, type Io, loadPhase, styleFor } from "./context";
import { REFUSE } from "../core/queue/start-gate";

export interface ExportFlags extends CommonOptions {
  maxConcurrent?: number;
  runsOn?: string;
  out?: string;
  force?: boolean;
  dryRun?: boolean;
}

/** `gsd-async export github-actions`: the phase as a workflow_dispatch workflow, its job script and a copy of the helper. */
export async function exportGithubActions(io: Io, phase: string | undefined, flags: ExportFlags): Promise<CommandResult> {
  const loaded = loadPhase(io, flags, phase);
  if (!loaded.ok) return loaded.failure;
  const { analysis, project } = loaded;
  const s = styleFor(io, flags);
  /** Nothing is written: the reasons as JSON on stdout with --json, else `text` on stderr. */
  const refused = (reasons: string[], text: string, changedByHand: string[] = []): CommandResult => {
    if (flags.json)
      io.out(
        jsonOutput(ExportRefusedJson, {
          schemaVersion: JSON_SCHEMA_VERSION,
          command: "export github-actions",
          phase: analysis.phase,
          refused: true,
          reasons,
          changedByHand,
        }),
      );
    else io.err(text);
    return "problems";
  };
  if (flags.runsOn !== undefined && flags.runsOn.trim() === "") return { kind: "usage", message: "--runs-on needs a runner label" };
  const refuse = analysis.diagnostics.filter((d) => d.severity === "error" && REFUSE.has(d.code));
  if (refuse.length > 0)
    return refused(
      refuse.map((d) => d.message),
      [s.red(`✗ not exporting ${analysis.phase.dir}: fix these first`), ...renderDiagnostics(refuse, s)].join("\n") + "\n",
    );
  const cap = flags.maxConcurrent ?? project.settings.maxConcurrent;
  const runsOn = flags.runsOn ?? "ubuntu-latest";
  const jobs = phaseJobs(analysis, cap);
  if (jobs.jobs.length === 0) {
    const why = [`${jobs.complete.length} complete`, jobs.checkpoints.length > 0 ? `needing a person: ${jobs.checkpoints.join(", ")}` : ""].filter(Boolean);
    const reason = `nothing in ${analysis.phase.dir} can run in CI (${why.join("; ")})`;
    return refused([reason], `gsd-async: ${reason}\n`);
  }
  const repo = repositoryRoot(project.root);
  const base = (analysis.phase.dir.split("/").pop() ?? "phase").replace(/[^A-Za-z0-9._-]/g, "_");
  const outAbs = flags.out ? resolve(flags.cwd ?? io.cwd, flags.out) : resolve(repo, ".github", "workflows", `gsd-phase-${base}.yml`);
  const workflowPath = relativeSlash(repo, outAbs);
  if (workflowPath.startsWith("../") || isAbsolute(workflowPath))
    return {
      kind: "usage",
      message: `--out ${flags.out} is outside the repository ${repo}`,
      hint: "GitHub reads workflows from .github/workflows/ of the repository",
    };
  const helper = readHelperBundle(io.helper);
  if (!helper.ok)
    return { kind: "usage", message: `cannot read the helper bundle ${helper.file} to copy beside the workflow`, hint: "run the helper from its dist/cli.js" };
  const workflow = githubWorkflow({ phase: analysis.phase, projectDir: relativeSlash(repo, project.root), jobs, cap, runsOn });
  const writes: ExportWrite[] = [
    { path: workflowPath, text: workflow },
    { path: JOB_SCRIPT, text: PLAN_JOB_SCRIPT, mode: 0o755 },
    { path: HELPER_COPY, text: helper.text },
  ];
  const check = checkExport(repo, writes);
  if (check.changedByHand.length > 0 && !flags.force && !flags.dryRun) {
    const reason = `not overwriting ${check.changedByHand.join(", ")} in ${repo}: changed since gsd-async last wrote it (or not written by gsd-async)`;
    return refused(
      [reason],
      `gsd-async: ${reason}.\n  Move your changes elsewhere, or pass --force to replace ${check.changedByHand.length === 1 ? "it" : "them"}.\n`,
      check.changedByHand,
    );
  }
  if (!flags.dryRun) await writeExport(repo, writes);
  const planOf = new Map(jobs.jobs.map((j) => [j.key, j.planId]));
  const gateOf = new Map(jobs.gates.map((g) => [g.key, g.planId]));
  if (flags.json) {
    io.out(
      jsonOutput(ExportJson, {
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "export github-actions",
        dryRun: flags.dryRun === true,
        phase: analysis.phase,
        repository: repo,
        workflow: workflowPath,
        files: check.files,
        maxConcurrent: cap,
        lanes: jobs.lanes,
        runsOn,
        secret: API_KEY_SECRET,
        jobs: jobs.jobs.map((j) => ({
          plan: j.planId,
          job: j.key,
          lane: j.lane,
          needs: j.needs.map((k) => planOf.get(k) ?? k),
          after: j.after === undefined ? null : (planOf.get(j.after) ?? j.after),
          gates: j.gates.map((k) => gateOf.get(k) ?? k),
        })),
        leftOut: { checkpoints: jobs.checkpoints, complete: jobs.complete },
      }),
    );
    return "ok";
  }
  if (flags.dryRun) {
    io.out(workflow);
    return "ok";
  }
  const file = workflowPath.split("/").pop() ?? workflowPath;
  io.out(
    [
      s.bold(`Wrote ${workflowPath}`) + ` (${jobs.jobs.length} plan jobs on ${jobs.lanes} lane${jobs.lanes === 1 ? "" : "s"}, at most ${cap} at once)`,
      `  and ${EXPORT_DIR}/: plan-job.sh (the jobs' steps) and cli.js (this helper, for recording outcomes)`,
      ...(jobs.checkpoints.length > 0 ? [s.yellow(`Left out, they need a person: ${jobs.checkpoints.join(", ")}`)] : []),
      ...(jobs.complete.length > 0 ? [s.dim(`Complete already: ${jobs.complete.join(", ")}`)] : []),
      "",
      "Next:",
      `  1. add the repository secret ${API_KEY_SECRET} (Settings > Secrets and variables > Actions)`,
      `  2. commit these files and push them (the workflow must also be on the default branch for GitHub to list it)`,
      `  3. gh workflow run ${file} --ref <phase branch>    (or Actions > ${file} > Run workflow)`,
      "",
    ].join("\n"),
  );
  return "ok";
}

/** `gsd-async export run-summary`: the summary job's Markdown, from the run's job results. */
export function exportRunSummary(io: Io, phase: string | undefined, flags: CommonOptions & { results?: string }): CommandResult {
  if (!flags.results) return { kind: "usage", message: "--results FILE is required" };
  const loaded = loadPhase(io, flags, phase);
  if (!loaded.ok) return loaded.failure;
  const file = resolve(flags.cwd ?? io.cwd, flags.results);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    return { kind: "usage", message: `cannot read ${file}: ${(err as Error).message}` };
  }
  const parsed = runOutcomes(text);
  if (!parsed.ok) return { kind: "usage", message: `${file}: ${parsed.message}` };
  io.out(renderRunSummary(loaded.analysis, parsed.outcomes));
  return "ok";
}
