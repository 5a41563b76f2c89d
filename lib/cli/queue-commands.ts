import { expectedSummaryPath } from "../core/planning-tree";
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { JSON_SCHEMA_VERSION } from "../core/analysis-json";
import type { HistoryEntry } from "../core/history-schema";
import { activeRun, replaceEntry, transition } from "../core/history-ops";
import { singlePlanGate } from "../core/single-plan";
import { type QueueOptions, queueStep } from "../core/queue";
import { isFinished, type Transition, canTransition } from "../core/run-status";
import type { Strategy } from "../core/scheduler";
import { statusView, type StatusView } from "../core/status-view";
import { renderDiagnostics } from "../render/analysis-text";
import { renderStatus } from "../render/status-text";
import { HistoryFileError, readHistory, updateHistory } from "../shell/history-store";
import { BudgetFileError } from "../shell/budget-store";
import { budgetedStep } from "../shell/queue-budget";
import { openProject } from "../shell/project";
import { waitForFiles } from "../shell/wait";
import { nodeCrypto } from "../shell/lazy-deps";
import { type CommandResult } from "./commands";
import { type CommonOptions, type Io, type Loaded, loadPhase, styleFor } from "./context";
import type { Failure } from "./exit-codes";

export interface QueueFlags extends CommonOptions {
  maxConcurrent?: number;
  strategy?: Strategy;
  includeCheckpoints?: boolean;
  dryRun?: boolean;
}

/** Diagnostics that make a phase unsafe to run. An undeclared write conflict is not one: it is ordered. */
const REFUSE = new Set(["cycle", "depends-unresolved", "plan-unreadable", "frontmatter-invalid", "frontmatter-unsafe-engine"]);

const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";

export function newRunId(now: Date): string {
  return `r${now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "")}-${nodeCrypto().randomBytes(2).toString("hex")}`;
}

function stateFailure(err: unknown): Failure {
  if (err instanceof HistoryFileError) return { kind: "state", message: err.message, hint: "the file was left as it is; `gsd-async repair` backs it up and rebuilds the queue" };
  if (err instanceof BudgetFileError) return { kind: "state", message: err.message, hint: "the file was left as it is: fix it by hand, or move it aside and run gsd-async budget init" };
  throw err;
}

function options(io: Io, loaded: Extract<Loaded, { ok: true }>, flags: QueueFlags, mode: QueueOptions["mode"]): QueueOptions {
  const s = loaded.project.settings;
  return {
    now: io.now().toISOString(),
    sessionId: io.env.CLAUDE_CODE_SESSION_ID ?? null,
    maxConcurrent: flags.maxConcurrent ?? s.maxConcurrent,
    strategy: flags.strategy ?? "critical-path",
    includeCheckpoints: flags.includeCheckpoints ?? !s.skipCheckpoints,
    mode,
    newRunId: newRunId(io.now()),
    projectRoot: loaded.project.root,
    helper: io.helper,
    leaseMinutes: 3,
    staleMinutes: 240,
  };
}

/** `start path/to/NN-MM-PLAN.md`: the plan's project-relative file, or a failure. */
function planArgument(io: Io, flags: QueueFlags, arg: string): { file: string; phaseDir: string } | Failure {
  const opened = openProject(flags.cwd ?? io.cwd);
  if (!opened.ok) return { kind: "noProject", message: opened.reason };
  const rel = relative(opened.project.root, resolve(flags.cwd ?? io.cwd, arg)).split(sep).join("/");
  if (rel.startsWith("../") || rel === ".." || isAbsolute(rel)) return { kind: "usage", message: `${arg} is outside the project ${opened.project.root}` };
  const slash = rel.lastIndexOf("/");
  return { file: rel, phaseDir: slash < 0 ? "" : rel.slice(0, slash) };
}

export async function startCommand(io: Io, target: string | undefined, flags: QueueFlags): Promise<CommandResult> {
  const single = target !== undefined && /PLAN\.md$/.test(target) ? planArgument(io, flags, target) : undefined;
  if (single && "kind" in single) return single;
  const loaded = loadPhase(io, flags, single ? single.phaseDir : target);
  if (!loaded.ok) return loaded.failure;
  const { analysis, project } = loaded;
  const s = styleFor(io, flags);
  const refuseWith = (reasons: string[], diagnostics: unknown[] = []): CommandResult => {
    if (flags.json) io.out(json({ schemaVersion: JSON_SCHEMA_VERSION, command: "start", phase: analysis.phase, refused: true, reasons, diagnostics }));
    else io.out([s.red(`✗ not starting ${single ? single.file : analysis.phase.dir}:`), ...reasons.map((r) => `  - ${r}`)].join("\n") + "\n");
    return "problems";
  };
  const refuse = analysis.diagnostics.filter((d) => d.severity === "error" && REFUSE.has(d.code));
  if (refuse.length > 0) {
    if (flags.json) return refuseWith(refuse.map((d) => d.message), refuse);
    io.out([s.red(`✗ not starting ${analysis.phase.dir}: fix these first`), ...renderDiagnostics(refuse, s)].join("\n") + "\n");
    return "problems";
  }
  const o = options(io, loaded, flags, "start");
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
      return refuseWith([`run ${active.run_id} is already active in ${analysis.phase.dir}${active.scope ? "" : " (the whole phase, which includes this plan)"}: follow it with gsd-async status`]);
    }
    o.scope = [single.file];
  }
  let view: StatusView;
  try {
    if (flags.dryRun) {
      view = await budgetedStep(project.root, analysis, o, async (bo) => statusView(analysis, queueStep(analysis, readHistory(project.root).history, bo), o.now), false);
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
    io.out(json({ schemaVersion: JSON_SCHEMA_VERSION, command: "start", dryRun: flags.dryRun === true, mode: project.settings.mode, phase: view.phase, run: view.run, spawn: view.spawn, queued, needsForeground: view.needsForeground, blocked: view.plans.filter((p) => p.state === "blocked").map((p) => ({ id: p.id, blockedBy: p.blockedBy })), budgetNote: view.budgetNote ?? null, diagnostics: analysis.diagnostics }));
  } else {
    const head = flags.dryRun ? s.bold("Dry run: nothing recorded.") : s.bold(`Run ${view.run?.run_id} for ${view.phase.dir}`);
    io.out([head, renderStatus(view, s)].join("\n"));
  }
  return "ok";
}

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
  const o = options(io, loaded, {}, "status");
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
    io.out(flags.json ? json({ schemaVersion: JSON_SCHEMA_VERSION, command: "status", agent: p }) : `${p.id} ${p.state}${p.outputFile ? `\noutput: ${p.outputFile}` : ""}${p.error ? `\nerror: ${p.error}` : ""}\n`);
  } else if (flags.json) {
    io.out(json({ schemaVersion: JSON_SCHEMA_VERSION, command: "status", mode: loaded.project.settings.mode, ...view }));
  } else io.out(renderStatus(view, s));
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
  const runs = [...h.runs].sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0));
  for (const r of runs) if (activeRun(h, r.phase_dir)?.run_id === r.run_id) return r.phase_dir;
  return undefined;
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

export interface RecordFlags extends CommonOptions {
  run?: string;
  agentId?: string;
  outputFile?: string;
  reason?: string;
}

/** Finds the plan's entry: by plan file or id, in the given run or the newest run that has it. */
export function findEntry(entries: readonly HistoryEntry[], plan: string, runId?: string, root?: string): HistoryEntry | undefined {
  const norm = plan.replace(/\\/g, "/").replace(/^\.\//, "");
  const rel = root && norm.startsWith(root.replace(/\\/g, "/") + "/") ? norm.slice(root.length + 1) : norm;
  const matches = entries.filter((e) => (runId === undefined || e.run_id === runId) && (e.plan_file === rel || e.plan === rel || e.agent_id === rel));
  return matches.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0) || a.attempt - b.attempt)[matches.length - 1];
}

/** `spawned`, `complete`, `fail`: record what happened to one plan. */
export async function recordCommand(io: Io, kind: "spawned" | "complete" | "fail", plan: string, flags: RecordFlags): Promise<CommandResult> {
  const opened = openProject(flags.cwd ?? io.cwd);
  if (!opened.ok) return { kind: "noProject", message: opened.reason };
  const root = opened.project.root;
  const now = io.now().toISOString();
  let warning: string | undefined;
  type Outcome = { ok: true; entry: HistoryEntry } | { ok: false; message: string };
  let outcome: Outcome;
  try {
    outcome = await updateHistory<Outcome>(root, (h) => {
      const e = findEntry(h.entries, plan, flags.run, root);
      if (!e) return { history: h, result: { ok: false as const, message: `no entry for ${plan}${flags.run ? ` in run ${flags.run}` : ""} in agent-history.json (was it started with gsd-async start?)` } };
      // An agent writes its SUMMARY.md before it runs `complete`; a `status` in between already
      // records the plan as completed from that file. Completing it again is not an error.
      if (kind === "complete" && e.status === "completed") return { history: h, result: { ok: true as const, entry: e } };
      const t: Transition | undefined = kind === "spawned" ? (e.status === "queued" ? "spawn" : undefined) : kind === "complete" ? "complete" : "fail";
      const patch: Partial<HistoryEntry> = {};
      if (flags.agentId !== undefined) patch.agent_id = flags.agentId;
      if (flags.outputFile !== undefined) patch.output_file = flags.outputFile;
      if (io.env.CLAUDE_CODE_SESSION_ID && kind === "spawned") patch.session_id = io.env.CLAUDE_CODE_SESSION_ID;
      if (kind === "fail") patch.error = (flags.reason ?? "failed without a reason").slice(0, 2000);
      if (t === undefined) {
        // Already spawned: only the agent's details are added.
        if (e.status !== "spawned") return { history: h, result: { ok: false as const, message: `${e.plan} is ${e.status}, not queued or spawned` } };
        const next = { ...e, ...patch };
        return { history: replaceEntry(h, next), result: { ok: true as const, entry: next } };
      }
      if (!canTransition(e.status, t)) return { history: h, result: { ok: false as const, message: `cannot ${t} ${e.plan}: it is ${e.status}${isFinished(e.status) ? " (already finished)" : ""}` } };
      const next = transition(e, t, now, patch);
      return { history: replaceEntry(h, next), result: { ok: true as const, entry: next } };
    });
  } catch (err) {
    return stateFailure(err);
  }
  if (!outcome.ok) {
    io.err(`gsd-async: ${outcome.message}\n`);
    return "problems";
  }
  const e = outcome.entry;
  if (kind === "complete" && e.plan_file) {
    const summary = expectedSummaryPath(e.plan_file);
    if (!existsSync(join(root, summary))) warning = `${summary} does not exist: the plan is recorded as completed, but GSD expects a summary`;
  }
  if (flags.json) io.out(json({ schemaVersion: JSON_SCHEMA_VERSION, command: kind, entry: e, warning: warning ?? null }));
  else io.out(`${e.plan}: ${e.status}${e.agent_id ? ` (agent ${e.agent_id})` : ""}${warning ? `\nwarning: ${warning}` : ""}\n`);
  return "ok";
}

