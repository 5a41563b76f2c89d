import { AgentStatusJson, StatusJson, jsonOutput } from "../core/queue-json";
import { join } from "node:path";
import { JSON_SCHEMA_VERSION } from "../core/analysis-json";
import { type RunSummary, activeRuns } from "../core/active-runs";
import { queueStep } from "../core/queue";
import { type StatusView, statusView } from "../core/status-view";
import { renderStatus } from "../render/status-text";
import { readHistory, updateHistory } from "../shell/history-store";
import { openProject } from "../shell/project";
import { budgetedStep } from "../shell/queue-budget";
import { waitForFiles } from "../shell/wait";
import type { CommandResult } from "./commands";
import { type CommonOptions, type Io, type Loaded, loadPhase, styleFor } from "./context";
import { queueOptions, stateFailure } from "./queue-shared";

export async function statusCommand(io: Io, target: string | undefined, flags: CommonOptions & { wait?: boolean; timeout?: number; peek?: boolean }): Promise<CommandResult> {
  // An agent id names one agent; anything else is a phase.
  const byAgent = target !== undefined && /^a[0-9a-f]{6,}$/i.test(target);
  let phaseArg: string | undefined;
  try {
    phaseArg = statusPhase(io, flags, target, byAgent);
  } catch (err) {
    return stateFailure(err);
  }
  const loaded = loadPhase(io, flags, phaseArg);
  if (!loaded.ok) return loaded.failure;
  const o = queueOptions(io, loaded, {}, "status");
  const step = async (): Promise<StatusView> => {
    const analysis = loadPhase(io, flags, phaseArg);
    const a = analysis.ok ? analysis.analysis : loaded.analysis;
    const opts = { ...o, now: io.now().toISOString() };
    const root = loaded.project.root;
    if (flags.peek) return budgetedStep(root, a, opts, async (bo) => statusView(a, queueStep(a, readHistory(root).history, bo), opts.now), false);
    return budgetedStep(root, a, opts, (bo) =>
      updateHistory(root, (h) => {
        const st = queueStep(a, h, bo);
        return { history: st.history, result: statusView(a, st, opts.now) };
      }),
    );
  };
  let view: StatusView;
  try {
    view = await step();
    if (flags.wait) view = await waitForChange(io, loaded, view, step, (flags.timeout ?? 540) * 1000);
  } catch (err) {
    return stateFailure(err);
  }
  const s = styleFor(io, flags);
  if (byAgent) {
    const p = view.plans.find((x) => x.agentId === target);
    if (!p) return { kind: "usage", message: `no plan of ${view.phase.dir} was run by agent ${target}` };
    io.out(flags.json ? jsonOutput(AgentStatusJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "status", agent: p }) : `${p.id} ${p.state}${p.outputFile ? `\noutput: ${p.outputFile}` : ""}${p.error ? `\nerror: ${p.error}` : ""}\n`);
  } else {
    let otherRuns: RunSummary[];
    try {
      otherRuns = activeRuns(readHistory(loaded.project.root).history).filter((r) => r.phaseDir !== view.phase.dir);
    } catch (err) {
      return stateFailure(err);
    }
    if (flags.json) io.out(jsonOutput(StatusJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "status", mode: loaded.project.settings.mode, ...view, otherRuns }));
    else {
      const also = otherRuns.map((r) => `${r.phaseDir} (${r.completed}/${r.total} done, ${r.running} running)`);
      io.out(renderStatus(view, s, io.now().toISOString()) + (also.length > 0 ? `Other phases with a run in progress: ${also.join("; ")}\n` : ""));
    }
  }
  return view.outcome === "done" ? "ok" : view.outcome === "stopped" ? "problems" : "inProgress";
}

/**
 * Which phase `status` looks at: the one named; for an agent id, the phase of its plan; with
 * nothing named, the phase of the newest run that still has work (the one the user is
 * following), else STATE.md's current phase.
 */
function statusPhase(io: Io, flags: CommonOptions, target: string | undefined, byAgent: boolean): string | undefined {
  if (target !== undefined && !byAgent) return target;
  const opened = openProject(flags.cwd ?? io.cwd);
  if (!opened.ok) return undefined;
  const h = readHistory(opened.project.root).history;
  if (byAgent) return h.entries.find((e) => e.agent_id === target)?.phase_dir ?? undefined;
  return activeRuns(h)[0]?.phaseDir;
}

/** Blocks until a running plan finishes, new work can start, or the timeout passes. */
async function waitForChange(io: Io, loaded: Extract<Loaded, { ok: true }>, first: StatusView, step: () => Promise<StatusView>, timeoutMs: number): Promise<StatusView> {
  const running = new Set(first.plans.filter((p) => p.state === "running" || p.state === "starting").map((p) => p.id));
  if (running.size === 0 || first.spawn.length > 0) return first;
  const deadline = io.now().getTime() + timeoutMs;
  let view = first;
  for (;;) {
    const left = deadline - io.now().getTime();
    if (left <= 0) return view;
    await waitForFiles([join(loaded.project.root, ".planning"), join(loaded.project.root, loaded.analysis.phase.dir)], Math.min(left, 15_000));
    view = await step();
    const finished = view.plans.some((p) => running.has(p.id) && p.state !== "running" && p.state !== "starting");
    if (finished || view.spawn.length > 0 || view.outcome !== "in-progress") return view;
  }
}

