import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gsdModel } from "./gsd-model";
import { REPO_ROOT, cleanupAll, makeSandbox, runClaudeCli, startMock } from "./harness";

afterAll(() => cleanupAll());

/**
 * `claude plugin validate --strict` (warnings fail too), with a throwaway HOME: every claude
 * invocation writes $HOME/.claude.json. Observed with 2.1.197: given the repository root, which
 * holds both manifests in .claude-plugin/, validate checks ONLY marketplace.json and passes
 * even when a command or hooks.json is broken. The plugin is therefore validated through its
 * plugin.json, and the broken copies below prove that this path does check commands and hooks.
 */
describe("claude plugin validate --strict", () => {
  test("the plugin (manifest, commands, hooks) and the marketplace pass", async () => {
    const sb = makeSandbox("validate");
    const mock = await startMock(gsdModel(), sb);
    const plugin = await runClaudeCli(sb, ["plugin", "validate", "--strict", join(REPO_ROOT, ".claude-plugin", "plugin.json")], mock.url);
    expect(plugin.out).toContain("Validating plugin manifest");
    expect(plugin.out).toContain("✔ Validation passed");
    // 2.1.332 adds advisory "plugin directory checks" (icon, network hosts) that "do not change
    // the result"; the plugin's own checks before them must have no warning.
    expect(plugin.out.split("Plugin directory checks for")[0]).not.toContain("warning");
    expect(plugin.out).not.toMatch(/^\s*⚠ (?!Found \d+ plugin directory warning)/m);
    expect(plugin.code).toBe(0);
    const market = await runClaudeCli(sb, ["plugin", "validate", "--strict", join(REPO_ROOT, ".claude-plugin", "marketplace.json")], mock.url);
    expect(market.out).toContain("Validating marketplace manifest");
    expect(market.out).toContain("✔ Validation passed");
    expect(market.code).toBe(0);
    // The marketplace lists this repository's plugin under its manifest name.
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, ".claude-plugin", "plugin.json"), "utf8")) as { name: string; version: string };
    const listing = JSON.parse(readFileSync(join(REPO_ROOT, ".claude-plugin", "marketplace.json"), "utf8")) as {
      plugins: Array<{ name: string; source: string; version?: string }>;
    };
    expect(listing.plugins).toEqual([expect.objectContaining({ name: manifest.name, source: "./" })]);
    expect(manifest.name).toBe("gsd");
    // Validation needs no model and sent nothing anywhere.
    expect(mock.messageRequests).toEqual([]);
  }, 120_000);

  test("validating through plugin.json catches a broken command and broken hooks (controls)", async () => {
    const sb = makeSandbox("validate-broken");
    const mock = await startMock(gsdModel(), sb);
    const copy = join(sb.root, "plugin-copy");
    for (const d of [".claude-plugin", "commands", "hooks", "workflows"]) cpSync(join(REPO_ROOT, d), join(copy, d), { recursive: true });
    const status = join(copy, "commands", "status.md");
    const original = readFileSync(status, "utf8");
    // A quote left open into a line that is no YAML: both versions refuse it (2.1.332's parser
    // accepts an unquoted `[a] [b]`, and even an unclosed `[`, which 2.1.197 refused).
    writeFileSync(status, original.replace(/^argument-hint: .*$/m, 'argument-hint: "[agent-id] [--wait]\n  bad: : :'));
    const badCommand = await runClaudeCli(sb, ["plugin", "validate", "--strict", join(copy, ".claude-plugin", "plugin.json")], mock.url);
    expect(badCommand.out).toContain("YAML frontmatter failed to parse");
    expect(badCommand.code).toBe(1);
    writeFileSync(status, original);
    writeFileSync(join(copy, "hooks", "hooks.json"), JSON.stringify({ hooks: { NotAnEvent: [] } }));
    const badHooks = await runClaudeCli(sb, ["plugin", "validate", "--strict", join(copy, ".claude-plugin", "plugin.json")], mock.url);
    expect(badHooks.out).toContain("hooks.NotAnEvent");
    expect(badHooks.code).toBe(1);
  }, 120_000);
});
