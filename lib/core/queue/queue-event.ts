import type { Ledger } from "../budget/budget-schema";
import type { TokenEstimate } from "../budget/token-estimate";
import type { PhaseAnalysis } from "../graph/analysis";
import type { Strategy } from "../schedule/scheduler";
import type { StallPolicy } from "../plan/config";
import type { History, ProcessInfo } from "./history-schema";
import type { LimitKind } from "./limit-kind";
import type { Isolation } from "../repo/isolation";
import type { MergeOutcome } from "../repo/merge-outcome";
import type { Engine } from "../workflow/engine";
import type { WorkflowAgent, WorkflowReport } from "../workflow/workflow-report";
import type { AgentChoice } from "./agent-kind";

/** Everything the queue keeps: the history and, when the project has one, the token ledger. */
export interface QueueState {
  history: History;
  ledger: Ledger | null;
}

/** What was seen of one spawned agent outside the lock, before the step (see liveness.ts). */
export interface AgentEvidence {
  /** The Claude Code process the agent lives in: running, gone, or not known (another host, not recorded). */
  process: "alive" | "dead" | "unknown";
  /** Minutes since the agent's output or transcript file last changed; undefined when there is none. */
  outputIdleMinutes?: number;
}

/** Facts the shell gathered before the step: the step itself reads no file, clock or process. */
export interface QueueFacts {
  now: string;
  /** The Claude Code session making this call (CLAUDE_CODE_SESSION_ID), when known. */
  sessionId: string | null;
  /** The Claude Code process making this call, when it is one. */
  process: ProcessInfo | null;
  /** The phase, analysed outside the lock (start, status, cancel). */
  analysis?: PhaseAnalysis;
  /** Evidence about spawned agents, by agent id (or `run/plan#attempt` for an entry without one). */
  evidence: ReadonlyMap<string, AgentEvidence>;
  /** Token estimates of unfinished plans, by plan id (only needed with a ledger). */
  estimates: ReadonlyMap<string, TokenEstimate>;
  projectRoot: string;
  /** argv that runs this helper, for the commands written into agent prompts. */
  helper: readonly string[];
  /** Which agent type hand-outs use: the plugin's executor where the helper runs from the plugin, a requested fallback. */
  agent: AgentChoice;
  settings: { maxConcurrent: number; includeCheckpoints: boolean; engine?: Engine };
  /** What ended workflows of this session returned (workflows/run-phase.js), read from Claude Code's saved runs. */
  workflowReports?: readonly WorkflowReport[];
  /** Workflow agents that have started, from the workflows' journals: their plans are running. */
  workflowAgents?: readonly WorkflowAgent[];
  /** A hand-out that no agent claimed is offered again after this long when no hook is known to guard it. */
  leaseMinutes: number;
  /** A spawned agent with no process evidence and no news for this long is interrupted. */
  staleMinutes: number;
  /** A spawned agent whose SUMMARY.md exists but whose output has not moved for this long is complete. */
  settleMinutes: number;
  /** When a live agent counts as stalled and whether it is restarted; the defaults when absent. */
  stall?: StallPolicy;
  /** Names of `parallelization.exclusive`: the shared commands the agent prompts list. */
  exclusive?: readonly string[];
}

export type { AgentKind } from "./agent-kind";

export interface StartOptions {
  /** Only the flags the user gave: an active run keeps its settings for the rest. */
  maxConcurrent?: number;
  strategy?: Strategy;
  includeCheckpoints?: boolean;
  engine?: Engine;
  /** Plan files of a single-plan run; absent for the whole phase. */
  scope?: string[];
  newRunId: string;
  /** How a new run's agents share the repository (an active run keeps its own). */
  isolation?: Isolation;
  /** Worktree mode: the repository's top directory (found by the shell). */
  repoTop?: string;
}

/** Something that happened, or was asked for. Every change to the queue is one of these. */
export type QueueEvent =
  | { kind: "start"; options: StartOptions }
  | { kind: "status" }
  | { kind: "spawned"; plan: string; runId?: string; agentId: string; outputFile?: string }
  /** `merge`: in worktree mode, what merging the plan's branch did (the shell merged it before the step). */
  | { kind: "complete"; plan: string; runId?: string; merge?: MergeOutcome }
  /** `summaryExists`: the shell found the plan's SUMMARY.md in the project as the failure was reported. */
  | { kind: "fail"; plan: string; runId?: string; reason: string; summaryExists?: boolean }
  | { kind: "cancel"; plan?: string }
  | { kind: "hook-pre-agent"; runId: string; planFile: string; attempt?: number }
  | { kind: "hook-spawned"; runId: string; planFile: string; agentId: string; outputFile: string | null }
  | { kind: "hook-limited"; agentId: string; limit: LimitKind; message: string }
  /** `awaitClaim`: an agent unknown yet may be a claim whose id PostToolUse has not recorded (a StopFailure's race). */
  | {
      kind: "hook-stopped";
      agentId: string;
      lastMessage: string | null;
      summaryPresent: boolean;
      marker?: { runId: string; planFile: string };
      awaitClaim?: true;
    };

export type QueueEventKind = QueueEvent["kind"];
