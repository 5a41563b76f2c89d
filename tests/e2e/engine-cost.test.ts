import { explained, mainRequests, realErrors, setConfig, storyOf } from "./checks";
import { gsdModel } from "./gsd-model";
import { CLAUDE_VERSION, type CorpusPhase, cleanupAll, gsdArgs, makeCorpusSandbox, runClaude, startMock } from "./harness";
import { CLEAN, cleanOutcome, phaseOutcome, phasePlans } from "./phase-checks";
import { readingCost } from "./reading-cost";

afterAll(() => cleanupAll());

/**
 * What the orchestrating conversation costs with each engine, from the mock's request log, on
 * the same real phases: main-thread requests (each is a model turn that re-reads the whole
 * conversation) and the characters that reached the main model after its instructions. The
 * workflow engine's goal: a constant number of main-thread requests per phase, whatever its size.
 */
const PHASES: Array<CorpusPhase & { phase: string }> = [
  { project: "Goom1000__Cue", dir: "23-the-chase", phase: "23" },
  { project: "GernotUllrich__carambus", dir: "40-mcp-server-clubcloud", phase: "40" },
];
const ENGINES = ["agents", "workflow"] as const;

interface Measured {
  phase: string;
  engine: (typeof ENGINES)[number];
  plans: number;
  mainRequests: number;
  /** Characters of every main-thread request body: what the main model is sent, history included. */
  mainBytesSent: number;
  /** Characters that reached the main model after its instructions, each counted once (reading-cost.ts). */
  readAfterInstructions: number;
  instructions: number;
}

const measured: Measured[] = [];

afterAll(() => {
  const rows = measured.map(
    (m) => `| ${m.phase} | ${m.plans} | ${m.engine} | ${m.mainRequests} | ${m.mainBytesSent} | ${m.readAfterInstructions} | ${m.instructions} |`,
  );
  process.stdout.write(
    [
      `Claude Code ${CLAUDE_VERSION}: the orchestrating conversation, by engine`,
      "| phase | plans | engine | main-thread requests | chars sent to the main model | chars read after the instructions | instructions |",
      "|---|---|---|---|---|---|---|",
      ...rows,
      "",
    ].join("\n"),
  );
});

const cases = PHASES.flatMap((p) => ENGINES.map((engine) => ({ ...p, engine, name: `${p.project} phase ${p.phase}, engine ${engine}` })));

test.each(cases)(
  "$name: the phase completes, and the main thread's cost is measured",
  async ({ project, dir, phase, engine }) => {
    const sb = makeCorpusSandbox(`cost-${engine}`, { project, dir });
    setConfig(sb, (c) => {
      const par = typeof c.parallelization === "object" && c.parallelization !== null ? (c.parallelization as Record<string, unknown>) : {};
      c.parallelization = { ...par, engine };
    });
    const plans = await phasePlans(sb, phase);
    const mock = await startMock(gsdModel({ agentLatencyMs: 50 }), sb);
    const run = await runClaude(sb, { mock, args: gsdArgs(`/gsd:execute-phase-async ${phase}`), timeoutMs: 240_000 });
    await explained(storyOf(mock, sb, [run]), async () => {
      expect({ timedOut: run.timedOut, code: run.code }).toEqual({ timedOut: false, code: 0 });
      expect(realErrors(run.errors)).toEqual([]);
      expect(cleanOutcome(await phaseOutcome(sb, mock, phase, plans))).toEqual(CLEAN);
      const main = mainRequests(mock);
      const cost = readingCost(mock.requests);
      measured.push({
        phase: `${project} ${phase}`,
        engine,
        plans: plans.autonomous.length,
        mainRequests: main.length,
        mainBytesSent: main.reduce((n, r) => n + JSON.stringify(r.body?.messages ?? []).length, 0),
        readAfterInstructions: cost.helperChars + cost.otherChars,
        instructions: cost.instructionChars,
      });
      if (engine === "workflow") {
        // Preview, start, the Workflow call, the report; the one notification's status and the final report.
        expect(main.length).toBe(6);
        const agents = measured.find((m) => m.phase === `${project} ${phase}` && m.engine === "agents");
        if (agents) expect(main.length).toBeLessThan(agents.mainRequests);
      }
    });
  },
  300_000,
);
