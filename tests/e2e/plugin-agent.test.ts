import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MessagesBody, ScriptedModel, ToolResultBlock, ToolUseBlock } from "./mock-api";
import { PLUGIN_ROOT, cleanupAll, makeSandbox, runClaude, startMock } from "./harness";
import { VERSIONS } from "./versions";

afterAll(() => cleanupAll());

/**
 * The plugin's executor agent (agents/gsd-executor.md) as the Agent tool knows it. Observed on
 * both versions: a plugin agent's `subagent_type` is `<plugin name>:<agent name>`, here
 * `gsd:gsd-executor`; it runs with the agent file's body as its system prompt and exactly the
 * tools its front matter names. An unknown type (the bare `gsd-executor` too) is refused by the
 * tool with "Agent type '...' not found. Available agents: ..." (an error result, no agent).
 */
const TYPES = { namespaced: "gsd:gsd-executor", bare: "gsd-executor", unknown: "gsd:nope" } as const;
const AGENT_BODY = "You carry out one GSD plan on your own";

const blocks = (body: MessagesBody) => (body.messages ?? []).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
const systemText = (body: MessagesBody) => (typeof body.system === "string" ? body.system : (body.system ?? []).map((s) => s.text ?? "").join("\n"));

const model: ScriptedModel = (body) => {
  if (systemText(body).includes(AGENT_BODY)) return { content: [{ type: "text", text: "EXECUTOR-DONE" }], label: "executor" };
  const text = JSON.stringify(body.messages ?? []);
  if (!text.includes("PROBE-AGENT-TYPES")) return { content: [{ type: "text", text: "OK" }], label: "other" };
  if (blocks(body).some((b) => b.type === "tool_result")) return { content: [{ type: "text", text: "END" }], label: "end" };
  return {
    label: "probe",
    content: Object.entries(TYPES).map(([key, type]) => ({
      type: "tool_use" as const,
      name: "Agent",
      input: { description: key, prompt: `probe ${key}`, subagent_type: type, run_in_background: false },
    })),
  };
};

describe.each(VERSIONS.all)("Claude Code %s: the plugin's executor agent", (version) => {
  test("is subagent_type gsd:gsd-executor, with its own instructions and tools; other names are refused", async () => {
    const sb = makeSandbox(`agent-${version}`);
    const mock = await startMock(model, sb);
    const run = await runClaude(sb, {
      mock,
      version,
      args: ["-p", "PROBE-AGENT-TYPES", "--plugin-dir", PLUGIN_ROOT, "--output-format", "json", "--allowedTools", "Agent"],
    });
    expect({ code: run.code, timedOut: run.timedOut }).toEqual({ code: 0, timedOut: false });

    const executor = mock.messageRequests.filter((r) => r.label === "executor");
    expect(executor.length).toBeGreaterThanOrEqual(1);
    const tools = (executor[0]!.body!.tools ?? []).map((t) => t.name).sort();
    const declared = /^tools: (.*)$/m
      .exec(readFileSync(join(PLUGIN_ROOT, "agents", "gsd-executor.md"), "utf8"))![1]!
      .split(",")
      .map((t) => t.trim())
      .sort();
    expect(tools).toEqual(declared);
    expect(JSON.stringify(executor[0]!.body!.messages)).toContain("probe namespaced");

    const end = mock.messageRequests.filter((r) => r.label === "end").pop()!;
    const byDescription = new Map<string, string>();
    for (const b of blocks(end.body!)) if (b.type === "tool_use") byDescription.set((b as ToolUseBlock).id, String((b as ToolUseBlock).input.description));
    const result: Record<string, { error: boolean; text: string }> = {};
    for (const b of blocks(end.body!)) {
      if (b.type !== "tool_result") continue;
      const r = b as ToolResultBlock;
      const text = typeof r.content === "string" ? r.content : (r.content ?? []).map((c) => c.text ?? "").join("");
      result[byDescription.get(r.tool_use_id)!] = { error: r.is_error === true, text };
    }
    expect(result.namespaced?.error).toBe(false);
    for (const key of ["bare", "unknown"] as const) {
      expect(result[key]?.error).toBe(true);
      expect(result[key]?.text).toContain(`Agent type '${TYPES[key]}' not found. Available agents:`);
      expect(result[key]?.text).toContain("gsd:gsd-executor");
    }
  }, 120_000);
});
