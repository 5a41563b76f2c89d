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
  const { root, settings } = opened.project;
  const run = flags.run !== undefined ? { runId: flags.run } : {};
  const ev: QueueEvent =
    kind === "spawned"
      ? { kind, plan, ...run, agentId: flags.agentId ?? "", ...(flags.outputFile !== undefined ? { outputFile: flags.outputFile } : {}) }
      : kind === "complete"
        ? { kind, plan, ...run }
        : { kind, plan, ...run, reason: flags.reason ?? "failed without a reason" };
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
  // The summary check is a hint in the output, not a decision: it is made after the transaction.
  const summary = e.plan_file ? expectedSummaryPath(e.plan_file) : undefined;
  const missing = kind === "complete" && summary !== undefined && !existsSync(join(root, summary));
  const warning = missing ? `${summary} does not exist: the plan is recorded as completed, but GSD expects a summary` : (outcome.note ?? null);
  if (flags.brief) io.out(briefOutput(RecordJson, { schemaVersion: JSON_SCHEMA_VERSION, command: kind, entry: e, warning }));
  else if (flags.json) io.out(jsonOutput(RecordJson, { schemaVersion: JSON_SCHEMA_VERSION, command: kind, entry: e, warning }));
  // The agent id and the note come from the command line or the plan: repeated bounded, on one line each.
  else
    io.out(
      `${echo(e.plan)}: ${e.status}${e.agent_id ? ` (agent ${echo(e.agent_id)})` : ""}${warning ? `\n${missing ? "warning" : "note"}: ${echo(warning, MESSAGE_LIMIT)}` : ""}\n`,
    );
  return "ok";
}
