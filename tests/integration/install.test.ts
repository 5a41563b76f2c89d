import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { run } from "../../lib/cli/program";
import { makeTree, removeTree } from "../helpers/tree";

const repo = resolve(__dirname, "../..");

/** Runs the CLI as if started from the repository's dist/cli.js (install copies from there). */
async function cli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, {
    cwd,
    env,
    isTTY: false,
    out: (s) => (out += s),
    err: (s) => (err += s),
    now: () => new Date("2026-11-22T00:00:00Z"),
    helper: ["node", join(repo, "dist", "cli.js")],
    readStdin: async () => "",
  });
  return { code, out, err };
}

describe("install / uninstall without the plugin system", () => {
  let project: string;
  beforeEach(() => {
    project = makeTree({
      ".claude/settings.json": JSON.stringify({ model: "opus", hooks: { Stop: [{ hooks: [{ type: "command", command: "echo mine" }] }] } }),
    });
  });
  afterEach(() => removeTree(project));

  it("copies commands, workflow and helper into ./.claude with the paths filled in, and merges hooks", async () => {
    const r = await cli(["install", "--local", "--json"], project);
    expect(r.code).toBe(0);
    const root = join(project, ".claude", "gsd-async");
    for (const f of [
      "commands/gsd/execute-phase-async.md",
      "commands/gsd/execute-async.md",
      "commands/gsd/status.md",
      "gsd-async/workflows/async-execution.md",
      "gsd-async/dist/cli.js",
      "gsd-async/dist/hook-pre-tool-use.js",
    ]) {
      expect(existsSync(join(project, ".claude", f))).toBe(true);
    }
    const cmd = readFileSync(join(project, ".claude/commands/gsd/execute-phase-async.md"), "utf8");
    expect(cmd).not.toContain("${CLAUDE_PLUGIN_ROOT}");
    expect(cmd).toContain(`node "${root}/dist/cli.js"`);
    expect(cmd).toContain(`@${root}/workflows/async-execution.md`);
    // The copied helper is the same self-contained bundle.
    expect(readFileSync(join(root, "dist/cli.js"), "utf8")).toBe(readFileSync(join(repo, "dist/cli.js"), "utf8"));
    const settings = JSON.parse(readFileSync(join(project, ".claude/settings.json"), "utf8"));
    expect(settings.model).toBe("opus");
    expect(settings.hooks.Stop).toEqual([{ hooks: [{ type: "command", command: "echo mine" }] }]);
    expect(settings.hooks.PostToolUse[0].matcher).toBe("Agent|Task");
    expect(settings.hooks.PostToolUse[0].hooks[0].command).toBe(`node "${root}/dist/cli.js" hook post-tool-use`);
    expect(settings.hooks.SubagentStop[0].hooks[0].command).toContain("hook subagent-stop");
    // The Bash hook keeps its filter and runs the installed copy of the small bundle.
    expect(settings.hooks.PreToolUse[0].hooks[0]).toMatchObject({ if: "Bash(*node *)", command: `node "${root}/dist/hook-pre-tool-use.js"` });
    expect(readFileSync(join(root, "dist/hook-pre-tool-use.js"), "utf8")).toBe(readFileSync(join(repo, "dist/hook-pre-tool-use.js"), "utf8"));
  });

  it("installing twice adds the hooks once", async () => {
    await cli(["install", "--local"], project);
    expect((await cli(["install", "--local"], project)).code).toBe(0);
    const settings = JSON.parse(readFileSync(join(project, ".claude/settings.json"), "utf8"));
    expect(settings.hooks.PostToolUse).toHaveLength(1);
  });

  it("uninstall removes exactly what install added, keeping the user's settings and changed files", async () => {
    await cli(["install", "--local"], project);
    const changed = join(project, ".claude/commands/gsd/status.md");
    writeFileSync(changed, "my own edits\n");
    const r = await cli(["uninstall", "--local", "--json"], project);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).kept).toEqual([changed]);
    expect(existsSync(changed)).toBe(true);
    expect(existsSync(join(project, ".claude/commands/gsd/execute-phase-async.md"))).toBe(false);
    expect(existsSync(join(project, ".claude/gsd-async/dist/cli.js"))).toBe(false);
    expect(existsSync(join(project, ".claude/gsd-async/dist/hook-pre-tool-use.js"))).toBe(false);
    const settings = JSON.parse(readFileSync(join(project, ".claude/settings.json"), "utf8"));
    expect(settings).toEqual({ model: "opus", hooks: { Stop: [{ hooks: [{ type: "command", command: "echo mine" }] }] } });
  });

  it("refuses to overwrite a file that is not its own", async () => {
    writeFileSync(join(project, ".claude/settings.json"), "{}");
    makeTreeAt(project, { ".claude/commands/gsd/status.md": "someone else's command\n" });
    const r = await cli(["install", "--local"], project);
    expect(r.code).toBe(2);
    expect(r.err).toContain("not overwriting");
    expect(readFileSync(join(project, ".claude/commands/gsd/status.md"), "utf8")).toBe("someone else's command\n");
    expect(existsSync(join(project, ".claude/gsd-async"))).toBe(false);
  });

  it("--global installs into $HOME/.claude", async () => {
    const home = makeTree({});
    try {
      expect((await cli(["install", "--global"], project, { HOME: home })).code).toBe(0);
      expect(existsSync(join(home, ".claude/commands/gsd/status.md"))).toBe(true);
      expect((await cli(["uninstall", "--global"], project, { HOME: home })).code).toBe(0);
      expect(existsSync(join(home, ".claude/commands/gsd/status.md"))).toBe(false);
    } finally {
      removeTree(home);
    }
  });

  it("uninstall without an installation is a usage error", async () => {
    const r = await cli(["uninstall", "--local"], project);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no gsd-async installation");
  });
});

function makeTreeAt(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}
