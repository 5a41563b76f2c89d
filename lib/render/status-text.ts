import { unreachable } from "../core/common/unreachable";
import type { Style } from "./style";
import type { PlanStatusView, StatusView } from "../core/queue/status-view";
import type { RunRecord } from "../core/queue/history-schema";
import type { SpawnInstruction } from "../core/queue/spawn";
import { displayName as dn } from "../core/common/safe-name";
import { shellLine } from "../core/common/shell-quote";
import { echo } from "../core/common/echo";
import { readableMinutes } from "../core/queue/liveness";

const ICON: Record<PlanStatusView["state"], string> = {
  completed: "✓",
  running: "▶",
  stalled: "⧗",
  starting: "↗",
  queued: "·",
  waiting: "…",
  blocked: "⊘",
  failed: "✗",
  interrupted: "!",
  cancelled: "-",
  "needs-person": "⏸",
  "not-started": "○",
  halted: "■",
  superseded: "⊘",
  limited: "⏳",
};

function colour(s: Style, state: PlanStatusView["state"], text: string): string {
  if (state === "completed") return s.green(text);
  if (state === "failed" || state === "blocked" || state === "interrupted" || state === "halted") return s.red(text);
  if (state === "superseded") return s.dim(text);
  if (state === "running" || state === "starting") return s.cyan(text);
  if (state === "needs-person" || state === "limited" || state === "stalled") return s.yellow(text);
  return text;
}

export function renderSpawn(list: readonly SpawnInstruction[], s: Style): string[] {
  if (list.length === 0) return [];
  const out = [s.bold(`Start now (${list.length}), one background agent each (--json gives the exact Agent tool input):`)];
  for (const sp of list) out.push(`  ${dn(sp.plan)}  ${dn(sp.planFile)}  (run ${dn(sp.runId)}, attempt ${sp.attempt})`);
  return out;
}

/** A hand-out this old without an agent record deserves a hint (the hooks normally take seconds). */
const STALE_HAND_OUT_MS = 3 * 60_000;

function agentsLine(a: NonNullable<StatusView["agents"]>): string {
  switch (a.instructions) {
    case "agent-definition":
      return `${dn(a.subagentType)} (the plugin's agent type, with its own instructions)`;
    case "file":
      return `${a.subagentType}, told to read ${dn(a.file ?? "")}`;
    case "prompt":
      return `${a.subagentType}, with the instructions in each prompt`;
    default:
      return unreachable(a.instructions);
  }
}

/** The human view of `status`: progress, each plan with its state, and what to do next. */
export function renderStatus(v: StatusView, s: Style, now: string, opts: { newRunPreview?: boolean; peek?: boolean } = {}): string {
  const lines: string[] = [];
  const bar = "█".repeat(Math.round(v.progress.percent / 5)).padEnd(20, "░");
  lines.push(`${s.bold(`Phase ${dn(v.phase.name)}`)}  ${bar} ${v.progress.done}/${v.progress.total} (${v.progress.percent}%)`);
  const runLine = !v.run
    ? "no run started for this phase (gsd-async start)"
    : opts.newRunPreview
      ? `a new run would start: at most ${v.run.max_concurrent} at once (${v.run.strategy})`
      : `run ${v.run.run_id}, started ${v.run.started_at}, at most ${v.run.max_concurrent} at once (${v.run.strategy})`;
  lines.push(s.dim(runLine));
  if (v.run) lines.push(s.dim(`isolation: ${isolationLine(v.run)}`));
  if (v.run && v.agents) lines.push(s.dim(`agents: ${agentsLine(v.agents)}`));
  // Said only for the workflow engine, so the agents engine's view stays as it was.
  if (v.run?.engine === "workflow") lines.push(s.dim("engine: workflow (one Claude Code Workflow runs the plans and reports at its end)"));
  const c = v.concurrency;
  if (c && c.effective < c.cap)
    lines.push(s.yellow(`now at most ${c.effective} at once (of ${c.cap}) after limits${c.reason ? `: last ${echo(c.reason, 200)}` : ""}`));
  lines.push("");
  for (const p of v.plans) {
    const extra: string[] = [];
    if (p.minutes !== null) extra.push(`${p.minutes} min`);
    if (p.agentId) extra.push(`agent ${dn(p.agentId)}`);
    if (p.state === "waiting") extra.push(`waits for ${p.waitsFor.map(dn).join(", ")}`);
    if (p.state === "waiting" && p.needsPerson) extra.push("then needs a person (checkpoints)");
    if (p.state === "starting" && p.handedOutAt !== null && Date.parse(now) - Date.parse(p.handedOutAt) > STALE_HAND_OUT_MS) {
      extra.push(
        `handed out ${Math.round((Date.parse(now) - Date.parse(p.handedOutAt)) / 60000)} min ago, no agent recorded: if it was started, run \`${shellLine(["gsd-async", "spawned", p.file, "--agent-id"])} <id>\``,
      );
    }
    if (p.queuePosition !== null) extra.push(`#${p.queuePosition} in queue`);
    if (p.state === "stalled") extra.push(`no output for ${readableMinutes(p.stalledMinutes ?? 0)} min`);
    if (p.state === "blocked") extra.push(`blocked by ${p.blockedBy.map(dn).join(", ")}`);
    if (p.state === "needs-person") extra.push("has checkpoints: run it in the foreground");
    if (p.state === "halted") extra.push("its SUMMARY.md says halted: its dependents wait until a person decides");
    if (p.state === "superseded") extra.push("its SUMMARY.md says superseded: not run, blocks nothing");
    if (p.limit) extra.push(`${p.limit.kind.replace("_", " ")}: tried again from ${p.limit.retryAt}`);
    if (p.attempt !== null && p.attempt > 1) extra.push(`attempt ${p.attempt}`);
    if (p.error) extra.push(echo(p.error, 300));
    if (p.worktree !== undefined) extra.push(`worktree kept: ${dn(p.worktree)}`);
    lines.push(`  ${colour(s, p.state, `${ICON[p.state]} ${dn(p.id).padEnd(8)} ${p.state.padEnd(12)}`)} ${s.dim(extra.join(" · "))}`.trimEnd());
  }
  if (v.changes.length > 0) {
    lines.push("", s.bold(opts.peek ? "Would change on the next status (this look changed nothing)" : "Changed just now"));
    for (const c of v.changes) lines.push(`  ${dn(c.plan)}: ${c.transition} (${echo(c.reason, 300)})`);
  }
  if (v.stop.length > 0) {
    lines.push("", s.bold(`Stop now (${v.stop.length}): these agents stalled and their plans were queued again`));
    for (const x of v.stop) lines.push(`  ${dn(x.plan)}  ${x.tool} task_id ${dn(x.agentId)}`);
  }
  const spawn = renderSpawn(v.spawn, s);
  if (spawn.length > 0) lines.push("", ...spawn);
  if (v.budgetNote) lines.push("", s.yellow(`Budget: ${v.budgetNote}`));
  const next: Record<StatusView["outcome"], string> = {
    done: s.green("Phase complete."),
    "in-progress": "Work in progress: /gsd:status --wait in Claude Code (or `gsd-async status --wait`) follows it.",
    stopped: s.red(
      "Stopped: nothing can run without you (failed or blocked plans, or checkpoints). Fix them, then retry: /gsd:execute-phase-async in Claude Code, or `gsd-async start`.",
    ),
    idle: "Not started: /gsd:execute-phase-async in Claude Code, or `gsd-async start`, queues the phase.",
  };
  if (v.resume)
    lines.push(
      "",
      s.yellow(
        `Every remaining plan waits on a limit (${echo(v.resume.reason, 300)}). Try again at ${v.resume.at} (in ${v.resume.inSeconds} s): /gsd:status in Claude Code, or \`gsd-async status\`.`,
      ),
    );
  else lines.push("", next[v.outcome]);
  return lines.join("\n") + "\n";
}

function isolationLine(run: RunRecord): string {
  return run.isolation === "worktree"
    ? `worktree (each plan in its own git worktree under ${dn(run.repo_top ?? "")}/.gsd-worktrees, merged into gsd/<phase>/integration)`
    : "shared (one working tree for every agent)";
}
