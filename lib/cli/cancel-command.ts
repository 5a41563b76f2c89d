import { queueStep } from "../core/queue/queue-step";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { CancelJson, jsonOutput } from "../json/queue-json";
import { withQueueState } from "../shell/queue-state";
import type { CommandResult } from "./commands";
import { type CommonOptions, type Io, loadPhase } from "./context";
import { queueFacts } from "./queue-shared";

/**
 * `gsd-async cancel [PHASE] [--plan FILE]`: stops handing out work for the phase's run. Plans not
 * started become `cancelled` (a later `start` retries them); running agents are listed, since
 * only Claude Code can stop them (TaskStop with the agent id).
 */
export async function cancelCommand(io: Io, phase: string | undefined, flags: CommonOptions & { plan?: string }): Promise<CommandResult> {
  const loaded = loadPhase(io, flags, phase);
  if (!loaded.ok) return loaded.failure;
  const { project, analysis } = loaded;
  const facts = queueFacts(io, { root: project.root, analysis, settings: project.settings });
  const outcome = await withQueueState(project.root, (state) => {
    const r = queueStep(state, facts, { kind: "cancel", ...(flags.plan !== undefined ? { plan: flags.plan } : {}) });
    return { state: r.state, result: r.outcome };
  });
  if (outcome.kind === "no-run") return { kind: "usage", message: outcome.message };
  if (outcome.kind !== "cancelled") throw new Error(`cancel: unexpected outcome ${outcome.kind}`);
  if (flags.json) {
    io.out(
      jsonOutput(CancelJson, {
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "cancel",
        phase: analysis.phase,
        runId: outcome.runId,
        cancelled: outcome.cancelled,
        stillRunning: outcome.stillRunning,
      }),
    );
  } else {
    const lines = [`Run ${outcome.runId}: cancelled ${outcome.cancelled.length === 0 ? "nothing" : outcome.cancelled.join(", ")}.`];
    if (outcome.stillRunning.length > 0) {
      lines.push(
        `Still running (the queue cannot stop agents; in Claude Code use TaskStop with the agent id): ${outcome.stillRunning.map((r) => `${r.plan}${r.agentId ? ` (${r.agentId})` : ""}`).join(", ")}`,
      );
    }
    lines.push("Starting the phase again (/gsd:execute-phase-async, or `gsd-async start`) resumes the run and queues the cancelled plans again.");
    io.out(lines.join("\n") + "\n");
  }
  return "ok";
}
