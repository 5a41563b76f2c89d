import { compareText } from "../common/compare-text";
import { expectedSummaryPath } from "../plan/planning-tree";
import type { History, HistoryEntry } from "./history-schema";
import { planKey, replaceEntry, runEntries, transition } from "./history-ops";
import type { QueueEvent, QueueFacts } from "./queue-event";
import type { MergeOutcome } from "../repo/merge-outcome";
import { STATUS, type Transition, canTransition } from "./run-status";
import { LIMIT_WORDS } from "./limit-kind";
import { backoffSeconds } from "../schedule/concurrency-backoff";
import { mergeEffect } from "../repo/merge-outcome";

/** What a recording event did: the entry as it now is, or why nothing was recorded. */
export type RecordOutcome =
  | { kind: "recorded"; history: History; entry: HistoryEntry; transition: Transition | null; note?: string }
  | { kind: "unchanged"; entry: HistoryEntry; note: string }
  | { kind: "refused"; message: string; entry?: HistoryEntry }
  /** `awaiting`: some agent of the queue is claimed but not yet linked, so the agent may be that one. */
  | { kind: "unknown"; message: string; awaiting?: true };

/** The plan's entry named by plan file, id or agent id: in the given run, else the newest run that has it; latest attempt. */
export function findEntry(entries: readonly HistoryEntry[], plan: string, runId?: string, root?: string): HistoryEntry | undefined {
  const norm = plan.replace(/\\/g, "/").replace(/^\.\//, "");
  const rel = root && norm.startsWith(root.replace(/\\/g, "/") + "/") ? norm.slice(root.length + 1) : norm;
  const matches = entries.filter((e) => (runId === undefined || e.run_id === runId) && (e.plan_file === rel || e.plan === rel || e.agent_id === rel));
  return matches.sort((a, b) => compareText(a.timestamp, b.timestamp) || a.attempt - b.attempt)[matches.length - 1];
}

const noEntry = (ev: { plan: string; runId?: string }): RecordOutcome => ({
  kind: "unknown",
  message: `no entry for ${ev.plan}${ev.runId ? ` in run ${ev.runId}` : ""} in the queue (was it started with gsd-async start?)`,
});

const entryOfRun = (h: History, runId: string, planFile: string) => runEntries(h, runId).find((e) => planKey(e) === planFile);

function record(h: History, e: HistoryEntry, t: Transition | null, f: QueueFacts, patch: Partial<HistoryEntry>, note?: string): RecordOutcome {
  const next = t === null ? { ...e, ...patch } : transition(e, t, f.now, patch);
  const out: RecordOutcome = { kind: "recorded", history: replaceEntry(h, next, e), entry: next, transition: t };
  if (note !== undefined) out.note = note;
  return out;
}

/** The agent of an entry, once known, is never replaced by another: a second Agent call must not re-link a plan. */
function linkAgent(h: History, e: HistoryEntry, agentId: string, outputFile: string | null, f: QueueFacts): RecordOutcome {
  if (e.agent_id !== null && e.agent_id !== agentId && STATUS[e.status].live) {
    return { kind: "refused", message: `${e.plan} already runs as agent ${e.agent_id}; agent ${agentId} was not linked to it`, entry: e };
  }
  const patch: Partial<HistoryEntry> = { agent_id: agentId, agent_process: f.process ?? e.agent_process ?? null };
  if (outputFile !== null) patch.output_file = outputFile;
  if (f.sessionId) patch.session_id = f.sessionId;
  if (e.status === "queued" || e.status === "dispatched") return record(h, e, "spawn", f, patch);
  if (e.status === "spawned") return record(h, e, null, f, patch);
  return { kind: "unchanged", entry: e, note: `${e.plan} is already ${e.status}` };
}

/**
 * Worktree mode's `complete`: the merge decides. Merged (or nothing to merge) completes the plan;
 * a conflict or uncommitted work fails it with the files, branch and worktree kept on its entry,
 * so its dependents are blocked and nothing else is.
 */
function recordMerge(h: History, e: HistoryEntry, f: QueueFacts, merge: MergeOutcome): RecordOutcome {
  const effect = mergeEffect(merge);
  if (effect.transition === "complete") {
    const note = e.status === "spawned" || e.status === "dispatched" ? undefined : `accepted from its agent although it was ${e.status}`;
    return record(h, e, "complete", f, effect.patch, note);
  }
  const patch = { ...effect.patch, error: effect.error };
  if (e.status === "failed") return record(h, e, null, f, patch, effect.error);
  if (!canTransition(e.status, "fail")) return { kind: "refused", message: `cannot fail ${e.plan}: it is ${e.status}`, entry: e };
  return record(h, e, "fail", f, patch, effect.error);
}

export function recordEvent(
  h: History,
  f: QueueFacts,
  ev: Extract<QueueEvent, { kind: "spawned" | "complete" | "fail" | "hook-pre-agent" | "hook-spawned" | "hook-stopped" | "hook-limited" }>,
): RecordOutcome {
  switch (ev.kind) {
    case "spawned": {
      const e = findEntry(h.entries, ev.plan, ev.runId, f.projectRoot);
      if (!e) return noEntry(ev);
      if (!STATUS[e.status].live && e.status !== "queued") return { kind: "refused", message: `${e.plan} is ${e.status}, not queued or spawned`, entry: e };
      return linkAgent(h, e, ev.agentId, ev.outputFile ?? null, f);
    }
    case "complete": {
      const e = findEntry(h.entries, ev.plan, ev.runId, f.projectRoot);
      if (!e) return noEntry(ev);
      // An agent writes its SUMMARY.md before it runs `complete`; a `status` in between may already have completed it.
      if (e.status === "completed") return { kind: "unchanged", entry: e, note: `${e.plan} was already recorded as completed` };
      if (ev.merge !== undefined) return recordMerge(h, e, f, ev.merge);
      return record(
        h,
        e,
        "complete",
        f,
        {},
        e.status === "spawned" || e.status === "dispatched" ? undefined : `accepted from its agent although it was ${e.status}`,
      );
    }
    case "fail": {
      const e = findEntry(h.entries, ev.plan, ev.runId, f.projectRoot);
      if (!e) return noEntry(ev);
      const error = ev.reason.slice(0, 2000);
      const patch = { error, ...(ev.summaryExists === true ? { summary_at_failure: true } : {}) };
      if (e.status === "failed") return record(h, e, null, f, patch);
      if (!canTransition(e.status, "fail")) return { kind: "refused", message: `cannot fail ${e.plan}: it is ${e.status} (already finished)`, entry: e };
      return record(h, e, "fail", f, patch);
    }
    case "hook-pre-agent": {
      const e = entryOfRun(h, ev.runId, ev.planFile);
      if (!e) return { kind: "unknown", message: `no entry for ${ev.planFile} in run ${ev.runId}` };
      if (ev.attempt !== undefined && ev.attempt !== e.attempt)
        return { kind: "refused", message: `attempt ${ev.attempt} of ${e.plan} is over; attempt ${e.attempt} is ${e.status}`, entry: e };
      if (e.status === "spawned")
        return { kind: "refused", message: `${e.plan} already has an agent${e.agent_id ? ` (${e.agent_id})` : " starting"}: do not start it again`, entry: e };
      if (e.status !== "dispatched")
        return { kind: "refused", message: `${e.plan} is ${e.status}, not handed out: start only what status hands out`, entry: e };
      return record(h, e, "spawn", f, { agent_process: f.process, ...(f.sessionId ? { session_id: f.sessionId } : {}) });
    }
    case "hook-spawned": {
      const e = entryOfRun(h, ev.runId, ev.planFile);
      if (!e) return { kind: "unknown", message: `no entry for ${ev.planFile} in run ${ev.runId}` };
      return linkAgent(h, e, ev.agentId, ev.outputFile, f);
    }
    case "hook-limited": {
      const e = h.entries.find((x) => x.agent_id === ev.agentId);
      if (!e) {
        // Claude Code runs StopFailure and the Agent call's PostToolUse side by side: an agent that
        // failed at once can be reported before its id is recorded. The shell asks again shortly.
        const claimed = h.entries.some((x) => x.status === "spawned" && x.agent_id === null);
        return { kind: "unknown", message: `agent ${ev.agentId} is not one of gsd-async's`, ...(claimed ? { awaiting: true as const } : {}) };
      }
      if (!canTransition(e.status, "limit")) return { kind: "unchanged", entry: e, note: `${e.plan} already ${e.status}` };
      const run = h.runs.find((r) => r.run_id === e.run_id);
      // The next try waits out the back-off of the run's limits in a row, this one included.
      const wait = backoffSeconds((run?.throttle?.limitsInARow ?? 0) + 1);
      const retryAt = new Date(Date.parse(f.now) + wait * 1000).toISOString();
      const limited = { kind: ev.limit, at: f.now, message: ev.message, retry_at: retryAt };
      return record(h, e, "limit", f, { limited }, `${e.plan} met a ${LIMIT_WORDS[ev.limit]}: queued again, not before ${retryAt}`);
    }
    case "hook-stopped": {
      let e = h.entries.find((x) => x.agent_id === ev.agentId);
      let history = h;
      // Stopped before PostToolUse linked it: its transcript's first message names the plan.
      if (!e && ev.marker) {
        const claimed = entryOfRun(h, ev.marker.runId, ev.marker.planFile);
        if (claimed && (claimed.agent_id === null || claimed.agent_id === ev.agentId)) {
          const linked = linkAgent(h, claimed, ev.agentId, null, f);
          if (linked.kind === "recorded") {
            history = linked.history;
            e = linked.entry;
          }
        }
      }
      if (!e) {
        // A StopFailure has no transcript to name its plan: it may be a claim whose id is not recorded yet, so the shell asks again shortly.
        const claimed = ev.awaitClaim === true && h.entries.some((x) => x.status === "spawned" && x.agent_id === null);
        return { kind: "unknown", message: `agent ${ev.agentId} is not one of gsd-async's`, ...(claimed ? { awaiting: true as const } : {}) };
      }
      if (e.status !== "spawned") return { kind: "unchanged", entry: e, note: `${e.plan} already ${e.status}` };
      // A summary written before an earlier reported failure proves nothing (advance.ts reconcile).
      if (ev.summaryPresent && e.summary_at_failure !== true) return record(history, e, "complete", f, {}, "its agent stopped and its SUMMARY.md exists");
      const last = (ev.lastMessage ?? "").replace(/\s+/g, " ").trim().slice(0, 300);
      const summary = e.plan_file ? expectedSummaryPath(e.plan_file) : "its SUMMARY.md";
      const error = `agent stopped without reporting and without ${summary}${last ? `; its last words: ${last}` : ""}`;
      return record(history, e, "fail", f, { error });
    }
  }
}
