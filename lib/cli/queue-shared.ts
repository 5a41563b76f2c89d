import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { History } from "../core/queue/history-schema";
import type { AgentKind, QueueFacts } from "../core/queue/queue-event";
import type { Strategy } from "../core/schedule/scheduler";
import { calibration, estimateTokens } from "../core/budget/token-estimate";
import type { Ledger } from "../core/budget/budget-schema";
import type { PhaseAnalysis } from "../core/graph/analysis";
import type { StallPolicy } from "../core/plan/config";
import { gatherEvidence } from "../shell/agent-evidence";
import type { Isolation } from "../core/repo/isolation";
import type { Engine } from "../core/workflow/engine";
import type { WorkflowAgent, WorkflowReport } from "../core/workflow/workflow-report";
import { nodeCrypto } from "../shell/lazy-deps";
import { claudeProcess } from "../shell/process-identity";
import type { CommonOptions, Io } from "./context";

/** What the queue commands (`start`, `status`, `spawned`, `complete`, `fail`, `cancel`) share. */
export interface QueueFlags extends CommonOptions {
  maxConcurrent?: number;
  strategy?: Strategy;
  includeCheckpoints?: boolean;
  dryRun?: boolean;
  agentType?: string;
  /** Compact JSON for the orchestrating model, and exit 0 whenever an answer was printed. */
  brief?: boolean;
  /** `--isolation` on start (wins over parallelization.isolation); the run records it. */
  isolation?: Isolation;
  /** `--engine` on start (wins over parallelization.engine); the run records it. */
  engine?: Engine;
}

export function newRunId(now: Date): string {
  return `r${now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "")}-${nodeCrypto().randomBytes(2).toString("hex")}`;
}

/** The plugin's executor instructions beside the helper (`<plugin>/agents/gsd-executor.md`), when they are there. */
export const EXECUTOR_AGENT = "gsd-executor";

function agentKind(io: Io, agentType: string | undefined): AgentKind {
  if (agentType !== undefined && agentType !== "general-purpose") return { kind: "plugin-agent", subagentType: agentType };
  const script = io.helper[1];
  const file = script ? join(dirname(dirname(script)), "agents", `${EXECUTOR_AGENT}.md`) : undefined;
  return { kind: "general-purpose", instructionsFile: file !== undefined && existsSync(file) ? file : null };
}

export interface FactsInput {
  root: string;
  analysis?: PhaseAnalysis;
  /** The history as read before the lock: evidence about its agents is gathered from it. */
  history?: History;
  ledger?: Ledger | null;
  settings: { maxConcurrent: number; skipCheckpoints: boolean; stall?: StallPolicy; engine?: Engine };
  agentType?: string;
  /** What this session's ended workflows returned (see lib/shell/workflow-reports.ts). */
  workflowReports?: readonly WorkflowReport[];
  workflowAgents?: readonly WorkflowAgent[];
}

/** Everything the step needs from outside, gathered before the lock is taken. */
export function queueFacts(io: Io, i: FactsInput): QueueFacts {
  const now = io.now();
  const estimates = new Map();
  if (i.analysis && i.ledger) {
    const cal = calibration(i.ledger.usage);
    for (const p of i.analysis.plans) if (p.status === "pending") estimates.set(p.id, estimateTokens(p.size, cal));
  }
  return {
    now: now.toISOString(),
    sessionId: io.env.CLAUDE_CODE_SESSION_ID ?? null,
    process: io.ppid === undefined ? null : claudeProcess(io.env, io.ppid),
    ...(i.analysis ? { analysis: i.analysis } : {}),
    evidence: i.history ? gatherEvidence(i.history, now.getTime()) : new Map(),
    estimates,
    projectRoot: i.root,
    helper: io.helper,
    agent: agentKind(io, i.agentType),
    settings: {
      maxConcurrent: i.settings.maxConcurrent,
      includeCheckpoints: !i.settings.skipCheckpoints,
      ...(i.settings.engine !== undefined ? { engine: i.settings.engine } : {}),
    },
    ...(i.workflowReports && i.workflowReports.length > 0 ? { workflowReports: i.workflowReports } : {}),
    ...(i.workflowAgents && i.workflowAgents.length > 0 ? { workflowAgents: i.workflowAgents } : {}),
    leaseMinutes: 3,
    staleMinutes: 240,
    settleMinutes: 2,
    ...(i.settings.stall ? { stall: i.settings.stall } : {}),
  };
}
