import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { jsonOutput } from "../json/queue-json";
import { WorktreeJson } from "../json/repo-json";
import { STATUS } from "../core/queue/run-status";
import { findEntry } from "../core/queue/record";
import { runEntries } from "../core/queue/history-ops";
import { WORKTREES_DIR } from "../core/repo/worktree-names";
import { readHistory } from "../shell/history-store";
import { openProject } from "../shell/project";
import { queueRootFor } from "../shell/repo/queue-root";
import { isWorktreeRun, makePlanWorktree } from "../shell/repo/worktree-run";
import { echo } from "../core/common/echo";
import { planWorktree } from "../core/queue/plan-worktree";
import type { CommandResult } from "./commands";
import type { CommonOptions, Io } from "./context";

export interface WorktreeFlags extends CommonOptions {
  run?: string;
}

/**
 * `gsd-async worktree <plan> --run <id>`: makes (or finds) the worktree of a plan that is running
 * in a worktree-mode run, and prints where it is. The workflow engine's agents run it first, since
 * their script starts them without the helper's hand-out, which makes the worktree in the agents
 * engine. Refused (exit 1, nothing made) while a prerequisite of the plan in this run has not
 * completed: its branch would miss that prerequisite's merged work.
 */
export async function worktreeCommand(io: Io, plan: string, flags: WorktreeFlags): Promise<CommandResult> {
  const opened = openProject(flags.cwd ?? io.cwd);
  if (!opened.ok) return { kind: "noProject", message: opened.reason };
  const root = opened.project.root.includes(`/${WORKTREES_DIR}/`) ? await queueRootFor(opened.project.root) : opened.project.root;
  const h = readHistory(root).history;
  const entry = findEntry(h.entries, plan, flags.run, root);
  if (!entry) return { kind: "usage", message: `no queue entry for ${echo(plan)}${flags.run ? ` in run ${echo(flags.run)}` : ""}` };
  const run = h.runs.find((r) => r.run_id === entry.run_id);
  if (!isWorktreeRun(run)) return { kind: "usage", message: `run ${entry.run_id} is not in worktree mode: ${entry.plan} works in the project itself` };
  const refuse = (why: string): CommandResult => {
    io.err(`gsd-async: ${entry.plan}: ${why}\n`);
    return "problems";
  };
  if (!STATUS[entry.status].live) return refuse(`it is ${entry.status}, not running: no worktree was made`);
  const pending = runEntries(h, run.run_id).filter((e) => entry.depends_on.includes(e.plan) && e.status !== "completed");
  if (pending.length > 0) return refuse(`${pending.map((e) => `${e.plan} (${e.status})`).join(", ")} must complete first: no worktree was made`);
  let made: Awaited<ReturnType<typeof makePlanWorktree>>;
  try {
    made = await makePlanWorktree(run, entry.plan);
  } catch (err) {
    return refuse(`could not make its worktree: ${(err as Error).message.replace(/\s+/g, " ").slice(0, 300)}`);
  }
  // The same path as the prompt's Project: line.
  const project = planWorktree(run, run.phase_dir, entry.plan, root).project;
  if (flags.json)
    io.out(
      jsonOutput(WorktreeJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "worktree", plan: entry.plan, project, branch: made.branch, base: made.base }),
    );
  else io.out(`${entry.plan}: worktree ${project} on branch ${made.branch}\n`);
  return "ok";
}
