import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { History } from "../core/queue/history-schema";
import type { QueueFacts } from "../core/queue/queue-event";
import { type AgentChoice, EXECUTOR_AGENT, GENERAL_PURPOSE, pluginExecutorType } from "../core/queue/agent-kind";
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

/**
 * How this helper's agents start. From a plugin (the folder above dist/ holds
 * .claude-plugin/plugin.json and agents/gsd-executor.md) the plugin's executor type,
 * `<plugin name>:gsd-executor`; otherwise general-purpose, told to read the instructions file
 * when it is beside the helper (an `install` copy), else given them in the prompt.
 */
function agentChoice(io: Io, requested: string | undefined): AgentChoice {
  const script = io.helper[1];
  const root = script ? dirname(dirname(script)) : undefined;
  const file = root !== undefined ? join(root, "agents", `${EXECUTOR_AGENT}.md`) : undefined;
  const instructionsFile = file !== undefined && existsSync(file) ? file : null;
  const preferred = (root !== undefined && instructionsFile !== null ? pluginExecutorType(pluginName(root)) : undefined) ?? GENERAL_PURPOSE;
  return { preferred, ...(requested !== undefined ? { requested } : {}), instructionsFile };
}

/** The `name` of the plugin manifest at `root`, or undefined when there is none or it cannot be read. */
function pluginName(root: string): unknown {
  try {
    return (JSON.parse(readFileSync(join(root, ".claude-plugin", "plugin.json"), "utf8")) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

export interface FactsInput {
  root: string;
  analysis?: PhaseAnalysis;
  /** The history as read before the lock: evidence about its agents is gathered from it. */
  history?: History;
  ledger?: Ledger | null;
  settings: { maxConcurrent: number; skipCheckpoints: boolean; stall?: StallPolicy; exclusive?: Record<string, string>; engine?: Engine };
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
    agent: agentChoice(io, i.agentType),
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
    ...(i.settings.exclusive && Object.keys(i.settings.exclusive).length > 0 ? { exclusive: Object.keys(i.settings.exclusive).sort() } : {}),
  };
}
