import type { PlanDoc } from "./plan-doc";

/** The parts of a plan that say how much work it is for an agent (token sizing reads these). */
export interface PlanSize {
  /** Tasks the agent does (checkpoint tasks excluded). */
  tasks: number;
  checkpoints: number;
  filesModified: number;
  /** Distinct files the plan reads that it does not also modify. */
  contextRefs: number;
  chars: number;
}

export function planSize(doc: Pick<PlanDoc, "tasks" | "filesModified" | "reads">, text: string): PlanSize {
  const modified = new Set(doc.filesModified.map((f) => f.path));
  const reads = new Set(doc.reads.map((r) => r.path).filter((p) => !modified.has(p)));
  const checkpoints = doc.tasks.filter((t) => t.checkpoint !== undefined).length;
  return { tasks: doc.tasks.length - checkpoints, checkpoints, filesModified: modified.size, contextRefs: reads.size, chars: text.length };
}

/** An unreadable plan: the smallest size, so its estimate is the minimum. */
export const EMPTY_PLAN_SIZE: PlanSize = { tasks: 0, checkpoints: 0, filesModified: 0, contextRefs: 0, chars: 0 };
