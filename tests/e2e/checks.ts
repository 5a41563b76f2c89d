import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Conversation, helperJson, resultText } from "./conversation";
import { isAgentRequest, planIdOf } from "./gsd-model";
import { type Sandbox, helper, readJson } from "./harness";
import type { MockApi, ToolUseBlock } from "./mock-api";

/** What the e2e assertions read back: agent-history.json, the mock's log, the helper's analysis. */

export interface Entry {
  plan: string;
  plan_file: string | null;
  run_id: string;
  status: string;
  agent_id: string | null;
  output_file: string | null;
  execution_mode: string;
  completion_timestamp: string | null;
  blocked_by: string[];
  error: string | null;
  attempt?: number;
  transitions: Array<{ to: string; at: string; via: string }>;
}

export interface History {
  version: string;
  entries: Entry[];
  runs: Array<{ run_id: string; phase_dir: string; max_concurrent: number; include_checkpoints: boolean; session_id: string | null; agent_type?: string }>;
}

export const historyFile = (sb: Sandbox) => join(sb.project, ".planning", "agent-history.json");

export function readHistory(sb: Sandbox): History | undefined {
  const f = historyFile(sb);
  return existsSync(f) ? readJson<History>(f) : undefined;
}

export function entriesByPlan(h: History | undefined): Map<string, Entry> {
  return new Map((h?.entries ?? []).map((e) => [e.plan, e]));
}

export const spawnedAt = (e: Entry) => e.transitions.find((t) => t.to === "spawned")?.at;
export const finishedAt = (e: Entry) =>
  e.completion_timestamp ?? [...e.transitions].reverse().find((t) => ["completed", "failed", "interrupted"].includes(t.to))?.at;

/**
 * The most agents that were spawned and not yet finished at any one instant, from the recorded
 * transitions: each `spawned` opens an interval that the entry's next transition closes (finished,
 * interrupted, or queued again). An entry retried after an interruption carries its earlier
 * attempt's transitions too, so identical intervals of one plan count once.
 */
export function peakConcurrency(entries: Entry[]): { peak: number; at: string | null; running: string[] } {
  const seen = new Set<string>();
  const spans: Array<{ plan: string; from: number; to: number }> = [];
  for (const e of entries) {
    e.transitions.forEach((t, i) => {
      if (t.to !== "spawned") return;
      const next = e.transitions.slice(i + 1).find((x) => x.to !== "spawned");
      const span = { plan: e.plan, from: Date.parse(t.at), to: next ? Date.parse(next.at) : Infinity };
      const key = `${span.plan}@${span.from}`;
      if (seen.has(key)) return;
      seen.add(key);
      spans.push(span);
    });
  }
  let best = { peak: 0, at: null as string | null, running: [] as string[] };
  for (const s of spans) {
    const running = spans.filter((o) => o.from <= s.from && s.from < o.to).map((o) => o.plan);
    if (running.length > best.peak) best = { peak: running.length, at: new Date(s.from).toISOString(), running };
  }
  return best;
}

export interface Edge {
  from: string;
  to: string;
  external: boolean;
  reasons: Array<{ kind: string }>;
}

export async function analyzeEdges(sb: Sandbox, phase: string): Promise<Edge[]> {
  const r = await helper(sb, ["analyze", phase, "--json"]);
  const j = helperJson(r.stdout);
  if (!j || !Array.isArray(j.edges)) throw new Error(`analyze ${phase} --json gave no edges: ${r.stdout}${r.stderr}`);
  return j.edges as Edge[];
}

/** Every in-phase edge whose dependent was spawned before its prerequisite finished. */
export function orderViolations(entries: Entry[], edges: Edge[]): string[] {
  const by = new Map(entries.map((e) => [e.plan, e]));
  const out: string[] = [];
  for (const edge of edges.filter((x) => !x.external)) {
    const to = by.get(edge.to);
    const from = by.get(edge.from);
    const start = to && spawnedAt(to);
    if (!start) continue;
    const done = from && from.status === "completed" ? finishedAt(from) : undefined;
    if (!done) out.push(`${edge.to} was spawned at ${start} but its prerequisite ${edge.from} never completed`);
    else if (Date.parse(start) < Date.parse(done)) out.push(`${edge.to} was spawned at ${start}, before ${edge.from} completed at ${done}`);
  }
  return out;
}

/** Requests of the main conversation (not of a gsd-async background agent). */
export const mainRequests = (mock: MockApi) => mock.messageRequests.filter((r) => r.body && !isAgentRequest(r.body));
export const agentRequests = (mock: MockApi) => mock.messageRequests.filter((r) => r.body && isAgentRequest(r.body));

export interface AgentCall {
  seq: number;
  plan: string;
  use: ToolUseBlock;
  /** All Agent calls made in the same reply. */
  batch: string[];
  /** The request this call answered. */
  conv: Conversation;
}

/** Every Agent (or Task) call the scripted main thread made, with the request it answered. */
export function agentCalls(mock: MockApi): AgentCall[] {
  const out: AgentCall[] = [];
  for (const r of mainRequests(mock)) {
    const uses = (r.reply ?? []).filter((b): b is ToolUseBlock => b.type === "tool_use" && (b.name === "Agent" || b.name === "Task"));
    const batch = uses.map((u) => String(u.input.description ?? "").replace(/^gsd-async /, ""));
    for (const u of uses)
      out.push({ seq: r.seq, plan: String(u.input.description ?? "").replace(/^gsd-async /, ""), use: u, batch, conv: new Conversation(r.body!) });
  }
  return out;
}

/**
 * Agent ids that Claude Code reported back for each plan ("Async agent launched
 * successfully. agentId: ..."), read from the tool results the main thread saw.
 */
export function launchedAgentIds(mock: MockApi): Map<string, string> {
  const ids = new Map<string, string>();
  for (const r of mainRequests(mock)) {
    for (const call of new Conversation(r.body!).calls) {
      if (call.use.name !== "Agent" || !call.result) continue;
      const id = /agentId:\s*(\w+)/.exec(resultText(call))?.[1];
      if (id) ids.set(String(call.use.input.description ?? "").replace(/^gsd-async /, ""), id);
    }
  }
  return ids;
}

/** The helper's JSON outputs the main thread received, for a given helper subcommand. */
export function helperResults(
  mock: MockApi,
  sub: RegExp,
): Array<{ command: string; text: string; json: Record<string, unknown> | undefined; isError: boolean }> {
  const seen = new Set<string>();
  const out: Array<{ command: string; text: string; json: Record<string, unknown> | undefined; isError: boolean }> = [];
  for (const r of mainRequests(mock)) {
    for (const call of new Conversation(r.body!).calls) {
      const command = String(call.use.input.command ?? "");
      if (call.use.name !== "Bash" || !call.result || !sub.test(command) || seen.has(call.use.id)) continue;
      seen.add(call.use.id);
      const text = resultText(call);
      out.push({ command, text, json: helperJson(text), isError: call.result.is_error === true });
    }
  }
  return out;
}

/** Bash commands a gsd-async background agent ran, with their results, by plan. */
export function agentBashCalls(mock: MockApi): Array<{ plan: string; command: string; result: string }> {
  const seen = new Set<string>();
  const out: Array<{ plan: string; command: string; result: string }> = [];
  for (const r of agentRequests(mock)) {
    const conv = new Conversation(r.body!);
    const plan = planIdOf(/^\s*gsd-async-plan:\s*(\S+)/m.exec(conv.firstUserText)?.[1] ?? "");
    for (const call of conv.calls) {
      if (call.use.name !== "Bash" || !call.result || seen.has(call.use.id)) continue;
      seen.add(call.use.id);
      out.push({ plan, command: String(call.use.input.command ?? ""), result: resultText(call) });
    }
  }
  return out;
}

export function setConfig(sb: Sandbox, edit: (c: Record<string, unknown>) => void): void {
  const f = join(sb.project, ".planning", "config.json");
  const c = JSON.parse(readFileSync(f, "utf8")) as Record<string, unknown>;
  edit(c);
  writeFileSync(f, JSON.stringify(c, null, 2) + "\n");
}

export const hookLog = (sb: Sandbox) => (existsSync(join(sb.root, "hooks.log")) ? readFileSync(join(sb.root, "hooks.log"), "utf8") : "");

/** `[ERROR]` lines of a debug log that are not known to be harmless. */
export function realErrors(errors: string[]): string[] {
  return errors.filter((l) => !/Failed to save config with lock/.test(l));
}

/** A one-screen account of a run, attached to assertion messages. */
export function transcript(mock: MockApi): string {
  return mock.messageRequests
    .map((r) => {
      const said = (r.reply ?? [])
        .map((b) => (b.type === "text" ? b.text : ""))
        .join(" ")
        .replace(/\s+/g, " ")
        .slice(0, 240);
      return `#${r.seq} ${r.label ?? "?"}${r.error ? ` ERROR ${r.error.split("\n")[0]}` : ""}${said ? `: ${said}` : ""}`;
    })
    .join("\n");
}

/**
 * Runs assertions and, when one fails, adds what the run did (requests by label, stderr, the
 * hooks' log) to the failure message, since the sandbox is gone by the time anyone reads it.
 */
export async function explained(story: () => string, assertions: () => void | Promise<void>): Promise<void> {
  try {
    await assertions();
  } catch (err) {
    if (err instanceof Error) err.message += `\n${story()}`;
    throw err;
  }
}

export function storyOf(mock: MockApi, sb: Sandbox, runs: Array<{ stderr: string; errors: string[]; debugLog: string }>): () => string {
  return () =>
    [
      "--- requests (label per reply) ---",
      transcript(mock),
      "--- hooks.log ---",
      hookLog(sb),
      ...runs.map((r, i) => {
        // A hook or helper that could not even load (e.g. dist/ being rebuilt meanwhile) only shows here.
        const broken = r.debugLog
          .split("\n")
          .filter((l) => /Cannot find module|Hook \w+:\w+ \(\w+\) error/.test(l))
          .map((l) => l.slice(0, 300));
        return `--- run ${i + 1}: stderr ---\n${r.stderr}\n[ERROR] lines: ${r.errors.join("\n")}${broken.length ? `\nhook/helper errors:\n${broken.join("\n")}` : ""}`;
      }),
    ].join("\n");
}
