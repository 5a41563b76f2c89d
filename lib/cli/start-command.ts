import { StartJson, StartRefusedJson, jsonOutput } from "../json/queue-json";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { activeRun } from "../core/queue/history-ops";
import { queueStep } from "../core/queue/queue";
import { singlePlanGate } from "../core/queue/single-plan";
import { type StatusView, statusView } from "../core/queue/status-view";
import { renderDiagnostics } from "../render/analysis-text";
import { renderStatus } from "../render/status-text";
import { readHistory, updateHistory } from "../shell/history-store";
import { budgetedStep } from "../shell/queue-budget";
import type { CommandResult } from "./commands";
import { type Io, loadPhaseIn, openFor, styleFor } from "./context";
import type { Failure } from "./exit-codes";
import { type QueueFlags, REFUSE, queueOptions } from "./queue-shared";
import { stateFailure } from "./state-failure";

/** `start path/to/NN-MM-PLAN.md`: the plan's project-relative file, or a failure. */
function planArgument(root: string, base: string, arg: string): { file: string; phaseDir: string } | Failure {
  const rel = relative(root, resolve(base, arg)).split(sep).join("/");
  if (rel.startsWith("../") || rel === ".." || isAbsolute(rel)) return { kind: "usage", message: `${arg} is outside the project ${root}` };
  const slash = rel.lastIndexOf("/");
  return { file: rel, phaseDir: slash < 0 ? "" : rel.slice(0, slash) };
}

export async function startCommand(io: Io, target: string | undefined, flags: QueueFlags): Promise<CommandResult> {
  const opened = openFor(io, flags);
  if (!opened.ok) return opened.failure;
  const single = target !== undefined && /PLAN\.md$/.test(target) ? planArgument(opened.project.root, flags.cwd ?? io.cwd, target) : undefined;
  if (single && "kind" in single) return single;
  const loaded = loadPhaseIn(opened.project, single ? single.phaseDir : target);
  if (!loaded.ok) return loaded.failure;
  const { analysis, project } = loaded;
  const s = styleFor(io, flags);
  const refuseWith = (reasons: string[], diagnostics: unknown[] = []): CommandResult => {
    if (flags.json)
      io.out(
        jsonOutput(StartRefusedJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "start", phase: analysis.phase, refused: true, reasons, diagnostics }),
      );
    else io.out([s.red(`✗ not starting ${single ? single.file : analysis.phase.dir}:`), ...reasons.map((r) => `  - ${r}`)].join("\n") + "\n");
    return "problems";
  };
  const refuse = analysis.diagnostics.filter((d) => d.severity === "error" && REFUSE.has(d.code));
  if (refuse.length > 0) {
    if (flags.json)
      return refuseWith(
        refuse.map((d) => d.message),
        refuse,
      );
    io.out([s.red(`✗ not starting ${analysis.phase.dir}: fix these first`), ...renderDiagnostics(refuse, s)].join("\n") + "\n");
    return "problems";
  }
  const o = queueOptions(io, loaded, flags, "start");
  if (single) {
    const gate = singlePlanGate(analysis, single.file, o.includeCheckpoints);
    if (!gate.ok) return refuseWith(gate.reasons);
    let active;
    try {
      active = activeRun(readHistory(project.root).history, analysis.phase.dir);
    } catch (err) {
      return stateFailure(err);
    }
    if (active && JSON.stringify(active.scope ?? null) !== JSON.stringify([single.file])) {
      return refuseWith([
        `run ${active.run_id} is already active in ${analysis.phase.dir}${active.scope ? "" : " (the whole phase, which includes this plan)"}: follow it with gsd-async status`,
      ]);
    }
    o.scope = [single.file];
  }
  let view: StatusView;
  try {
    if (flags.dryRun) {
      view = await budgetedStep(
        project.root,
        analysis,
        o,
        async (bo) => statusView(analysis, queueStep(analysis, readHistory(project.root).history, bo), o.now),
        false,
      );
    } else {
      view = await budgetedStep(project.root, analysis, o, (bo) =>
        updateHistory(project.root, (h) => {
          const step = queueStep(analysis, h, bo);
          return { history: step.history, result: statusView(analysis, step, o.now) };
        }),
      );
    }
  } catch (err) {
    return stateFailure(err);
  }
  const queued = view.plans.filter((p) => ["queued", "waiting"].includes(p.state)).map((p) => ({ id: p.id, waitsFor: p.waitsFor, position: p.queuePosition }));
  if (flags.json) {
    io.out(
      jsonOutput(StartJson, {
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "start",
        dryRun: flags.dryRun === true,
        mode: project.settings.mode,
        phase: view.phase,
        run: view.run,
        spawn: view.spawn,
        queued,
        needsForeground: view.needsForeground,
        blocked: view.plans.filter((p) => p.state === "blocked").map((p) => ({ id: p.id, blockedBy: p.blockedBy })),
        budgetNote: view.budgetNote ?? null,
        diagnostics: analysis.diagnostics,
      }),
    );
  } else {
    const head = flags.dryRun ? s.bold("Dry run: nothing recorded.") : s.bold(`Run ${view.run?.run_id} for ${view.phase.dir}`);
    // A dry run that found no run to resume shows a run that does not exist: say so.
    const newRunPreview = flags.dryRun === true && view.run?.started_at === o.now;
    io.out([head, renderStatus(view, s, io.now().toISOString(), { newRunPreview })].join("\n"));
  }
  return "ok";
}
