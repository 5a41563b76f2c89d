import { AgentStatusJson, StatusJson, jsonOutput } from "../json/queue-json";
import { join } from "node:path";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { type RunSummary, activeRuns } from "../core/queue/active-runs";
import { type QueueOptions, queueStep } from "../core/queue/queue";
import type { History } from "../core/queue/history-schema";
import { type StatusView, statusView } from "../core/queue/status-view";
import { renderStatus } from "../render/status-text";
import { readHistory, updateHistory } from "../shell/history-store";
import { budgetedStep } from "../shell/queue-budget";
import { waitForFiles } from "../shell/wait";
import type { CommandResult } from "./commands";
import { type CommonOptions, type Io, type Loaded, loadPhase, loadPhaseIn, openFor, styleFor } from "./context";
import { queueOptions } from "./queue-shared";
import { stateFailure } from "./state-failure";

/** What one look at the run gives: the phase's status and the other phases still running. */
interface Looked {
  view: StatusView;
  otherRuns: RunSummary[];
}

export async function statusCommand(
  io: Io,
  target: string | undefined,
  flags: CommonOptions & { wait?: boolean; timeout?: number; peek?: boolean },
): Promise<CommandResult> {
  // An agent id names one agent; anything else is a phase.
  const byAgent = target !== undefined && /^a[0-9a-f]{6,}$/i.test(target);
  const opened = openFor(io, flags);
  if (!opened.ok) return opened.failure;
  let phaseArg: string | undefined;
  try {
    phaseArg = statusPhase(opened.project.root, target, byAgent);
  } catch (err) {
    return stateFailure(err);
  }
  const loaded = loadPhaseIn(opened.project, phaseArg);
  if (!loaded.ok) return loaded.failure;
  const o = queueOptions(io, loaded, {}, "status");
  const root = loaded.project.root;
  // The first step uses the analysis just made; later ones (--wait) look at the files again.
  let first = true;
  const step = async (): Promise<Looked> => {
    const again = first ? loaded : loadPhase(io, flags, phaseArg);
    first = false;
    const a = again.ok ? again.analysis : loaded.analysis;
    const opts = { ...o, now: io.now().toISOString() };
    // The other runs are read off the same history the step used: no second read of the file.
    let seen: History | undefined;
    const look = (h: History, bo: QueueOptions) => {
      const st = queueStep(a, h, bo);
      seen = st.history;
      return { history: st.history, result: statusView(a, st, opts.now) };
    };
    const view = flags.peek
      ? await budgetedStep(root, a, opts, async (bo) => look(readHistory(root).history, bo).result, false)
      : await budgetedStep(root, a, opts, (bo) => updateHistory(root, (h) => look(h, bo)));
    return { view, otherRuns: seen ? activeRuns(seen).filter((r) => r.phaseDir !== a.phase.dir) : [] };
  };
  let looked: Looked;
  try {
    looked = await step();
    if (flags.wait) looked = await waitForChange(io, loaded, looked, step, (flags.timeout ?? 540) * 1000);
  } catch (err) {
    return stateFailure(err);
  }
  const { view, otherRuns } = looked;
  const s = styleFor(io, flags);
  if (byAgent) {
    const p = view.plans.find((x) => x.agentId === target);
    if (!p) return { kind: "usage", message: `no plan of ${view.phase.dir} was run by agent ${target}` };
    io.out(
      flags.json
        ? jsonOutput(AgentStatusJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "status", agent: p })
        : `${p.id} ${p.state}${p.outputFile ? `\noutput: ${p.outputFile}` : ""}${p.error ? `\nerror: ${p.error}` : ""}\n`,
    );
  } else {
    if (flags.json)
      io.out(jsonOutput(StatusJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "status", mode: loaded.project.settings.mode, ...view, otherRuns }));
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
function statusPhase(root: string, target: string | undefined, byAgent: boolean): string | undefined {
  if (target !== undefined && !byAgent) return target;
  const h = readHistory(root).history;
  if (byAgent) return h.entries.find((e) => e.agent_id === target)?.phase_dir ?? undefined;
  return activeRuns(h)[0]?.phaseDir;
}

/** Blocks until a running plan finishes, new work can start, or the timeout passes. */
async function waitForChange(io: Io, loaded: Extract<Loaded, { ok: true }>, first: Looked, step: () => Promise<Looked>, timeoutMs: number): Promise<Looked> {
  const running = new Set(first.view.plans.filter((p) => p.state === "running" || p.state === "starting").map((p) => p.id));
  if (running.size === 0 || first.view.spawn.length > 0) return first;
  const deadline = io.now().getTime() + timeoutMs;
  let looked = first;
  for (;;) {
    const left = deadline - io.now().getTime();
    if (left <= 0) return looked;
    await waitForFiles([join(loaded.project.root, ".planning"), join(loaded.project.root, loaded.analysis.phase.dir)], Math.min(left, 15_000));
    looked = await step();
    const view = looked.view;
    const finished = view.plans.some((p) => running.has(p.id) && p.state !== "running" && p.state !== "starting");
    if (finished || view.spawn.length > 0 || view.outcome !== "in-progress") return looked;
  }
}
