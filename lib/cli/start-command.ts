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
  const options = {
    newRunId: newRunId(io.now()),
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
  const s = styleFor(io, flags);
  if (outcome.kind === "refused") {
    const what = dn(single ? single.file : analysis.phase.dir);
    if (flags.brief)
      io.out(
        briefOutput(BriefRefusedJson, {
          schemaVersion: JSON_SCHEMA_VERSION,
          command: "start",
          refused: true,
          phase: analysis.phase.dir,
          reasons: outcome.reasons,
          next: "Nothing was started: tell the user these reasons and stop.",
        }),
      );
    else if (flags.json)
      io.out(
        jsonOutput(StartRefusedJson, {
          schemaVersion: JSON_SCHEMA_VERSION,
          command: "start",
          phase: analysis.phase,
          refused: true,
          reasons: outcome.reasons,
          diagnostics: outcome.diagnostics,
        }),
      );
    else if (outcome.diagnostics.length > 0)
      io.out([s.red(`✗ not starting ${what}: fix these first`), ...renderDiagnostics(outcome.diagnostics, s)].join("\n") + "\n");
    else io.out([s.red(`✗ not starting ${what}:`), ...outcome.reasons.map((r) => `  - ${r}`)].join("\n") + "\n");
    return "problems";
  }
  if (outcome.kind !== "advanced") throw new Error(`start: unexpected outcome ${outcome.kind}`);
  const view = outcome.view;
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
