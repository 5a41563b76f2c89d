import type { PhaseAnalysis } from "../../lib/core/graph/analysis";

/** One corpus phase as `corpus.test.ts` analysed it (`analyzeProjectPhase` on its project). */
export interface CorpusPhase {
  project: string;
  /** The project's root directory. */
  root: string;
  analysis: PhaseAnalysis;
}
