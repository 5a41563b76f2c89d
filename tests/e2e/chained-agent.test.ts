import { existsSync } from "node:fs";
import { join } from "node:path";
import { agentBashCalls, entriesByPlan, explained, hookLog, readHistory, realErrors, storyOf } from "./checks";
import { Conversation, resultText } from "./conversation";
import { PLAN_MARKER, gsdModel, planIdOf } from "./gsd-model";
import type { Reply, ScriptedModel } from "./mock-api";
import { cleanupAll, gsdArgs, makeSandbox, runClaude, startMock } from "./harness";

afterAll(() => cleanupAll());

const AUTONOMOUS = ["02-01", "02-02", "02-03", "02-04", "02-05"];
const DENIED = "gsd-async: this Bash call was not run";

/**
 * Background agents that behave like models do: each writes its SUMMARY.md with a here-document
 * and runs its `complete` line in the same Bash call. The plugin's hook refuses that (a helper
 * call inside other shell syntax is what a quote break-out looks like); the agent then does
 * what the refusal says, once: writes the summary with the Write tool and runs the line the
 * reason names, alone. The main conversation is the usual scripted model.
 */
function chainingAgents(): ScriptedModel {
  const main = gsdModel();
  return async (body, seq) => {
    const conv = new Conversation(body);
    const p = conv.firstUserText;
    if (!PLAN_MARKER.test(p)) return main(body, seq);
    const plan = planIdOf(PLAN_MARKER.exec(p)?.[1] ?? "");
    const root = /^Project: (.+)$/m.exec(p)?.[1]?.trim();
    const summary = /^Summary to write: (\S+)$/m.exec(p)?.[1];
    const onSuccess = /^\s*done:\s+(.+)$/m.exec(p)?.[1]?.trim();
    if (!root || !summary || !onSuccess) throw new Error(`agent prompt for ${plan} lacks root, summary or the complete line`);
    const file = `${root}/${summary}`;
    const content = `---\nplan: ${plan}\nduration: 1min\n---\n\n# ${plan} summary\n\nIt didn't need more than the plan's tasks.\n`;
    const tool = (name: string, input: Record<string, unknown>, label: string): Reply => ({ content: [{ type: "tool_use", name, input }], label });
    const bash = conv.calls.filter((c) => c.use.name === "Bash");
    const wrote = conv.calls.some((c) => c.use.name === "Write");
    if (bash.length === 0) {
      const chained = `cat > '${file}' <<'EOF'\n${content}EOF\n${onSuccess}`;
      return tool("Bash", { command: chained, description: `write summary and record ${plan}` }, `agent ${plan}: summary + complete in one call`);
    }
    const refusal = resultText(bash[bash.length - 1]!);
    if (refusal.includes(DENIED) && !wrote) return tool("Write", { file_path: file, content }, `agent ${plan}: write summary as told`);
    if (wrote && bash.length === 1) {
      const first = resultText(bash[0]!);
      const line = first.slice(first.lastIndexOf(": node ") + 2).trim();
      return tool("Bash", { command: line, description: `record ${plan}` }, `agent ${plan}: complete alone as told`);
    }
    return { content: [{ type: "text", text: `${plan}: done.` }], label: `agent ${plan}: end` };
  };
}

test("agents that write their summary and run `complete` in one Bash call are told what to run instead, and finish the phase", async () => {
  const sb = makeSandbox("chained");
  const mock = await startMock(chainingAgents(), sb);
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), timeoutMs: 150_000 });
  await explained(storyOf(mock, sb, [run]), () => {
    expect({ timedOut: run.timedOut, code: run.code, isError: run.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    expect(realErrors(run.errors)).toEqual([]);
    const calls = agentBashCalls(mock);
    const log = hookLog(sb);
    const by = entriesByPlan(readHistory(sb));
    for (const plan of AUTONOMOUS) {
      const mine = calls.filter((c) => c.plan === plan);
      // First the chained call, refused with the exact line; then that line alone, which ran.
      expect(mine).toHaveLength(2);
      expect(mine[0]!.command).toContain("<<'EOF'");
      expect(mine[0]!.result).toContain(DENIED);
      expect(mine[1]!.command).toMatch(/^node \S+\/dist\/cli\.js complete /);
      // The line the reason named is the agent's own complete line, unchanged.
      expect(mine[0]!.command.endsWith(`\n${mine[1]!.command}`)).toBe(true);
      expect(mine[1]!.result).not.toContain(DENIED);
      expect(log).toContain(`hook pre-tool-use: allowed: ${mine[1]!.command}`);
      // Recorded by the agent's own complete call, not inferred from its SUMMARY.md when it stopped.
      expect({ plan, state: by.get(plan)?.status }).toEqual({ plan, state: "completed" });
      expect(log).toContain(`hook subagent-stop: ${plan} already completed`);
      expect(existsSync(join(sb.project, `.planning/phases/02-core-features/${plan}-SUMMARY.md`))).toBe(true);
    }
    expect(log.match(/hook pre-tool-use: denied: cat > /g)).toHaveLength(AUTONOMOUS.length);
  });
}, 180_000);
