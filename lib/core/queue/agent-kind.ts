/** How a hand-out starts its agent: the plugin's agent type, or general-purpose with the instructions file (or, without one, in the prompt). */
export type AgentKind = { kind: "plugin-agent"; subagentType: string } | { kind: "general-purpose"; instructionsFile: string | null };

/** Claude Code's built-in agent type: it knows nothing of GSD, so its prompt carries or points at the instructions. */
export const GENERAL_PURPOSE = "general-purpose";

/** The plugin's executor agent (`agents/gsd-executor.md`); Claude Code names it `<plugin>:gsd-executor`. */
export const EXECUTOR_AGENT = "gsd-executor";

/**
 * How agents are to be started, as the shell found it. Invariant: `preferred` is what a new run
 * records; `requested` (an explicit `--agent-type`) wins over what a run recorded, which is how a
 * run falls back to general-purpose when the Agent tool does not know the plugin's type.
 */
export interface AgentChoice {
  preferred: string;
  requested?: string;
  /** The executor instructions a general-purpose agent is told to read, when that file is there. */
  instructionsFile: string | null;
}

/** The agent type a plugin named `pluginName` gives its executor, or undefined for a name Claude Code would not accept. */
export function pluginExecutorType(pluginName: unknown): string | undefined {
  return typeof pluginName === "string" && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(pluginName) ? `${pluginName}:${EXECUTOR_AGENT}` : undefined;
}

/** A recorded or requested type as a hand-out kind; a run that recorded none (older runs) used general-purpose. */
export function agentKindOf(type: string | undefined, instructionsFile: string | null): AgentKind {
  return type === undefined || type === GENERAL_PURPOSE ? { kind: "general-purpose", instructionsFile } : { kind: "plugin-agent", subagentType: type };
}

/** The type a run's hand-outs use now: an explicit request, else what the run recorded, else the preferred type. */
export function runAgentType(choice: AgentChoice, recorded: string | undefined, hasRun: boolean): string {
  return choice.requested ?? (hasRun ? (recorded ?? GENERAL_PURPOSE) : choice.preferred);
}
