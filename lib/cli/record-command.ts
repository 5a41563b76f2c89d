import { compareText } from "../core/common/compare-text";
import { RecordJson, jsonOutput } from "../json/queue-json";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import type { HistoryEntry } from "../core/queue/history-schema";
import { replaceEntry, transition } from "../core/queue/history-ops";
import { expectedSummaryPath } from "../core/plan/planning-tree";
import { type Transition, canTransition, isFinished } from "../core/queue/run-status";
import { updateHistory } from "../shell/history-store";
import { openProject } from "../shell/project";
import type { CommandResult } from "./commands";
import type { CommonOptions, Io } from "./context";
import { stateFailure } from "./state-failure";

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
  return matches.sort((a, b) => compareText(a.timestamp, b.timestamp) || a.attempt - b.attempt)[matches.length - 1];
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
      if (!e)
        return {
          history: h,
          result: {
            ok: false as const,
            message: `no entry for ${plan}${flags.run ? ` in run ${flags.run}` : ""} in agent-history.json (was it started with gsd-async start?)`,
          },
        };
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
      if (!canTransition(e.status, t))
        return {
          history: h,
          result: { ok: false as const, message: `cannot ${t} ${e.plan}: it is ${e.status}${isFinished(e.status) ? " (already finished)" : ""}` },
        };
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
  if (flags.json) io.out(jsonOutput(RecordJson, { schemaVersion: JSON_SCHEMA_VERSION, command: kind, entry: e, warning: warning ?? null }));
  else io.out(`${e.plan}: ${e.status}${e.agent_id ? ` (agent ${e.agent_id})` : ""}${warning ? `\nwarning: ${warning}` : ""}\n`);
  return "ok";
}
