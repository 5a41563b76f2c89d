import { explained, realErrors, storyOf } from "./checks";
import { gsdModel } from "./gsd-model";
import { CLAUDE_VERSION, type CorpusPhase, cleanupAll, gsdArgs, makeCorpusSandbox, runClaude, startMock } from "./harness";
import { CLEAN, cleanOutcome, phaseOutcome, phasePlans } from "./phase-checks";
import { describeCost, readingCost } from "./reading-cost";

afterAll(() => cleanupAll());

/**
 * YOLO on real phases of 6+ plans from the corpus, copied into a throwaway project with their
 * summaries removed: one `/gsd:execute-phase-async <phase>` and nobody touching anything after.
 * In default permissions only the plugin's hooks and an Edit rule for .planning grant anything;
 * acceptEdits adds Claude Code's own auto-approval of file edits and file-changing commands.
 */
const PHASES: Array<CorpusPhase & { phase: string }> = [
  { project: "Goom1000__Cue", dir: "23-the-chase", phase: "23" },
  { project: "GernotUllrich__carambus", dir: "40-mcp-server-clubcloud", phase: "40" },
  { project: "885bryn__OmniLedger", dir: "29-cadence-toggle-synced-cashflow-view", phase: "29" },
];
const MODES: Array<{ mode: string; extra: string[] }> = [
  { mode: "default permissions", extra: [] },
  { mode: "acceptEdits", extra: ["--permission-mode", "acceptEdits"] },
];

const cases = PHASES.flatMap((p) => MODES.map((m) => ({ ...p, ...m, name: `${p.project} phase ${p.phase}, ${m.mode}` })));

test.each(cases)(
  "$name: one /gsd:execute-phase-async finishes every autonomous plan, within the cap, in dependency order",
  async ({ project, dir, phase, extra, name }) => {
    const sb = makeCorpusSandbox("corpus", { project, dir });
    const plans = await phasePlans(sb, phase);
    expect(plans.all.length).toBeGreaterThanOrEqual(6);
    const mock = await startMock(gsdModel({ agentLatencyMs: 50 }), sb);
    const run = await runClaude(sb, { mock, args: gsdArgs(`/gsd:execute-phase-async ${phase}`, ...extra), timeoutMs: 240_000 });
    process.stdout.write(`${describeCost(`Claude Code ${CLAUDE_VERSION}, ${name}`, readingCost(mock.requests), plans.autonomous.length)}\n`);
    await explained(storyOf(mock, sb, [run]), async () => {
      expect({ timedOut: run.timedOut, code: run.code }).toEqual({ timedOut: false, code: 0 });
      expect(realErrors(run.errors)).toEqual([]);
      expect(cleanOutcome(await phaseOutcome(sb, mock, phase, plans))).toEqual(CLEAN);
    });
  },
  300_000,
);
