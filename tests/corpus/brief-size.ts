/**
 * What the orchestrating model reads stays small on every real phase. For every phase of every
 * corpus project, at cap 3 and at cap 8, a whole run is played through the queue's own step
 * (the one `start` and `status` run) with everything still to do: the preview, the start, then,
 * round after round, every running plan finishing (its agent reported, its SUMMARY.md written)
 * and a `status`. Each answer is rendered exactly as `--brief` prints it. None may pass 2,000
 * characters plus 800 per spawn item it carries, nor 10,000 (where Claude Code starts cutting a
 * failed command's output); the largest is printed.
 */
import { JSON_SCHEMA_VERSION } from "../../lib/json/analysis-json";
import type { PhaseAnalysis } from "../../lib/core/graph/analysis";
import { briefView } from "../../lib/core/queue/brief-view";
import { emptyHistory } from "../../lib/core/queue/history-schema";
import type { QueueEvent, QueueFacts, QueueState } from "../../lib/core/queue/queue-event";
import { queueStep } from "../../lib/core/queue/queue-step";
import { BriefJson, BriefRefusedJson, briefOutput } from "../../lib/json/queue-json";
import type { CorpusPhase } from "./corpus-phase";

const LIMIT_BASE = 2000;
const LIMIT_PER_SPAWN = 800;
const HARD_LIMIT = 10_000;
/** A plugin installed from a marketplace lives this deep; prompts carry the helper's path. */
const HELPER = ["node", "/home/someone/.claude/plugins/cache/gsd-async/gsd/0.1.0/dist/cli.js"];
const T0 = Date.parse("2026-03-01T09:00:00.000Z");

interface Answer {
  where: string;
  command: string;
  chars: number;
  spawn: number;
}

function facts(root: string, analysis: PhaseAnalysis, cap: number, minute: number): QueueFacts {
  return {
    now: new Date(T0 + minute * 60_000).toISOString(),
    sessionId: "11111111-2222-3333-4444-555555555555",
    process: null,
    analysis,
    evidence: new Map(),
    estimates: new Map(),
    projectRoot: root,
    helper: HELPER,
    agent: { preferred: "gsd:gsd-executor", instructionsFile: "/home/someone/.claude/plugins/cache/gsd-async/gsd/0.1.0/agents/gsd-executor.md" },
    settings: { maxConcurrent: cap, includeCheckpoints: false },
    leaseMinutes: 3,
    staleMinutes: 240,
    settleMinutes: 2,
  };
}

/** The analysis with the given plans done (SUMMARY.md present) and every other plan to do. */
function withDone(a: PhaseAnalysis, done: ReadonlySet<string>): PhaseAnalysis {
  return { ...a, plans: a.plans.map((p) => ({ ...p, status: done.has(p.id) ? "complete" : "pending" })) };
}

/** One run of a phase at a cap, every answer the model would read. */
function playRun(root: string, base: PhaseAnalysis, cap: number, where: string): Answer[] {
  const out: Answer[] = [];
  const done = new Set<string>();
  let state: QueueState = { history: emptyHistory(), ledger: null };
  let minute = 0;
  const step = (ev: QueueEvent, command: "start" | "status", dryRun = false) => {
    const f = facts(root, withDone(base, done), cap, minute++);
    const r = queueStep(state, f, ev);
    if (!dryRun) state = r.state;
    let text: string;
    let spawn = 0;
    if (r.outcome.kind === "refused")
      text = briefOutput(BriefRefusedJson, {
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "start",
        refused: true,
        phase: base.phase.dir,
        reasons: r.outcome.reasons,
        next: "Nothing was started: tell the user these reasons and stop.",
      });
    else if (r.outcome.kind === "advanced") {
      const view = briefView(r.outcome.view, { command, mode: "yolo", dryRun });
      spawn = view.spawn.length;
      text = briefOutput(BriefJson, { schemaVersion: JSON_SCHEMA_VERSION, ...view });
    } else throw new Error(`${where}: ${command} gave ${r.outcome.kind}`);
    out.push({ where, command: dryRun ? "start --dry-run" : command, chars: text.length, spawn });
    return r.outcome.kind === "advanced" ? r.outcome.view : undefined;
  };
  const start = { kind: "start" as const, options: { newRunId: "r20260301T090000-abcd", maxConcurrent: cap } };
  step(start, "start", true);
  let view = step(start, "start");
  for (let round = 0; view && round <= base.plans.length + 1; round++) {
    const running = view.plans.filter((p) => ["starting", "running"].includes(p.state)).map((p) => p.id);
    for (const s of view.spawn) {
      const r = queueStep(state, facts(root, withDone(base, done), cap, minute++), {
        kind: "hook-spawned",
        runId: s.runId,
        planFile: s.planFile,
        agentId: `a${String(minute).padStart(16, "0")}`,
        outputFile: `/tmp/claude-1000/-home-someone-project/11111111-2222-3333-4444-555555555555/tasks/a${minute}.output`,
      });
      state = r.state;
    }
    const finishing = [...new Set([...running, ...view.spawn.map((s) => s.plan)])];
    if (finishing.length === 0) break;
    for (const id of finishing) {
      done.add(id);
      state = queueStep(state, facts(root, withDone(base, done), cap, minute++), { kind: "complete", plan: id, runId: start.options.newRunId }).state;
    }
    view = step({ kind: "status" }, "status");
  }
  return out;
}

/** Registers the test; `corpus.test.ts` calls it with the phases it has analysed (each analysed once for every corpus check). */
export function briefSizeTests(corpus: readonly CorpusPhase[]): void {
  test("start/status --brief stay within 2,000 chars + 800 per spawn item (and 10,000) on every corpus phase, at cap 3 and cap 8", () => {
    const answers: Answer[] = [];
    let phases = 0;
    for (const { project, root, analysis } of corpus) {
      if (analysis.plans.length === 0) continue;
      phases++;
      for (const cap of [3, 8]) answers.push(...playRun(root, analysis, cap, `${project} ${analysis.phase.dir} cap ${cap}`));
    }
    const over = answers.filter((a) => a.chars > Math.min(HARD_LIMIT, LIMIT_BASE + LIMIT_PER_SPAWN * a.spawn));
    const largest = [...answers].sort((a, b) => b.chars - a.chars).slice(0, 3);
    const perItem = [...answers].filter((a) => a.spawn > 0).sort((a, b) => (b.chars - LIMIT_BASE) / b.spawn - (a.chars - LIMIT_BASE) / a.spawn)[0];
    process.stdout.write(
      `brief size over ${phases} corpus phases x 2 caps (${answers.length} answers): largest ${largest.map((a) => `${a.chars} chars (${a.command}, ${a.spawn} spawn, ${a.where})`).join("; ")}` +
        (perItem ? `; most per spawn item: ${perItem.chars} chars for ${perItem.spawn} (${perItem.command}, ${perItem.where})` : "") +
        "\n",
    );
    expect(phases).toBeGreaterThan(500);
    expect(over.map((a) => `${a.where}: ${a.command} printed ${a.chars} chars with ${a.spawn} spawn items`)).toEqual([]);
  });
}
