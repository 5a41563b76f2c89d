import { type WakeUp, wakeDelaySeconds } from "../host/wake-up";
import type { SpawnInstruction } from "./spawn";
import type { Outcome, StatusView } from "./status-view";
import { DEFAULT_ENGINE, type Engine, type WorkflowItem } from "../workflow/engine";

/**
 * What the orchestrating model reads from `start --brief` / `status --brief`: only what it acts
 * on, bounded in size whatever the phase's size. Spawn items are complete (they are the work);
 * lists for the report are capped, with a count of what was left out. Every string a plan or an
 * agent supplied is cut to a short length.
 */
export interface BriefView {
  command: "start" | "status";
  dryRun?: boolean;
  mode: "yolo" | "interactive";
  outcome: Outcome;
  phase: string;
  run: string | null;
  /** How the run's plans are run: `agents` (spawn items) or `workflow` (one workflow item). */
  engine: Engine;
  cap: number | null;
  concurrency: StatusView["concurrency"];
  resume?: NonNullable<StatusView["resume"]>;
  progress: { done: number; total: number };
  spawn: Pick<SpawnInstruction, "plan" | "key" | "agentInput">[];
  /** Engine `workflow`, on `start`: call `tool` once with exactly `input`. */
  workflow?: WorkflowItem;
  running: string[];
  /** Agents that show nothing for `stall_minutes`, with how long. */
  stalled: { id: string; minutes: number }[];
  /** Stalled agents to end now (TaskStop with this input); their plans are already queued again. */
  stop: { plan: string; tool: "TaskStop"; input: { task_id: string } }[];
  waiting: { id: string; waitsFor: string[] }[];
  problems: { id: string; state: string; error: string | null; blockedBy: string[] }[];
  needsPerson: string[];
  more?: { running?: number; waiting?: number; problems?: number; needsPerson?: number };
  note?: string;
  /** A non-blocking `status --wait`: what to pass to ScheduleWakeup before ending the turn. */
  wakeUp?: WakeUp;
  next: string;
}

export const BRIEF_LIST_CAP = 12;
const cut = (s: string | null, n = 200) => (s === null ? null : s.length > n ? `${s.slice(0, n - 1)}…` : s);

function capped<T>(items: T[], key: keyof NonNullable<BriefView["more"]>, more: NonNullable<BriefView["more"]>): T[] {
  if (items.length <= BRIEF_LIST_CAP) return items;
  more[key] = items.length - BRIEF_LIST_CAP;
  return items.slice(0, BRIEF_LIST_CAP);
}

const WAKE_UP_STEP =
  "call ScheduleWakeup with exactly wakeUp (its delaySeconds, reason and prompt) unless a wake-up of yours is already pending, and end your turn: an agent's notification or the wake-up brings you back";

const END_WAKE_UP = ' If a wake-up of yours is pending for this run, end it: ScheduleWakeup with {"stop": true}.';

function nextStep(v: StatusView, dryRun: boolean, wait: boolean, wakeUp: boolean, wakes: boolean): string {
  if (dryRun && v.run?.engine === "workflow")
    return "Preview only, nothing was recorded: this run uses the Workflow tool. Without a Workflow tool, do not start: tell the user and offer --engine agents. Else show it (or, in yolo mode, go on) and run start without --dry-run to begin.";
  if (dryRun) return "Preview only, nothing was recorded: show it (or, in yolo mode, go on) and run start without --dry-run to begin.";
  if (v.stop.length > 0 && wakeUp)
    return `First stop each stop item's agent (its tool with its input, all in one message), then start every spawn item with the Agent tool, agentInput unchanged, all in one message; then ${WAKE_UP_STEP}.`;
  if (v.stop.length > 0 && v.spawn.length > 0)
    return "First stop each stop item's agent (its tool with its input, all in one message), then start every spawn item with the Agent tool, agentInput unchanged, all in one message; then report briefly and end your turn.";
  if (v.workflow)
    return "Call the Workflow tool once with exactly workflow.input (its name and args unchanged); then report briefly and end your turn. The workflow runs every plan and its one notification arrives at the end: then run status.";
  if (v.stop.length > 0) return "Stop each stop item's agent now (its tool with its input); then run status again.";
  if (v.spawn.length > 0 && wakeUp) return `Start every spawn item now with the Agent tool, agentInput unchanged, all in one message; then ${WAKE_UP_STEP}.`;
  if (v.spawn.length > 0)
    return "Start every spawn item now with the Agent tool, agentInput unchanged, all in one message; then report briefly and end your turn.";
  if (v.resume && wakeUp) return `Every remaining plan waits on a limit until ${v.resume.at}: start nothing now; ${WAKE_UP_STEP}.`;
  if (v.resume)
    return `Every remaining plan waits on a limit until ${v.resume.at}: start nothing now. With the ScheduleWakeup tool, schedule a wake-up in ${wakeDelaySeconds(v.resume.inSeconds)} s whose prompt runs status again; without it, tell the user to run /gsd:status at ${v.resume.at}. Then end your turn.`;
  switch (v.outcome) {
    case "done":
      return `The phase is complete: tell the user.${wakes ? END_WAKE_UP : ""}`;
    case "stopped":
      return `Nothing more can run without the user: report each problem and each plan that needs a person, then stop.${wakes ? END_WAKE_UP : ""}`;
    case "idle":
      return "No run has been started for this phase.";
    case "in-progress":
      if (v.run?.engine === "workflow" && !wait)
        return "The workflow runs the plans: say what runs and end your turn; when the workflow's notification arrives, run status again.";
      if (wakeUp) return `Agents are still running: say in one line what runs, then ${WAKE_UP_STEP}.`;
      return wait
        ? "Agents are still running: run status --wait again."
        : "Agents are running: say what runs and end your turn; each agent's notification will arrive.";
  }
}

export function briefView(
  v: StatusView,
  o: {
    command: "start" | "status";
    mode: "yolo" | "interactive";
    dryRun?: boolean;
    wait?: boolean;
    /** A non-blocking `--wait`: the wake-up to schedule while the run is in progress. */
    wakeUp?: WakeUp;
    /** This Claude Code wakes a conversation up: a finished run ends any pending wake-up. */
    wakes?: boolean;
  },
): BriefView {
  const more: NonNullable<BriefView["more"]> = {};
  const ids = (states: readonly string[]) => v.plans.filter((p) => states.includes(p.state));
  const out: BriefView = {
    command: o.command,
    mode: o.mode,
    outcome: v.outcome,
    phase: v.phase.dir,
    run: v.run?.run_id ?? null,
    engine: v.run?.engine ?? DEFAULT_ENGINE,
    cap: v.run?.max_concurrent ?? null,
    concurrency: v.concurrency,
    progress: { done: v.progress.done, total: v.progress.total },
    spawn: v.spawn.map((s) => ({ plan: s.plan, key: s.key, agentInput: s.agentInput })),
    running: capped(
      ids(["running", "starting", "stalled"]).map((p) => p.id),
      "running",
      more,
    ),
    stalled: ids(["stalled"])
      .slice(0, BRIEF_LIST_CAP)
      .map((p) => ({ id: p.id, minutes: p.stalledMinutes ?? 0 })),
    stop: v.stop.map((x) => ({ plan: x.plan, tool: x.tool, input: x.input })),
    waiting: capped(
      ids(["waiting", "queued", "limited"]).map((p) => ({ id: p.id, waitsFor: p.waitsFor.slice(0, 8) })),
      "waiting",
      more,
    ),
    problems: capped(
      ids(["failed", "interrupted", "blocked", "cancelled", "halted"]).map((p) => ({
        id: p.id,
        state: p.state,
        error: cut(p.error),
        blockedBy: p.blockedBy.slice(0, 8),
      })),
      "problems",
      more,
    ),
    needsPerson: capped(
      ids(["needs-person"]).map((p) => p.id),
      "needsPerson",
      more,
    ),
    next: nextStep(v, o.dryRun === true, o.wait === true, o.wakeUp !== undefined && v.outcome === "in-progress", o.wakes === true),
  };
  // A preview names the plans (running, waiting) but not the Workflow call: it is made from the real start.
  if (v.workflow && o.dryRun !== true) out.workflow = v.workflow;
  if (o.wakeUp !== undefined && v.outcome === "in-progress") out.wakeUp = o.wakeUp;
  if (v.resume) out.resume = v.resume;
  if (o.dryRun) out.dryRun = true;
  if (Object.keys(more).length > 0) out.more = more;
  if (v.budgetNote !== undefined) out.note = cut(v.budgetNote, 400) as string;
  return out;
}
