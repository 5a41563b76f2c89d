import * as z from "zod/mini";
import { type LimitKind, limitKindOf } from "./limit-kind";
import { parseMarkers } from "./spawn";

/**
 * Claude Code hook payloads, reduced to what gsd-async records. PreToolUse for the Agent tool
 * (alias Task) may refuse a second agent for a plan; PostToolUse links a background agent to its
 * plan through the markers in the prompt; SubagentStop says an agent finished (its transcript's
 * first message carries the markers too). Anything else is "unrelated" and ignored.
 */
const AgentToolUse = z.looseObject({
  hook_event_name: z.optional(z.string()),
  session_id: z.optional(z.string()),
  cwd: z.optional(z.string()),
  tool_name: z.string(),
  tool_input: z.looseObject({ prompt: z.optional(z.string()), description: z.optional(z.string()), run_in_background: z.optional(z.boolean()) }),
  tool_response: z.optional(z.unknown()),
});

const SubagentStop = z.looseObject({
  hook_event_name: z.optional(z.string()),
  session_id: z.optional(z.string()),
  cwd: z.optional(z.string()),
  // An empty id names no agent: it would match no entry, or worse, one recorded without an id.
  agent_id: z.string().check(z.minLength(1)),
  agent_type: z.optional(z.string()),
  agent_transcript_path: z.optional(z.string()),
  last_assistant_message: z.optional(z.nullable(z.string())),
});

/** StopFailure: the turn (of the main thread or, with `agent_id`, of a subagent) ended on an API error. */
const StopFailure = z.looseObject({
  hook_event_name: z.optional(z.string()),
  session_id: z.optional(z.string()),
  cwd: z.optional(z.string()),
  agent_id: z.optional(z.string()),
  error: z.optional(z.nullable(z.string())),
  error_details: z.optional(z.nullable(z.string())),
  last_assistant_message: z.optional(z.nullable(z.string())),
});

export type HookEvent =
  | { kind: "pre-agent"; runId: string; planFile: string; attempt?: number; sessionId: string | null; cwd: string | null }
  | { kind: "spawned"; runId: string; planFile: string; agentId: string; outputFile: string | null; sessionId: string | null; cwd: string | null }
  /** `apiError`: from a StopFailure, which can arrive before the agent's id is recorded. */
  | { kind: "stopped"; agentId: string; lastMessage: string | null; transcript: string | null; sessionId: string | null; cwd: string | null; apiError?: true }
  | { kind: "limited"; agentId: string; limit: LimitKind; message: string; sessionId: string | null; cwd: string | null }
  | { kind: "unrelated"; why: string };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function agentCall(text: string): { data: z.infer<typeof AgentToolUse>; runId: string; planFile: string; attempt?: number } | { why: string } {
  const p = AgentToolUse.safeParse(parseJson(text));
  if (!p.success) return { why: "not a tool-use payload" };
  if (p.data.tool_name !== "Agent" && p.data.tool_name !== "Task") return { why: `tool ${p.data.tool_name}` };
  const marks = parseMarkers(p.data.tool_input.prompt ?? "");
  if (marks.runId === undefined || marks.planFile === undefined) return { why: "an agent not started by gsd-async" };
  return { data: p.data, runId: marks.runId, planFile: marks.planFile, ...(marks.attempt !== undefined ? { attempt: marks.attempt } : {}) };
}

export function parsePreAgent(text: string): HookEvent {
  const c = agentCall(text);
  if ("why" in c) return { kind: "unrelated", why: c.why };
  return {
    kind: "pre-agent",
    runId: c.runId,
    planFile: c.planFile,
    ...(c.attempt !== undefined ? { attempt: c.attempt } : {}),
    sessionId: c.data.session_id ?? null,
    cwd: c.data.cwd ?? null,
  };
}

export function parsePostToolUse(text: string): HookEvent {
  const c = agentCall(text);
  if ("why" in c) return { kind: "unrelated", why: c.why };
  const r = (c.data.tool_response ?? {}) as Record<string, unknown>;
  const agentId = typeof r.agentId === "string" ? r.agentId : undefined;
  if (agentId === undefined) return { kind: "unrelated", why: "no agentId in tool_response" };
  return {
    kind: "spawned",
    runId: c.runId,
    planFile: c.planFile,
    agentId,
    outputFile: typeof r.outputFile === "string" ? r.outputFile : null,
    sessionId: c.data.session_id ?? null,
    cwd: c.data.cwd ?? null,
  };
}

export function parseSubagentStop(text: string): HookEvent {
  const p = SubagentStop.safeParse(parseJson(text));
  if (!p.success) return { kind: "unrelated", why: "not a SubagentStop payload" };
  return {
    kind: "stopped",
    agentId: p.data.agent_id,
    lastMessage: p.data.last_assistant_message ?? null,
    transcript: p.data.agent_transcript_path ?? null,
    sessionId: p.data.session_id ?? null,
    cwd: p.data.cwd ?? null,
  };
}

/**
 * A subagent that stopped on an API error. A rate limit, an overload or a usage limit is a
 * `limited` agent (queued again after a back-off); any other error (a bad request, an
 * authentication failure, a server error) ended the agent for good, and Claude Code sends no
 * SubagentStop for it: it is a `stopped` agent whose last words are the error, so its plan fails
 * now (or completes, if its summary is there) instead of waiting out the liveness lease.
 */
export function parseStopFailure(text: string): HookEvent {
  const p = StopFailure.safeParse(parseJson(text));
  if (!p.success) return { kind: "unrelated", why: "not a StopFailure payload" };
  if (p.data.agent_id === undefined) return { kind: "unrelated", why: "the main thread stopped, not an agent" };
  const message = [p.data.last_assistant_message, p.data.error_details].filter((x): x is string => typeof x === "string").join(" ");
  const limit = limitKindOf(p.data.error ?? null, message || null);
  if (limit === null) {
    const words = `the API ended it with ${p.data.error ?? "an error"}${message ? `: ${message}` : ""}`;
    return {
      kind: "stopped",
      agentId: p.data.agent_id,
      lastMessage: words,
      transcript: null,
      sessionId: p.data.session_id ?? null,
      cwd: p.data.cwd ?? null,
      apiError: true,
    };
  }
  return {
    kind: "limited",
    agentId: p.data.agent_id,
    limit,
    message: message.replace(/\s+/g, " ").trim().slice(0, 300),
    sessionId: p.data.session_id ?? null,
    cwd: p.data.cwd ?? null,
  };
}
