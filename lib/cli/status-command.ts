import { join } from "node:path";
import { type RunSummary, activeRuns } from "../core/queue/active-runs";
import { briefView } from "../core/queue/brief-view";
import { queueStep } from "../core/queue/queue-step";
import type { StatusView } from "../core/queue/status-view";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { AgentStatusJson, BriefJson, StatusJson, briefOutput, jsonOutput } from "../json/queue-json";
import { renderStatus } from "../render/status-text";
import { readBudget } from "../shell/budget-store";
import { readWorkflowAgents, readWorkflowReports } from "../shell/workflow-reports";
import { readHistory } from "../shell/history-store";
import { withQueueState } from "../shell/queue-state";
import { PLANNING_DIR } from "../shell/planning-root";
import { waitForFiles } from "../shell/wait";
import { claudeProcess, processState } from "../shell/process-identity";
import { hostWaitStyle } from "../shell/claude-host";
import { wakeUpFor } from "../core/host/wake-up";
import { runningBySession } from "../core/queue/running-sessions";
import { shellLine } from "../core/common/shell-quote";
import type { CommandResult } from "./commands";
import { type CommonOptions, type Io, type Loaded, loadPhase, loadPhaseIn, openFor, styleFor } from "./context";
import { type QueueFlags, queueFacts } from "./queue-shared";
import { worktreeAfterStep } from "./worktree-step";

type StatusFlags = CommonOptions & Pick<QueueFlags, "brief" | "agentType"> & { blocking?: boolean; wait?: boolean; timeout?: number; peek?: boolean };

/** What one look at the run gives: the phase's status and the other phases still running. */
interface Looked {
  view: StatusView;
  otherRuns: RunSummary[];
  /** The run's agents running in this session and in others (for the wake-up's delay). */
  sessions: { own: number; other: number };
}

export async function statusCommand(io: Io, target: string | undefined, flags: StatusFlags): Promise<CommandResult> {
  // An agent id names one agent; anything else is a phase.
  const byAgent = target !== undefined && /^a[0-9a-f]{6,}$/i.test(target);
  const opened = openFor(io, flags);
  if (!opened.ok) return opened.failure;
  const root = opened.project.root;
  const phaseArg = statusPhase(root, target, byAgent);
  let loaded = loadPhaseIn(opened.project, phaseArg);
  if (!loaded.ok) return loaded.failure;
  const first = loaded;
  // One look: facts outside the lock (the analysis, the agents' evidence), then one transaction.
  const look = async (l: Extract<Loaded, { ok: true }>): Promise<Looked> => {
    const before = readHistory(root).history;
    const facts = queueFacts(io, {
      root,
      analysis: l.analysis,
      history: before,
      ledger: readBudget(root),
      settings: l.project.settings,
      ...(flags.agentType !== undefined && flags.peek !== true ? { agentType: flags.agentType } : {}),
      workflowReports: readWorkflowReports(io.env, before),
      workflowAgents: readWorkflowAgents(io.env, before),
    });
    const seen = await withQueueState(
      root,
      (state) => {
        const r = queueStep(state, facts, { kind: "status" });
        if (r.outcome.kind !== "advanced") throw new Error(`status: unexpected outcome ${r.outcome.kind}`);
        const view = r.outcome.view;
        const sessions = view.run ? runningBySession(r.state.history, view.run.run_id, facts.sessionId) : { own: 0, other: 0 };
        return { state: r.state, result: { view, otherRuns: activeRuns(r.state.history).filter((x) => x.phaseDir !== l.analysis.phase.dir), sessions } };
      },
      { write: flags.peek !== true, onWait: (m) => io.err(`gsd-async: ${m}\n`) },
    );
    return flags.peek === true ? seen : { ...seen, view: await worktreeAfterStep(io, seen.view, root, l.project.settings) };
  };
  let looked = await look(first);
  // Under a Claude Code that wakes a conversation up, `--wait` does not hold the Bash call: it
  // answers at once with the wake-up to schedule, and the user can talk to the conversation meanwhile.
  // Only `--brief` (the model's form) can carry the wake-up; `--blocking` forces the old wait (no ScheduleWakeup at hand).
  const style = flags.blocking === true || flags.brief !== true ? "blocking" : hostWaitStyle(io.env);
  if (flags.wait && style === "blocking") {
    const working = (state: string) => state === "running" || state === "starting" || state === "stalled";
    const running = new Set(looked.view.plans.filter((p) => working(p.state)).map((p) => p.id));
    // Newly stalled agents end the wait too: the caller is told how long they have been silent.
    const stalledBefore = new Set(looked.view.plans.filter((p) => p.state === "stalled").map((p) => p.id));
    const wait = io.waitForChange ?? waitForFiles;
    const deadline = io.now().getTime() + (flags.timeout ?? 540) * 1000;
    // The Claude Code window that asked for this wait: once it has closed, nobody reads the answer,
    // and looking again would act on the queue for it (its agents died with it) long after.
    const caller = io.ppid === undefined ? null : claudeProcess(io.env, io.ppid);
    while (running.size > 0 && looked.view.spawn.length === 0 && looked.view.stop.length === 0 && looked.view.outcome === "in-progress") {
      const left = deadline - io.now().getTime();
      if (left <= 0) break;
      await wait([join(root, PLANNING_DIR), join(root, first.analysis.phase.dir)], Math.min(left, 15_000));
      if (caller !== null && processState(caller) === "dead") {
        io.err("gsd-async: the Claude Code process that asked for this wait has ended; stopped waiting\n");
        return "ok";
      }
      // Files changed: look at them again (a plan may have appeared, a SUMMARY.md been written).
      const again = loadPhase(io, flags, phaseArg);
      loaded = again.ok ? again : loaded;
      looked = await look(loaded);
      if (
        looked.view.plans.some((p) => running.has(p.id) && !working(p.state)) ||
        looked.view.plans.some((p) => p.state === "stalled" && !stalledBefore.has(p.id))
      )
        break;
    }
  }
  const { view, otherRuns, sessions } = looked;
  const mode = first.project.settings.mode;
  if (byAgent) {
    const p = view.plans.find((x) => x.agentId === target);
    if (!p) return { kind: "usage", message: `no plan of ${view.phase.dir} was run by agent ${target}` };
    if (flags.json || flags.brief) io.out(jsonOutput(AgentStatusJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "status", agent: p }));
    else io.out(`${p.id} ${p.state}${p.outputFile ? `\noutput: ${p.outputFile}` : ""}${p.error ? `\nerror: ${p.error}` : ""}\n`);
    return "ok";
  }
  if (flags.brief) {
    const wakes = style === "wake-up";
    const wakeUp =
      flags.wait && wakes
        ? wakeUpFor({
            ownRunning: sessions.own + view.spawn.length,
            otherRunning: sessions.other,
            stallMinutes: first.project.settings.stall.minutes,
            ...(view.resume ? { resumeInSeconds: view.resume.inSeconds } : {}),
            ...(nextRetry(view, io.now()) !== undefined ? { retryInSeconds: nextRetry(view, io.now()) } : {}),
            statusLine: wakeUpLine(io.helper, root, view.phase.dir),
          })
        : undefined;
    const brief = briefView(view, { command: "status", mode, wait: flags.wait === true, wakes, ...(wakeUp ? { wakeUp } : {}) });
    io.out(briefOutput(BriefJson, { schemaVersion: JSON_SCHEMA_VERSION, ...brief }));
  } else if (flags.json) io.out(jsonOutput(StatusJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "status", mode, ...view, otherRuns }));
  else {
    const also = otherRuns.map((r) => `${r.phaseDir} (${r.completed}/${r.total} done, ${r.running} running)`);
    io.out(
      renderStatus(view, styleFor(io, flags), io.now().toISOString(), { peek: flags.peek === true }) +
        (also.length > 0 ? `Other phases with a run in progress: ${also.join("; ")}\n` : ""),
    );
  }
  switch (view.outcome) {
    case "done":
    case "idle":
      return "ok";
    case "stopped":
      return "problems";
    case "in-progress":
      return "inProgress";
  }
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

/** Seconds until the soonest limited plan may be handed out again, when one waits on a limit. */
function nextRetry(view: StatusView, now: Date): number | undefined {
  const at = view.plans.map((p) => (p.limit ? Date.parse(p.limit.retryAt) : NaN)).filter((t) => Number.isFinite(t));
  return at.length === 0 ? undefined : Math.max(0, Math.ceil((Math.min(...at) - now.getTime()) / 1000));
}

/**
 * The line a woken conversation runs: `--cwd` at the project (the shell may be anywhere by then, a
 * plan's worktree even), and the phase only when it is plain text, since the line goes into a
 * prompt inside a code span that a backtick or line break in a folder name would break out of.
 */
function wakeUpLine(helper: readonly string[], root: string, phaseDir: string): string {
  const plain = (s: string) => /^[\w./ +,@=:-]+$/.test(s);
  return shellLine([...helper, "status", "--wait", "--brief", ...(plain(root) ? ["--cwd", root] : []), ...(plain(phaseDir) ? ["--", phaseDir] : [])]);
}
