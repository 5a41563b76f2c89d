import type { WorkflowArgs } from "./workflow-args";

/**
 * How a run's plans are run. `agents`: the orchestrating conversation starts each plan's
 * background agent as the helper hands it out, and is woken for each one that ends. `workflow`:
 * one Claude Code Workflow runs the whole graph (the plugin's workflows/run-phase.js) and wakes the
 * conversation once, at its end.
 */
export const ENGINES = ["agents", "workflow"] as const;
export type Engine = (typeof ENGINES)[number];
export const DEFAULT_ENGINE: Engine = "agents";

/**
 * The engine a run uses. Worktree isolation needs each plan's worktree made when its
 * prerequisites have merged, just before its agent starts; a workflow script starts its agents
 * itself and cannot ask the helper for that, so a worktree-mode run uses the agents engine.
 */
export function runEngine(requested: Engine | undefined, isolation: "shared" | "worktree" | undefined): Engine {
  if (isolation === "worktree") return "agents";
  return requested ?? DEFAULT_ENGINE;
}

export const WORKTREE_ENGINE_NOTE =
  "worktree isolation runs with the agents engine (the workflow engine cannot make a plan's worktree when its prerequisites have merged): this run starts background agents";

/** The plugin's script as the Workflow tool finds it by name: `<plugin name>:<meta.name>`. */
export const WORKFLOW_NAME = "gsd:run-phase";

/** The one call the orchestrating model makes for a workflow run: the Workflow tool with this input. */
export interface WorkflowItem {
  tool: "Workflow";
  input: { name: string; args: WorkflowArgs };
}

export function workflowItem(args: WorkflowArgs): WorkflowItem {
  return { tool: "Workflow", input: { name: WORKFLOW_NAME, args } };
}
