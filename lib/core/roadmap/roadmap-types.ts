import type { Diagnostic } from "../common/diagnostic";
import type { PlanningTree } from "../plan/planning-tree";
import type { ProgressRow } from "./roadmap-progress";

export type RoadmapStatus = "complete" | "in-progress" | "pending";
export type StatusSource = "directory" | "roadmap" | "none";

/** The shapes of a parsed ROADMAP.md and of its analysis (kept apart so parser, resolver and analysis share them without import cycles). */
export interface RoadmapDepends {
  text: string;
  line: number;
}

export type RoadmapDepKind = "declared" | "range" | "note";

export interface RoadmapDep {
  id: string;
  line: number;
  /** `declared` names the phase, `range` came from `Phases 1-3`, `note` from a parenthetical. */
  kind: RoadmapDepKind;
}

export interface RoadmapPhase {
  /** Normalised: `2`, `2.1`, `36B`, or a provisional letter `A`. */
  id: string;
  /** As first written: `02.1`. */
  written: string;
  name: string;
  /** Line of the heading, else the checklist item, else the progress row. */
  line: number;
  inserted: boolean;
  heading?: number;
  /** Line of its list item, with or without a checkbox. */
  item?: number;
  checkbox?: { checked: boolean; line: number };
  progress?: ProgressRow;
  depends: RoadmapDepends[];
  /** Prerequisites in this roadmap, first mention first, never the phase itself. */
  dependsOn: RoadmapDep[];
  /** References to phases this roadmap does not list; the analysis looks for their directories. */
  unresolved: { id: string; to?: string; line: number; text: string }[];
}

export interface ParsedRoadmap {
  file: string;
  phases: RoadmapPhase[];
  diagnostics: Diagnostic[];
}

export interface PhaseDuration {
  minutes: number;
  plans: number;
  /** Plans whose duration came from a SUMMARY.md; the rest were estimated. */
  fromSummaries: number;
}
export type PhaseDurationSource = "summary" | "estimate" | "mixed" | "assumed";

export interface RoadmapAnalysisInput {
  roadmap: ParsedRoadmap;
  tree: PlanningTree;
  /** Containers this roadmap describes first, e.g. `milestones/v1.0-phases` for an archive. */
  containers?: readonly string[];
  /** By phase directory path. */
  durations?: ReadonlyMap<string, PhaseDuration>;
}

export interface AnalyzedRoadmapPhase {
  id: string;
  written: string;
  name: string;
  line: number;
  inserted: boolean;
  dir?: string;
  plans: { total: number; complete: number };
  status: RoadmapStatus;
  statusSource: StatusSource;
  checkbox?: boolean;
  progressStatus?: string;
  /** Prerequisites: roadmap phases, then phases found only as directories. */
  dependsOn: string[];
  /** The `Depends on` texts as written. */
  declaredDependsOn: string[];
  /** 1-based level among the phases still to do; absent when complete or blocked. */
  level?: number;
  /** On a cycle, or waiting for one: never scheduled. */
  blocked: boolean;
  onCycle: boolean;
  minutes: number;
  durationSource: PhaseDurationSource;
}

export interface RoadmapEdge {
  from: string;
  to: string;
  /** The prerequisite is not in this roadmap; it was found as a phase directory. */
  external: boolean;
  fromDir?: string;
  /** The prerequisite is complete, so it no longer holds anything up. */
  satisfied: boolean;
  reasons: { kind: RoadmapDepKind; line: number }[];
}

export interface RoadmapAnalysis {
  file: string;
  phases: AnalyzedRoadmapPhase[];
  edges: RoadmapEdge[];
  levels: string[][];
  criticalPath: string[];
  criticalPathMinutes: number;
  cycles: string[][];
  diagnostics: Diagnostic[];
}
