import { unreachable } from "../common/unreachable";
import type { Diagnostic } from "../common/diagnostic";
import { advance } from "./advance";
import { cancelRun } from "./cancel";
import type { History, HistoryEntry } from "./history-schema";
import { activeRun, retain } from "./history-ops";
import type { QueueEvent, QueueFacts, QueueState } from "./queue-event";
import { type RecordOutcome, recordEvent } from "./record";
import type { StatusView } from "./status-view";
import { updateThrottles } from "./throttle-step";

/** What one event did. The shell writes `state` (when it changed) and renders the rest. */
export type StepOutcome =
  | { kind: "advanced"; view: StatusView }
  | { kind: "refused"; reasons: string[]; diagnostics: Diagnostic[] }
  | { kind: "recorded"; entry: HistoryEntry; note?: string }
  | { kind: "unchanged"; entry: HistoryEntry; note: string }
  /** The event names something the queue does not have (a plan, an agent, a run). */
  | { kind: "unknown"; message: string; awaiting?: true }
  /** The event asks for a change the state machine does not allow. */
  | { kind: "illegal"; message: string; entry?: HistoryEntry }
  | { kind: "cancelled"; runId: string; cancelled: string[]; stillRunning: { plan: string; agentId: string | null }[] }
  | { kind: "no-run"; message: string };

export interface StepResult {
  state: QueueState;
  outcome: StepOutcome;
}

/** A hook reported on this run: hand-outs can be re-offered, since the hooks refuse a second agent. */
function markHooksSeen(h: History, runId: string): History {
  const run = h.runs.find((r) => r.run_id === runId);
  if (!run || run.hooks_seen === true) return h;
  return { ...h, runs: h.runs.map((r) => (r === run ? { ...r, hooks_seen: true } : r)) };
}

function fromRecord(state: QueueState, r: RecordOutcome, hookRun?: string): StepResult {
  switch (r.kind) {
    case "recorded": {
      const history = hookRun ? markHooksSeen(r.history, hookRun) : r.history;
      return {
        state: { ...state, history },
        outcome: r.note === undefined ? { kind: "recorded", entry: r.entry } : { kind: "recorded", entry: r.entry, note: r.note },
      };
    }
    case "unchanged": {
      const history = hookRun ? markHooksSeen(state.history, hookRun) : state.history;
      return { state: { ...state, history }, outcome: { kind: "unchanged", entry: r.entry, note: r.note } };
    }
    case "refused": {
      const history = hookRun ? markHooksSeen(state.history, hookRun) : state.history;
      return {
        state: { ...state, history },
        outcome: r.entry ? { kind: "illegal", message: r.message, entry: r.entry } : { kind: "illegal", message: r.message },
      };
    }
    case "unknown":
      return { state, outcome: { kind: "unknown", message: r.message, ...(r.awaiting ? { awaiting: r.awaiting } : {}) } };
    default:
      return unreachable(r);
  }
}

/**
 * The queue's one step: `(state, facts, event) -> (state, outcome)`. Every status change,
 * hand-out, scope check, cap change and budget outcome is decided here, on the state read under
 * the lock; the shell only gathers facts before and writes after. Pure.
 */
export function queueStep(state: QueueState, facts: QueueFacts, ev: QueueEvent): StepResult {
  const out = stepOnce(state, facts, ev);
  const history = out.state.history === state.history ? out.state.history : updateThrottles(state.history, out.state.history);
  return { ...out, state: { ...out.state, history: retain(history) } };
}

function stepOnce(state: QueueState, facts: QueueFacts, ev: QueueEvent): StepResult {
  switch (ev.kind) {
    case "start":
    case "status": {
      const r = advance(state, facts, ev);
      if (r.kind === "refused") return { state, outcome: { kind: "refused", reasons: r.reasons, diagnostics: r.diagnostics } };
      return { state: r.state, outcome: { kind: "advanced", view: r.view } };
    }
    case "cancel": {
      const a = facts.analysis;
      if (!a) throw new Error("cancel needs the phase analysis");
      const run = activeRun(state.history, a.phase.dir);
      if (!run) return { state, outcome: { kind: "no-run", message: `no active run in ${a.phase.dir}: nothing to cancel` } };
      const r = cancelRun(state.history, run.run_id, facts.now, ev.plan);
      return {
        state: { ...state, history: r.history },
        outcome: { kind: "cancelled", runId: run.run_id, cancelled: r.cancelled, stillRunning: r.stillRunning },
      };
    }
    case "spawned":
    case "complete":
    case "fail":
      return fromRecord(state, recordEvent(state.history, facts, ev));
    case "hook-pre-agent":
    case "hook-spawned":
      return fromRecord(state, recordEvent(state.history, facts, ev), ev.runId);
    case "hook-limited":
    case "hook-stopped": {
      const r = recordEvent(state.history, facts, ev);
      return fromRecord(state, r, r.kind === "recorded" || r.kind === "unchanged" ? r.entry.run_id : undefined);
    }
    default:
      return unreachable(ev);
  }
}
