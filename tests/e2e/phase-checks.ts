import { existsSync, readdirSync } from "node:fs";
import { type Entry, agentBashCalls, analyzeEdges, entriesByPlan, orderViolations, peakConcurrency, readHistory } from "./checks";
import { helperJson } from "./conversation";
import { type Sandbox, helper } from "./harness";
import type { MockApi } from "./mock-api";
import { agentSpans, peakLive, plansRunTwice, startedBeforePrerequisites } from "./timeline";

/**
 * The promise of a walk-away run, checked after the fact on a phase: every autonomous plan
 * completed with its SUMMARY.md, by exactly one agent whose `complete` was accepted; the cap
 * never exceeded and no plan started before its prerequisites completed, by the recorded
 * timestamps (agent-history.json transitions and the mock's request log).
 */

export interface PhasePlans {
  /** The phase's directory, relative to the project (e.g. `.planning/phases/23-the-chase`). */
  dir: string;
  autonomous: string[];
  all: string[];
}

/** The plans of a phase, from the helper's own analysis (run before anything else). */
export async function phasePlans(sb: Sandbox, phase: string): Promise<PhasePlans> {
  const r = await helper(sb, ["analyze", phase, "--json"]);
  const j = helperJson(r.stdout) as { phase?: { dir: string }; plans?: Array<{ id: string; autonomous: boolean }> } | undefined;
  if (!j?.plans || !j.phase) throw new Error(`analyze ${phase} --json: ${r.stdout}${r.stderr}`);
  return { dir: j.phase.dir, autonomous: j.plans.filter((p) => p.autonomous).map((p) => p.id), all: j.plans.map((p) => p.id) };
}

export interface PhaseOutcome {
  /** Autonomous plans that are not completed, with the state they are in. */
  unfinished: string[];
  /** Completed plans with no SUMMARY.md next to their plan file. */
  missingSummaries: string[];
  runTwice: string[];
  /** `complete` calls of agents that were not accepted, with what the helper said. */
  refusedCompletes: string[];
  /** Commands the model ran that hold a `${...}` placeholder it must never have been shown. */
  placeholders: string[];
  cap: number;
  peakRecorded: number;
  peakLive: number;
  orderByHistory: string[];
  orderByRequests: string[];
}

export async function phaseOutcome(sb: Sandbox, mock: MockApi, phase: string, plans: PhasePlans, killedAt?: number): Promise<PhaseOutcome> {
  const h = readHistory(sb);
  const by = entriesByPlan(h);
  const entries = h?.entries.filter((e) => plans.all.includes(e.plan)) ?? [];
  const runs = h?.runs.filter((r) => r.phase_dir === plans.dir) ?? [];
  const cap = Math.max(0, ...runs.map((r) => r.max_concurrent));
  const files = existsSync(`${sb.project}/${plans.dir}`) ? readdirSync(`${sb.project}/${plans.dir}`) : [];
  const spans = agentSpans(mock.requests);
  const edges = await analyzeEdges(sb, phase);
  // Accepted: "<plan>: completed (agent <id>)", or without the agent for a Workflow agent (its id is not linked).
  const accepted = (text: string) => /: completed( \(agent |\s*$)/m.test(text);
  const refused = agentBashCalls(mock)
    .filter((b) => /\scomplete\s/.test(b.command) && /cli\.js/.test(b.command) && !accepted(b.result))
    .filter((b) => !agentBashCalls(mock).some((o) => o.plan === b.plan && accepted(o.result)))
    .map((b) => `${b.plan}: ${b.result.slice(0, 300)}`);
  return {
    unfinished: plans.autonomous
      .filter((p) => by.get(p)?.status !== "completed")
      .map((p) => `${p}: ${by.get(p)?.status ?? "no entry"}${by.get(p)?.error ? ` (${by.get(p)?.error})` : ""}`),
    missingSummaries: plans.autonomous.filter((p) => by.get(p)?.status === "completed" && !files.some((f) => f.startsWith(p) && f.endsWith("SUMMARY.md"))),
    // Agents that died with a killed Claude Code before finishing are run again, by design.
    runTwice: plansRunTwice(spans.filter((s) => killedAt === undefined || s.from >= killedAt || completedBy(by.get(s.plan), killedAt))),
    refusedCompletes: refused,
    placeholders: mock.messageRequests
      .flatMap((r) => (r.reply ?? []).filter((b) => b.type === "tool_use" && b.name === "Bash"))
      .map((b) => String((b as { input: { command?: unknown } }).input.command ?? ""))
      .filter((c) => /\$\{[A-Z_]+\}/.test(c)),
    cap,
    peakRecorded: peakConcurrency(entries).peak,
    peakLive: peakLive(spans, entries, killedAt).peak,
    orderByHistory: orderViolations(entries, edges),
    orderByRequests: startedBeforePrerequisites(spans, entries, edges),
  };
}

function completedBy(e: Entry | undefined, at: number): boolean {
  return (e?.transitions ?? []).some((t) => t.to === "completed" && Date.parse(t.at) <= at);
}

/** The outcome a finished walk-away run must have, for `toEqual` (cap and peaks checked apart). */
export function cleanOutcome(o: PhaseOutcome): Omit<PhaseOutcome, "cap" | "peakRecorded" | "peakLive"> & { withinCap: boolean } {
  const { cap, peakRecorded, peakLive: live, ...rest } = o;
  return { ...rest, withinCap: cap > 0 && peakRecorded <= cap && live <= cap };
}

export const CLEAN = {
  unfinished: [],
  missingSummaries: [],
  placeholders: [],
  runTwice: [],
  refusedCompletes: [],
  orderByHistory: [],
  orderByRequests: [],
  withinCap: true,
};
