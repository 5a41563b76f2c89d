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
