import { type Entry, type Edge, finishedAt } from "./checks";
import { Conversation } from "./conversation";
import { PLAN_MARKER, planIdOf } from "./gsd-model";
import type { LoggedRequest } from "./mock-api";

/**
 * What happened when, from the mock's request log (every request an agent made, with its
 * arrival time) together with agent-history.json: an agent was live from its first request
 * until its plan was recorded finished. Several Claude Code processes may share one log.
 */

export interface AgentSpan {
  plan: string;
  /** The Claude Code session the agent belongs to (from the request's metadata). */
  session: string;
  /** The agent's conversation, told apart by its prompt (its first message). */
  prompt: string;
  from: number;
  lastRequest: number;
}

/** The session id Claude Code puts in a request's metadata (agents share their parent's). */
export function sessionOf(r: LoggedRequest): string {
  try {
    const meta = r.body?.metadata as { user_id?: string } | undefined;
    return String((JSON.parse(meta?.user_id ?? "{}") as { session_id?: unknown }).session_id ?? "?");
  } catch {
    return "?";
  }
}

/** One span per agent conversation (a plan run twice has two). */
export function agentSpans(requests: LoggedRequest[]): AgentSpan[] {
  const byPrompt = new Map<string, AgentSpan>();
  for (const r of requests) {
    if (r.path !== "/v1/messages" || !r.body) continue;
    const first = new Conversation(r.body).firstUserText;
    const plan = PLAN_MARKER.exec(first)?.[1];
    if (!plan) continue;
    const at = Date.parse(r.at);
    const session = sessionOf(r);
    const key = `${session}\u0000${first}`;
    const span = byPrompt.get(key);
    if (span) span.lastRequest = Math.max(span.lastRequest, at);
    else byPrompt.set(key, { plan: planIdOf(plan), session, prompt: first, from: at, lastRequest: at });
  }
  return [...byPrompt.values()].sort((a, b) => a.from - b.from);
}

/** Plans whose agent conversations were started more than once. */
export function plansRunTwice(spans: AgentSpan[]): string[] {
  const count = new Map<string, number>();
  for (const s of spans) count.set(s.plan, (count.get(s.plan) ?? 0) + 1);
  return [...count].filter(([, n]) => n > 1).map(([p, n]) => `${p} x${n}`);
}

/**
 * The most agents live at one instant: from an agent's first request until its plan was
 * recorded finished (or its last request, when the history has no finish for it), or until
 * `killedAt` for agents that started before their Claude Code was killed.
 */
export function peakLive(spans: AgentSpan[], entries: Entry[], killedAt?: number): { peak: number; at: string | null; live: string[] } {
  const by = new Map(entries.map((e) => [e.plan, e]));
  const iv = spans.map((s) => {
    const done = by.get(s.plan) ? finishedAt(by.get(s.plan)!) : undefined;
    let to = done ? Math.max(s.from, Date.parse(done)) : s.lastRequest;
    // An agent of a killed Claude Code died with it.
    if (killedAt !== undefined && s.from < killedAt) to = Math.min(to, killedAt);
    return { plan: s.plan, from: s.from, to };
  });
  let best = { peak: 0, at: null as string | null, live: [] as string[] };
  for (const s of iv) {
    const live = iv.filter((o) => o.from <= s.from && s.from < o.to).map((o) => o.plan);
    if (live.length > best.peak) best = { peak: live.length, at: new Date(s.from).toISOString(), live };
  }
  return best;
}

/** Every in-phase edge whose dependent's agent made its first request before the prerequisite completed. */
export function startedBeforePrerequisites(spans: AgentSpan[], entries: Entry[], edges: Edge[]): string[] {
  const by = new Map(entries.map((e) => [e.plan, e]));
  const out: string[] = [];
  for (const edge of edges.filter((x) => !x.external)) {
    for (const s of spans.filter((x) => x.plan === edge.to)) {
      const pre = by.get(edge.from);
      const done = pre && pre.status === "completed" ? finishedAt(pre) : undefined;
      if (!done) out.push(`${edge.to}'s agent started at ${new Date(s.from).toISOString()} but ${edge.from} never completed`);
      else if (s.from < Date.parse(done)) out.push(`${edge.to}'s agent started at ${new Date(s.from).toISOString()}, before ${edge.from} completed at ${done}`);
    }
  }
  return out;
}
