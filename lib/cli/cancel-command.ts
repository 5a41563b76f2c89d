import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { cancelRun } from "../core/queue/cancel";
import { activeRun } from "../core/queue/history-ops";
import { CancelJson, jsonOutput } from "../json/queue-json";
import { updateHistory } from "../shell/history-store";
import type { CommandResult } from "./commands";
import { type CommonOptions, type Io, loadPhase } from "./context";
import { stateFailure } from "./state-failure";

/**
 * `gsd-async cancel [PHASE] [--plan FILE]`: stops handing out work for the phase's run. Plans not
 * started become `cancelled` (a later `start` retries them); running agents are listed, since
 * only Claude Code can stop them (TaskStop with the agent id).
 */
export async function cancelCommand(io: Io, phase: string | undefined, flags: CommonOptions & { plan?: string }): Promise<CommandResult> {
  const loaded = loadPhase(io, flags, phase);
  if (!loaded.ok) return loaded.failure;
  const { project, analysis } = loaded;
  const now = io.now().toISOString();
  let result;
  try {
    result = await updateHistory(project.root, (h) => {
      const run = activeRun(h, analysis.phase.dir);
      if (!run) return { history: h, result: undefined };
      const r = cancelRun(h, run.run_id, now, flags.plan);
      return { history: r.history, result: { runId: run.run_id, cancelled: r.cancelled, stillRunning: r.stillRunning } };
    });
  } catch (err) {
    return stateFailure(err);
  }
  if (!result) return { kind: "usage", message: `no active run in ${analysis.phase.dir}: nothing to cancel` };
  if (flags.json) {
    io.out(
      jsonOutput(CancelJson, {
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "cancel",
        phase: analysis.phase,
        runId: result.runId,
        cancelled: result.cancelled,
        stillRunning: result.stillRunning,
      }),
    );
  } else {
    const lines = [`Run ${result.runId}: cancelled ${result.cancelled.length === 0 ? "nothing" : result.cancelled.join(", ")}.`];
    if (result.stillRunning.length > 0) {
      lines.push(
        `Still running (the queue cannot stop agents; in Claude Code use TaskStop with the agent id): ${result.stillRunning.map((r) => `${r.plan}${r.agentId ? ` (${r.agentId})` : ""}`).join(", ")}`,
      );
    }
    lines.push("`gsd-async start` resumes the run and queues the cancelled plans again.");
    io.out(lines.join("\n") + "\n");
  }
  return "ok";
}
