/**
 * The public API of the gsd-async library: what a program embedding it needs. Reading a project
 * and analysing a phase; the pure scheduler and simulation; the queue's one step and its one
 * transaction; the token budget; the roadmap level; and the CLI itself. Everything else under
 * lib/ is internal and may change without notice.
 */

// Diagnostics: every expected problem is one of these.
export { type Diagnostic, type Severity, diagnostic, sortDiagnostics } from "./core/common/diagnostic";

// A project and its phases.
export { openProject, choosePhase, analyzeProjectPhase, type Project } from "./shell/project";
export { findProjectRoot } from "./shell/planning-root";
export { loadTree } from "./shell/load-tree";
export { type PlanningTree, type PhaseListing, phaseFiles, summaryFor, expectedSummaryPath } from "./core/plan/planning-tree";
export { selectPhase } from "./core/plan/phase-select";
export { parsePlanDoc, type PlanDoc } from "./core/plan/plan-doc";
export { parseSummary } from "./core/plan/summary";
export { parseConfig, defaultSettings, type Settings } from "./core/plan/config";
export { estimateMinutes } from "./core/plan/estimate";

// The analysis of one phase: plans, edges with reasons, waves, critical path.
export { analyzePhase, type AnalysisInput, type PhaseAnalysis, type AnalyzedPlan, type AnalyzedEdge } from "./core/graph/analysis";
export { analysisToJson, JSON_SCHEMA_VERSION } from "./json/analysis-json";

// Scheduling and simulation (pure).
export { schedule, remainingPath, type ScheduleInput, type Schedule, type SchedPlan, type Strategy, STRATEGIES } from "./core/schedule/scheduler";
export { compareSchedules, simulateScheduler, simulateWaveBarrier, criticalPathMinutes, type SimPlan } from "./core/schedule/simulate";
export { simPlansOf } from "./core/schedule/sim-plans";

// The queue: one state machine, one step, one transaction.
export { RUN_STATUSES, STATUS, TRANSITIONS, type RunStatus, type Transition, IllegalTransition } from "./core/queue/run-status";
export { type History, type HistoryEntry, type RunRecord, HISTORY_VERSION, emptyHistory } from "./core/queue/history-schema";
export { readHistoryText } from "./core/queue/history-migrate";
export { activeRun, runEntries, newEntry, transition, replaceEntry, retain } from "./core/queue/history-ops";
export { queueStep, type StepOutcome, type StepResult } from "./core/queue/queue-step";
export type { QueueEvent, QueueFacts, QueueState, AgentEvidence } from "./core/queue/queue-event";
export { type StatusView, type PlanStatusView, type PlanState, type Outcome, statusView } from "./core/queue/status-view";
export { buildSpawn, parseMarkers, type SpawnInstruction, type AgentInput } from "./core/queue/spawn";
export { withQueueState } from "./shell/queue-state";
export { readHistory, updateHistory, historyPath, HISTORY_FILE } from "./shell/history-store";
export { StateFileError, StateIoError, LockError } from "./shell/state-errors";

// The token budget.
export { type Ledger } from "./core/budget/budget-schema";
export { reserveTokens, recordUse, availableTokens } from "./core/budget/budget";
export { budgetReport } from "./core/budget/budget-report";
export { estimateTokens, calibration, planSize, type PlanSize, type TokenEstimate } from "./core/budget/token-estimate";
export { readBudget, updateBudget, budgetPath, BUDGET_FILE } from "./shell/budget-store";
export { reserveCommand as budgetReserveCommand } from "./cli/budget-command";

// The roadmap level.
export { parseRoadmap } from "./core/roadmap/roadmap";
export { analyzeRoadmap } from "./core/roadmap/roadmap-analysis";
export type { ParsedRoadmap, RoadmapPhase, RoadmapAnalysis, AnalyzedRoadmapPhase, RoadmapEdge } from "./core/roadmap/roadmap-types";
export { ROADMAP_FILE, analyzeRoadmapFile, archivedRoadmaps, readRoadmap, resolveMilestone } from "./shell/roadmap-source";

// The command line.
export { run } from "./cli/program";
export type { Io } from "./cli/context";
