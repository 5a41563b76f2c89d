import { parseMarkers } from "../../lib/core/queue/spawn";
import { Conversation } from "./conversation";
import { PLAN_MARKER, planIdOf } from "./gsd-model";
import type { MessagesBody, Reply, ScriptedModel } from "./mock-api";

/**
 * Which API error a request gets: a rate limit or an overload (limits Claude Code's StopFailure
 * tells apart), or a bad request, which no retry mends.
 */
export type LimitAnswer = "rate_limit" | "overloaded" | "bad_request";

const ERRORS: Record<LimitAnswer, NonNullable<Reply["error"]>> = {
  rate_limit: { status: 429, type: "rate_limit_error", message: "mock: rate limited", headers: { "retry-after": "1" } },
  overloaded: { status: 529, type: "overloaded_error", message: "mock: overloaded" },
  bad_request: { status: 400, type: "invalid_request_error", message: "mock: prompt is too long" },
};

/** The plan and attempt a background agent's request works on, from the markers of its prompt. */
export function agentOf(body: MessagesBody): { plan: string; attempt: number } | undefined {
  const first = new Conversation(body).firstUserText;
  const file = PLAN_MARKER.exec(first)?.[1];
  if (file === undefined) return undefined;
  return { plan: planIdOf(file), attempt: parseMarkers(first).attempt ?? 1 };
}

/**
 * Wraps a scripted model so that the requests of chosen agents are answered with a limit error
 * instead, the way the API does when an account is rate limited or the service is overloaded.
 * `limit(plan, attempt)` picks them; `limited` records which agents were answered so.
 */
export function withLimits(model: ScriptedModel, limit: (plan: string, attempt: number) => LimitAnswer | undefined) {
  const limited: Array<{ plan: string; attempt: number; kind: LimitAnswer }> = [];
  const wrapped: ScriptedModel = (body, seq) => {
    const a = agentOf(body);
    const kind = a ? limit(a.plan, a.attempt) : undefined;
    if (a && kind) {
      limited.push({ ...a, kind });
      return { content: [], error: ERRORS[kind], label: `agent ${a.plan}#${a.attempt}: ${kind}` };
    }
    return model(body, seq);
  };
  return { model: wrapped, limited };
}
