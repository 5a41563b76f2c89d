import { displayName as dn } from "../core/common/safe-name";
import { resolve } from "node:path";
import { echo } from "../core/common/echo";
import { briefView } from "../core/queue/brief-view";
import { queueStep } from "../core/queue/queue-step";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { BriefJson, BriefRefusedJson, StartJson, StartRefusedJson, briefOutput, jsonOutput } from "../json/queue-json";
import { renderDiagnostics } from "../render/analysis-text";
import { renderStatus } from "../render/status-text";
import { readHistory } from "../shell/history-store";
import { readBudget } from "../shell/budget-store";
import { readWorkflowAgents, readWorkflowReports } from "../shell/workflow-reports";
import { withQueueState } from "../shell/queue-state";
import type { CommandResult } from "./commands";
import { type Io, insideProject, loadPhaseIn, openFor, styleFor } from "./context";
import type { Failure } from "./exit-codes";
import { type QueueFlags, newRunId, queueFacts } from "./queue-shared";
import type { PhaseAnalysis } from "../core/graph/analysis";
import { activeRun } from "../core/queue/history-ops";
import type { Isolation } from "../core/repo/isolation";
import { startGuard } from "../core/repo/start-guard";
import { openRepo, uncommittedChanges, untrackedOf } from "../shell/repo/worktrees";
import { worktreeAfterStep } from "./worktree-step";

/** `start path/to/NN-MM-PLAN.md`: the plan's project-relative file, or a failure. */
function planArgument(root: string, base: string, arg: string): { file: string; phaseDir: string } | Failure {
  // The one containment rule of every path argument; a relative plan counts from the cwd.
  const inside = insideProject(root, resolve(base, arg));
  if (!inside.ok) return { kind: "usage", message: `${echo(arg)} is outside the project ${root}` };
  const rel = inside.rel;
  const slash = rel.lastIndexOf("/");
  return { file: rel, phaseDir: slash < 0 ? "" : rel.slice(0, slash) };
}

/** `start [PHASE|PLAN.md]`: parse, build the event, run one queue transaction, render. */
export async function startCommand(io: Io, target: string | undefined, flags: QueueFlags): Promise<CommandResult> {
  const opened = openFor(io, flags);
  if (!opened.ok) return opened.failure;
  const single = target !== undefined && /PLAN\.md$/.test(target) ? planArgument(opened.project.root, flags.cwd ?? io.cwd, target) : undefined;
  if (single && "kind" in single) return single;
  const loaded = loadPhaseIn(opened.project, single ? single.phaseDir : target);
  if (!loaded.ok) return loaded.failure;
  const { analysis, project } = loaded;
  const root = project.root;
  const before = readHistory(root).history;
  const facts = queueFacts(io, {
    root,
    analysis,
    history: before,
    ledger: readBudget(root),
    settings: project.settings,
    ...(flags.agentType ? { agentType: flags.agentType } : {}),
    workflowReports: readWorkflowReports(io.env, before),
    workflowAgents: readWorkflowAgents(io.env, before),
  });
  // An active run keeps the mode it started with; a new one takes --isolation, else the config.
  const active = activeRun(before, analysis.phase.dir);
  const isolation: Isolation = active ? (active.isolation ?? "shared") : (flags.isolation ?? project.settings.isolation);
  const planFiles = analysis.plans.map((p) => p.file);
  const repo = active ? undefined : isolation === "worktree" ? await worktreeStart(root, planFiles) : await sharedStart(root);
  if (repo && !repo.ok) return refusal(io, flags, analysis, single ? single.file : analysis.phase.dir, repo.reasons);
  const options = {
    newRunId: newRunId(io.now()),
    ...(isolation === "worktree" ? { isolation } : {}),
    ...(repo?.ok && repo.top !== undefined ? { repoTop: repo.top } : {}),
    ...(flags.maxConcurrent !== undefined ? { maxConcurrent: flags.maxConcurrent } : {}),
    ...(flags.strategy !== undefined ? { strategy: flags.strategy } : {}),
    ...(flags.includeCheckpoints !== undefined ? { includeCheckpoints: flags.includeCheckpoints } : {}),
    ...(flags.engine !== undefined ? { engine: flags.engine } : {}),
    ...(single ? { scope: [single.file] } : {}),
  };
  const outcome = await withQueueState(
    root,
    (state) => {
      const r = queueStep(state, facts, { kind: "start", options });
      return { state: r.state, result: r.outcome };
    },
    { write: flags.dryRun !== true, onWait: (m) => io.err(`gsd-async: ${m}\n`) },
  );
  if (outcome.kind === "refused") return refusal(io, flags, analysis, single ? single.file : analysis.phase.dir, outcome.reasons, outcome.diagnostics);
  if (outcome.kind !== "advanced") throw new Error(`start: unexpected outcome ${outcome.kind}`);
  const view = flags.dryRun === true ? outcome.view : await worktreeAfterStep(io, outcome.view, root, project.settings);
  const s = styleFor(io, flags);
  const mode = project.settings.mode;
  if (flags.brief) {
    io.out(briefOutput(BriefJson, { schemaVersion: JSON_SCHEMA_VERSION, ...briefView(view, { command: "start", mode, dryRun: flags.dryRun === true }) }));
  } else if (flags.json) {
    const queued = view.plans
      .filter((p) => ["queued", "waiting"].includes(p.state))
      .map((p) => ({ id: p.id, waitsFor: p.waitsFor, position: p.queuePosition }));
    const blocked = view.plans.filter((p) => p.state === "blocked").map((p) => ({ id: p.id, blockedBy: p.blockedBy }));
    io.out(
      jsonOutput(StartJson, {
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "start",
        dryRun: flags.dryRun === true,
        mode,
        phase: view.phase,
        run: view.run,
        spawn: view.spawn,
        ...(view.workflow ? { workflow: view.workflow } : {}),
        queued,
        needsForeground: view.needsForeground,
        blocked,
        budgetNote: view.budgetNote ?? null,
        diagnostics: analysis.diagnostics,
      }),
    );
  } else {
    const head = flags.dryRun ? s.bold("Dry run: nothing recorded.") : s.bold(`Run ${view.run?.run_id} for ${view.phase.dir}`);
    // A dry run that found no run to resume shows a run that does not exist: say so.
    const newRunPreview = flags.dryRun === true && view.run?.started_at === facts.now;
    io.out([head, renderStatus(view, s, facts.now, { newRunPreview })].join("\n"));
  }
  return "ok";
}

/** Nothing was started: the start gate's reasons, or why worktree mode cannot start here. */
function refusal(
  io: Io,
  flags: QueueFlags,
  analysis: PhaseAnalysis,
  target: string,
  reasons: string[],
  diagnostics: PhaseAnalysis["diagnostics"] = [],
): CommandResult {
  const s = styleFor(io, flags);
  const what = dn(target);
  if (flags.brief)
    io.out(
      briefOutput(BriefRefusedJson, {
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "start",
        refused: true,
        phase: analysis.phase.dir,
        reasons,
        next: "Nothing was started: tell the user these reasons and stop.",
      }),
    );
  else if (flags.json)
    io.out(jsonOutput(StartRefusedJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "start", phase: analysis.phase, refused: true, reasons, diagnostics }));
  else if (diagnostics.length > 0) io.out([s.red(`✗ not starting ${what}: fix these first`), ...renderDiagnostics(diagnostics, s)].join("\n") + "\n");
  else io.out([s.red(`✗ not starting ${what}:`), ...reasons.map((r) => `  - ${r}`)].join("\n") + "\n");
  return "problems";
}

/** A shared-mode run in a git repository tells its agents to commit through the helper. */
async function sharedStart(root: string): Promise<{ ok: true; top?: string }> {
  const repo = await openRepo(root);
  return repo ? { ok: true, top: repo.top } : { ok: true };
}

/** A new worktree-mode run needs a repository and a clean working tree (the start guard). */
async function worktreeStart(root: string, planFiles: readonly string[]): Promise<{ ok: true; top?: string } | { ok: false; reasons: string[] }> {
  const repo = await openRepo(root);
  if (!repo) return { ok: false, reasons: [`${root} is not in a git repository: worktree mode needs one (or use --isolation shared)`] };
  const dirty = await uncommittedChanges(repo.top);
  if (dirty === undefined) return { ok: false, reasons: [`git status failed in ${repo.top}`] };
  const guard = startGuard("worktree", dirty);
  if (!guard.ok) return { ok: false, reasons: [guard.message, guard.hint] };
  // A worktree holds only what is committed: an agent there would not find an untracked plan.
  const untracked = await untrackedOf(root, planFiles);
  if (untracked.length > 0)
    return {
      ok: false,
      reasons: [
        `${untracked.length} plan file(s) are not committed (${untracked.slice(0, 5).join(", ")}): a plan's worktree holds only committed files`,
        "commit the phase's plans first",
      ],
    };
  return { ok: true, top: repo.top };
}
