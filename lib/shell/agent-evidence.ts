import type { History } from "../core/queue/history-schema";
import { evidenceKey } from "../core/queue/liveness";
import type { AgentEvidence } from "../core/queue/queue-event";
import { idleMinutes, processState } from "./process-identity";

/**
 * Looks at every spawned agent of the history from outside the lock: is its Claude Code process
 * still running, and when did its output file last change. The step decides what that means.
 */
export function gatherEvidence(h: History, nowMs: number): Map<string, AgentEvidence> {
  const out = new Map<string, AgentEvidence>();
  for (const e of h.entries) {
    // A workflow's claim lives in the process that runs the workflow: its end releases the claim.
    if (e.status !== "spawned" && !(e.status === "dispatched" && e.workflow_launch != null)) continue;
    const ev: AgentEvidence = { process: e.agent_process ? processState(e.agent_process) : "unknown" };
    const idle = e.output_file ? idleMinutes(e.output_file, nowMs) : undefined;
    if (idle !== undefined) ev.outputIdleMinutes = idle;
    out.set(evidenceKey(e), ev);
  }
  return out;
}
