import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MessagesBody, ScriptedModel, ToolResultBlock, ToolUseBlock } from "./mock-api";
import { PLUGIN_ROOT, type Sandbox, cleanupAll, makeSandbox, runClaude, startMock } from "./harness";
import { VERSIONS } from "./versions";

afterAll(() => cleanupAll());

/**
 * The commands' `allowed-tools` grant exactly the helper: `Bash(node "<plugin root>/dist/cli.js":*)`
 * and the same with single quotes, the plugin root filled in by Claude Code. In /gsd:status's own
 * turn a scripted model runs the helper, `node -e` (which the helper's JSON carrying plan text
 * could talk a model into) and the helper chained with `node -e`. Without the plugin's PreToolUse
 * hook (which allows helper lines on its own), the grant alone must let the helper (and the `!`
 * line) run and nothing else; the old grant `Bash(node:*)` lets `node -e` run (control).
 */
const blocks = (body: MessagesBody) => (body.messages ?? []).flatMap((m) => (Array.isArray(m.content) ? m.content : []));

function probeModel(root: string, marker: string): ScriptedModel {
  return (body) => {
    const all = blocks(body);
    if (!JSON.stringify(body.messages ?? []).includes("gsd:status")) return { content: [{ type: "text", text: "OK" }], label: "other" };
    if (all.some((b) => b.type === "tool_result")) return { content: [{ type: "text", text: "END" }], label: "end" };
    const bash = (command: string, description: string) => ({ type: "tool_use" as const, name: "Bash", input: { command, description } });
    return {
      label: "probe",
      content: [
        bash(`node "${root}/dist/cli.js" status --peek --json`, "helper"),
        bash(`node '${root}/dist/cli.js' --version`, "helper single-quoted"),
        bash(`node -e 'require("fs").writeFileSync(${JSON.stringify(marker)}, "x")'`, "eval"),
        bash(`node "${root}/dist/cli.js" --version; node -e 'require("fs").writeFileSync(${JSON.stringify(marker + "2")}, "x")'`, "chained"),
      ],
    };
  };
}

/** The result of each probe by its description. */
function results(body: MessagesBody): Record<string, { error: boolean; text: string }> {
  const uses = new Map<string, string>();
  const out: Record<string, { error: boolean; text: string }> = {};
  for (const b of blocks(body)) {
    if (b.type === "tool_use") uses.set((b as ToolUseBlock).id, String((b as ToolUseBlock).input.description));
    if (b.type === "tool_result") {
      const r = b as ToolResultBlock;
      const text = typeof r.content === "string" ? r.content : (r.content ?? []).map((c) => c.text ?? "").join("");
      out[uses.get(r.tool_use_id) ?? "?"] = { error: r.is_error === true, text };
    }
  }
  return out;
}

function pluginCopy(sb: Sandbox, grant?: string): string {
  const copy = join(sb.root, "plugin");
  cpSync(PLUGIN_ROOT, copy, { recursive: true });
  rmSync(join(copy, "hooks"), { recursive: true });
  if (grant !== undefined) {
    const file = join(copy, "commands", "status.md");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^allowed-tools: .*$/m, `allowed-tools: ${grant}`));
  }
  return copy;
}

async function probe(version: string, name: string, grant?: string) {
  const sb = makeSandbox(name);
  const root = pluginCopy(sb, grant);
  const marker = join(sb.root, "EVAL-RAN");
  const mock = await startMock(probeModel(root, marker), sb);
  const run = await runClaude(sb, { mock, version, args: ["-p", "/gsd:status", "--plugin-dir", root, "--output-format", "json"] });
  expect({ code: run.code, timedOut: run.timedOut }).toEqual({ code: 0, timedOut: false });
  const last = mock.messageRequests.filter((r) => r.label === "end").pop();
  expect(last).toBeDefined();
  const first = JSON.stringify(mock.messageRequests.find((r) => r.label === "probe")!.body!.messages);
  return { r: results(last!.body!), marker, first };
}

describe.each(VERSIONS.all)("Claude Code %s: the commands grant exactly the helper", (version) => {
  test("in the command's turn the helper and its `!` line run; node -e does not, alone or chained", async () => {
    const { r, marker, first } = await probe(version, `grant-${version}`);
    // The `!` line ran through the grant (its output, the status snapshot, is in the command text).
    expect(first).toContain("Phase 02-core-features");
    // It ran (status exits 5 while the phase is unfinished, so the tool reports an error code).
    expect(r.helper?.text).toContain('"command": "status"');
    expect(r.helper?.text).not.toContain("requires approval");
    expect(r["helper single-quoted"]).toEqual({ error: false, text: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(r.eval).toEqual({ error: true, text: expect.stringContaining("requires approval") });
    expect(r.chained).toEqual({ error: true, text: expect.stringContaining("requires approval") });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(marker + "2")).toBe(false);
  }, 120_000);

  test("control: with the old grant Bash(node:*) node -e runs", async () => {
    const { r, marker } = await probe(version, `grant-old-${version}`, "Bash(node:*), Agent, Task, TaskOutput, Read");
    expect(r.eval?.error).toBe(false);
    expect(existsSync(marker)).toBe(true);
  }, 120_000);
});
