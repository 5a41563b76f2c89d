import { existsSync } from "node:fs";
import { join } from "node:path";
import { queueStep } from "../core/queue/queue-step";
import type { QueueEvent } from "../core/queue/queue-event";
import { MESSAGE_LIMIT, bounded, echo } from "../core/common/echo";
import { expectedSummaryPath } from "../core/plan/planning-tree";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { RecordJson, briefOutput, jsonOutput } from "../json/queue-json";
import { openProject } from "../shell/project";
import { withQueueState } from "../shell/queue-state";
import type { CommandResult } from "./commands";
import type { CommonOptions, Io } from "./context";
import { queueFacts } from "./queue-shared";
import { readHistory } from "../shell/history-store";
import { findEntry } from "../core/queue/record";
import type { History, HistoryEntry, RunRecord } from "../core/queue/history-schema";
import { runEntries } from "../core/queue/history-ops";
import { isWorktreeRun, mergeCompletedPlan } from "../shell/repo/worktree-run";
import { land } from "./worktree-step";
import { WORKTREES_DIR } from "../core/repo/worktree-names";
import { queueRootFor } from "../shell/repo/queue-root";

export interface RecordFlags extends CommonOptions {
  run?: string;
  agentId?: string;
  outputFile?: string;
  reason?: string;
  brief?: boolean;
}

/** `spawned`, `complete`, `fail`: record what happened to one plan, in one queue transaction. */
export async function recordCommand(io: Io, kind: "spawned" | "complete" | "fail", plan: string, flags: RecordFlags): Promise<CommandResult> {
  const opened = openProject(flags.cwd ?? io.cwd);
  if (!opened.ok) return { kind: "noProject", message: opened.reason };
  const { settings } = opened.project;
  // Run from a plan's worktree without `--cwd`: the queue's state is in the main checkout's project.
  const root = opened.project.root.includes(`/${WORKTREES_DIR}/`) ? await queueRootFor(opened.project.root) : opened.project.root;
  const run = flags.run !== undefined ? { runId: flags.run } : {};
  const ev: QueueEvent =
    kind === "spawned"
      ? { kind, plan, ...run, agentId: flags.agentId ?? "", ...(flags.outputFile !== undefined ? { outputFile: flags.outputFile } : {}) }
      : kind === "complete"
        ? { kind, plan, ...run }
        : { kind, plan, ...run, reason: flags.reason ?? "failed without a reason", summaryExists: summaryExists(root, plan, flags.run) };
  // Worktree mode: the plan's branch is merged first (outside the state lock, under the
  // repository lock); the step then records what the merge did.
  const wt = kind === "complete" ? worktreeRunOf(readHistory(root).history, plan, flags.run, root) : undefined;
  if (ev.kind === "complete" && wt) ev.merge = await mergeCompletedPlan(wt.run, wt.entry.plan, (t) => io.err(t));
  const facts = queueFacts(io, { root, settings });
  const outcome = await withQueueState(
    root,
    (state) => {
      const r = queueStep(state, facts, ev);
      return { state: r.state, result: r.outcome };
    },
    { onWait: (m) => io.err(`gsd-async: ${m}\n`) },
  );
  if (outcome.kind === "unknown" || outcome.kind === "illegal") {
    io.err(`gsd-async: ${bounded(outcome.message, MESSAGE_LIMIT)}\n`);
    return "problems";
  }
  if (outcome.kind !== "recorded" && outcome.kind !== "unchanged") throw new Error(`${kind}: unexpected outcome ${outcome.kind}`);
  const e = outcome.entry;
  const mergeFailed = ev.kind === "complete" && ev.merge !== undefined && e.status === "failed";
  if (wt && ranOut(readHistory(root).history, wt.run.run_id)) await land(io, wt.run);
  // The summary check is a hint in the output, not a decision: it is made after the transaction.
  const summary = e.plan_file ? expectedSummaryPath(e.plan_file) : undefined;
  // In worktree mode the summary reaches the project when the run lands: it was merged, or the merge failed.
  const missing = kind === "complete" && !wt && summary !== undefined && !existsSync(join(root, summary));
  const warning = missing ? `${summary} does not exist: the plan is recorded as completed, but GSD expects a summary` : (outcome.note ?? null);
  if (flags.brief) io.out(briefOutput(RecordJson, { schemaVersion: JSON_SCHEMA_VERSION, command: kind, entry: e, warning }));
  else if (flags.json) io.out(jsonOutput(RecordJson, { schemaVersion: JSON_SCHEMA_VERSION, command: kind, entry: e, warning }));
  // The agent id and the note come from the command line or the plan: repeated bounded, on one line each.
  else
    io.out(
      `${echo(e.plan)}: ${e.status}${e.agent_id ? ` (agent ${echo(e.agent_id)})` : ""}${mergeFailed && e.error ? `: ${echo(e.error, MESSAGE_LIMIT)}` : ""}${warning ? `\n${missing ? "warning" : "note"}: ${echo(warning, MESSAGE_LIMIT)}` : ""}\n`,
    );
  // The plan was to complete, and its merge made it fail instead: the work asked for did not happen.
  return mergeFailed ? "problems" : "ok";
}

/** The plan's entry and its run, when the run is in worktree mode and the plan not yet completed (so there is a branch to merge). */
function worktreeRunOf(h: History, plan: string, runId: string | undefined, root: string): { run: RunRecord; entry: HistoryEntry } | undefined {
  const entry = findEntry(h.entries, plan, runId, root);
  const run = entry ? h.runs.find((r) => r.run_id === entry.run_id) : undefined;
  return entry && entry.status !== "completed" && isWorktreeRun(run) ? { run, entry } : undefined;
}

/** Whether the plan's SUMMARY.md is in the project now (read before the transaction: a hint the step records). */
function summaryExists(root: string, plan: string, runId: string | undefined): boolean {
  const entry = findEntry(readHistory(root).history.entries, plan, runId, root);
  const summary = entry?.plan_file ? expectedSummaryPath(entry.plan_file) : undefined;
  return summary !== undefined && existsSync(join(root, summary));
}

/** Every plan of the run is completed: nothing is left to merge, so the run lands now. */
function ranOut(h: History, runId: string): boolean {
  const entries = runEntries(h, runId);
  return entries.length > 0 && entries.every((e) => e.status === "completed");
}
