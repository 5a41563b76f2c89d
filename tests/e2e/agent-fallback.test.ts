import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { agentCalls, entriesByPlan, explained, helperResults, readHistory, realErrors, storyOf } from "./checks";
import { resultText } from "./conversation";
import { gsdModel } from "./gsd-model";
import { PLUGIN_ROOT, cleanupAll, makeSandbox, runClaude, startMock } from "./harness";

afterAll(() => cleanupAll());

const PHASE_DIR = ".planning/phases/02-core-features";
const AUTONOMOUS = ["02-01", "02-02", "02-03", "02-04", "02-05"];

/**
 * A plugin whose executor agent Claude Code knows by another name (the definition's `name` is
 * not its file name), while the helper finds agents/gsd-executor.md and hands out
 * `gsd:gsd-executor`: the Agent tool refuses that type, and the run must fall back to
 * general-purpose agents told to read the instructions file, as the protocol says, without
 * losing or doubling a plan.
 */
function pluginWithoutAgentType(root: string): string {
  const copy = join(root, "plugin-copy");
  cpSync(PLUGIN_ROOT, copy, { recursive: true });
  const agent = join(copy, "agents", "gsd-executor.md");
  writeFileSync(agent, readFileSync(agent, "utf8").replace(/^name: gsd-executor$/m, "name: gsd-executor-elsewhere"));
  return copy;
}

test("the plugin's agent type unknown to Claude Code: the run falls back to general-purpose agents and finishes", async () => {
  const sb = makeSandbox("agent-fallback");
  const plugin = pluginWithoutAgentType(sb.root);
  const mock = await startMock(gsdModel({ agentLatencyMs: 150 }), sb);
  const args = ["-p", "/gsd:execute-phase-async 2", "--plugin-dir", plugin, "--output-format", "json", "--allowedTools", "Edit(./.planning/**)"];
  const run = await runClaude(sb, { mock, args, timeoutMs: 240_000 });

  await explained(storyOf(mock, sb, [run]), () => {
    expect({ timedOut: run.timedOut, code: run.code, isError: run.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    expect(realErrors(run.errors)).toEqual([]);

    // First the plugin's type, refused by the Agent tool for each of the three ready plans.
    const calls = agentCalls(mock);
    const first = calls.filter((c) => c.seq === calls[0]?.seq);
    expect(first.map((c) => c.use.input.subagent_type)).toEqual(["gsd:gsd-executor", "gsd:gsd-executor", "gsd:gsd-executor"]);
    const refusals = calls
      .flatMap((c) => c.conv.calls)
      .filter((c) => c.use.name === "Agent" && c.result?.is_error === true && /Agent type 'gsd:gsd-executor' not found/.test(resultText(c)));
    expect(new Set(refusals.map((c) => c.use.id)).size).toBe(3);

    // Then, once, the protocol's fallback; it hands the same plans out again, as general-purpose.
    const fallbacks = helperResults(mock, /status --brief --agent-type general-purpose/);
    expect(fallbacks).toHaveLength(1);
    const again = (fallbacks[0]!.json?.spawn ?? []) as Array<{ plan: string; agentInput: { subagent_type: string; prompt: string } }>;
    expect(again.map((s) => s.plan).sort()).toEqual(first.map((c) => c.plan).sort());
    const rest = calls.filter((c) => c.seq !== calls[0]?.seq);
    expect(rest.map((c) => c.plan).sort()).toEqual(AUTONOMOUS);
    for (const c of rest) {
      expect(c.use.input.subagent_type).toBe("general-purpose");
      expect(String(c.use.input.prompt)).toContain(`First read ${join(plugin, "agents", "gsd-executor.md")}`);
    }

    // Every plan ran exactly once, by one agent, and completed; the refused claims were
    // handed out again at once (no lease had to run out), in the same attempt.
    const by = entriesByPlan(readHistory(sb));
    for (const plan of AUTONOMOUS) {
      const e = by.get(plan)!;
      expect({ plan, status: e.status, attempt: e.attempt }).toEqual({ plan, status: "completed", attempt: 1 });
      expect(existsSync(join(sb.project, PHASE_DIR, `${plan}-SUMMARY.md`))).toBe(true);
    }
    for (const c of first) {
      expect({ plan: c.plan, via: by.get(c.plan)!.transitions.map((t) => t.via) }).toEqual({
        plan: c.plan,
        via: ["create", "dispatch", "spawn", "relaunch", "dispatch", "spawn", "complete"],
      });
    }
    expect(readHistory(sb)?.runs[0]?.agent_type).toBe("general-purpose");
  });
});
