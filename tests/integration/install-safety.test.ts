import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { run } from "../../lib/cli/program";
import { makeTree, removeTree } from "../helpers/tree";

const repo = resolve(__dirname, "../..");

async function cli(argv: string[], cwd: string, script = join(repo, "dist", "cli.js")): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, {
    cwd,
    env: {},
    isTTY: false,
    out: (s) => (out += s),
    err: (s) => (err += s),
    now: () => new Date("2026-11-22T00:00:00Z"),
    helper: ["node", script],
    readStdin: async () => "",
  });
  return { code, out, err };
}

const sha = (t: string) => createHash("sha256").update(t).digest("hex");
const USER_HOOK = { hooks: [{ type: "command", command: "echo mine" }] };

/** Every file under dir, relative, sorted (to show that nothing changed). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out[`${rel}${e.name}`] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(dir, "");
  return out;
}

describe("install and uninstall touch only what is theirs", () => {
  let box: string;
  let project: string;
  let claude: string;
  beforeEach(async () => {
    box = makeTree({
      "victimdir/important.txt": "keep me\n",
      "project/.claude/settings.json": JSON.stringify({ model: "opus", hooks: { Stop: [USER_HOOK] } }),
    });
    project = join(box, "project");
    claude = join(project, ".claude");
    expect((await cli(["install", "--local"], project)).code).toBe(0);
  });
  afterEach(() => removeTree(box));

  const manifestFile = () => join(claude, "gsd-async", "install-manifest.json");
  const editManifest = (edit: (m: { files: { path: string; sha256: string }[]; hooks: Record<string, unknown[]> }) => void) => {
    const m = JSON.parse(readFileSync(manifestFile(), "utf8"));
    edit(m);
    writeFileSync(manifestFile(), JSON.stringify(m));
  };

  it("a manifest naming a path outside .claude (with that file's hash) removes nothing, and says which entry", async () => {
    editManifest((m) => m.files.push({ path: "../../victimdir/important.txt", sha256: sha("keep me\n") }));
    const before = snapshot(box);
    const r = await cli(["uninstall", "--local"], project);
    expect(r.code).toBe(4);
    expect(r.err).toContain('"../../victimdir/important.txt" is not a plain relative path');
    expect(r.out).not.toContain("Removed");
    expect(snapshot(box)).toEqual(before);
    expect(readFileSync(join(box, "victimdir/important.txt"), "utf8")).toBe("keep me\n");
  });

  it("a manifest naming an absolute path, or a file outside the install folders, removes nothing", async () => {
    for (const path of [join(box, "victimdir/important.txt"), "settings.json", "commands/other.md"]) {
      const saved = readFileSync(manifestFile(), "utf8");
      editManifest((m) => m.files.push({ path, sha256: "0" }));
      const before = snapshot(box);
      const r = await cli(["uninstall", "--local"], project);
      expect({ path, code: r.code }).toEqual({ path, code: 4 });
      expect(snapshot(box)).toEqual(before);
      writeFileSync(manifestFile(), saved);
    }
  });

  it("a listed file reached through a symbolic link out of .claude is kept", async () => {
    const status = join(claude, "commands/gsd/status.md");
    const text = readFileSync(status, "utf8");
    // commands/gsd now leads to a folder outside .claude that holds a file with the same text.
    const outside = join(box, "victimdir/gsd");
    mkdirSync(outside);
    writeFileSync(join(outside, "status.md"), text);
    execFileSync("rm", ["-r", join(claude, "commands/gsd")]);
    symlinkSync(outside, join(claude, "commands/gsd"));
    const r = await cli(["uninstall", "--local", "--json"], project);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).kept).toContain(status);
    expect(readFileSync(join(outside, "status.md"), "utf8")).toBe(text);
  });

  it("the hooks in a crafted manifest do not remove the user's own hooks", async () => {
    editManifest((m) => (m.hooks = { Stop: [USER_HOOK] }));
    expect((await cli(["uninstall", "--local"], project)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(claude, "settings.json"), "utf8"))).toEqual({ model: "opus", hooks: { Stop: [USER_HOOK] } });
  });

  it("a malformed settings.json fails clearly and changes nothing (files, hooks, manifest)", async () => {
    writeFileSync(join(claude, "settings.json"), '{ "model": "opus", ');
    const before = snapshot(box);
    const r = await cli(["uninstall", "--local"], project);
    expect(r.code).toBe(4);
    expect(r.err).toContain(`${join(claude, "settings.json")} is not a JSON object; fix it first (nothing was removed)`);
    expect(r.out).not.toContain("Removed");
    expect(snapshot(box)).toEqual(before);
  });

  it("a hook entry the user edited is taken out of and reported; the user's own handler in it stays; a changed command is reported", async () => {
    const settingsFile = join(claude, "settings.json");
    const s = JSON.parse(readFileSync(settingsFile, "utf8"));
    const pre = s.hooks.PreToolUse.find((e: { matcher: string }) => e.matcher === "Bash");
    pre.hooks[0].timeout = 99;
    pre.hooks.push({ type: "command", command: "echo my-own-pre-hook" });
    const post = s.hooks.PostToolUse[0];
    post.hooks[0].command += " --verbose";
    writeFileSync(settingsFile, JSON.stringify(s));
    const r = await cli(["uninstall", "--local", "--json"], project);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.hooksChanged).toEqual(["PreToolUse (Bash)"]);
    expect(out.hooksLeft).toEqual([`PostToolUse (Agent|Task): node "${join(claude, "gsd-async")}/dist/cli.js" hook post-tool-use --verbose`]);
    const after = JSON.parse(readFileSync(settingsFile, "utf8"));
    expect(after.hooks.PreToolUse).toEqual([{ matcher: "Bash", hooks: [{ type: "command", command: "echo my-own-pre-hook" }] }]);
    expect(after.hooks.Stop).toEqual([USER_HOOK]);
    expect(after.hooks.SubagentStop).toBeUndefined();
    // The text output says the same.
    const again = await cli(["install", "--local"], project);
    expect(again.code).toBe(0);
    const s2 = JSON.parse(readFileSync(settingsFile, "utf8"));
    s2.hooks.SubagentStop[0].hooks[0].timeout = 1;
    writeFileSync(settingsFile, JSON.stringify(s2));
    const text = await cli(["uninstall", "--local"], project);
    expect(text.out).toContain("Hook entries you had changed: gsd-async's command was taken out of SubagentStop; the rest of each is kept.");
    expect(text.out).toContain("naming the removed helper (edit or delete them): PostToolUse (Agent|Task):");
  });
});

describe("install refuses a directory it cannot paste safely", () => {
  it('refuses `dq"; touch X; echo "` with a clear error and writes nothing', async () => {
    const box = makeTree({});
    try {
      const project = join(box, 'dq"; touch X; echo "');
      mkdirSync(join(project, ".claude"), { recursive: true });
      writeFileSync(join(project, ".claude/settings.json"), "{}");
      const r = await cli(["install", "--local"], project);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`cannot install into ${JSON.stringify(join(project, ".claude", "gsd-async"))}: its path holds "\\""`);
      expect(readdirSync(join(project, ".claude"))).toEqual(["settings.json"]);
      expect(readFileSync(join(project, ".claude/settings.json"), "utf8")).toBe("{}");
      expect(existsSync(join(project, "X"))).toBe(false);
    } finally {
      removeTree(box);
    }
  });

  it.each(["it's", "a$HOME", "back`tick`", "new\nline", "back\\slash", "semi;colon", "hash #1"])("refuses a directory named %j", async (name) => {
    const box = makeTree({});
    try {
      const project = join(box, name);
      mkdirSync(project);
      const r = await cli(["install", "--local"], project);
      expect(r.code).toBe(2);
      expect(r.err).toContain("cannot install into");
      expect(existsSync(join(project, ".claude"))).toBe(false);
    } finally {
      removeTree(box);
    }
  });

  it("installs into a directory with spaces and non-ASCII letters; a shell reads each hook command as exactly the helper and its arguments", async () => {
    const box = makeTree({});
    try {
      const project = join(box, "my projects", "Überplan ünd 2");
      mkdirSync(project, { recursive: true });
      expect((await cli(["install", "--local"], project)).code).toBe(0);
      const root = join(project, ".claude", "gsd-async");
      const settings = JSON.parse(readFileSync(join(project, ".claude/settings.json"), "utf8"));
      const commands: string[] = Object.values(settings.hooks as Record<string, { hooks: { command: string }[] }[]>).flatMap((es) =>
        es.flatMap((e) => e.hooks.map((h) => h.command)),
      );
      expect(commands.length).toBeGreaterThan(0);
      for (const c of commands) {
        expect(c.startsWith("node ")).toBe(true);
        const words = execFileSync("sh", ["-c", `printf '%s\\n' ${c.slice("node ".length)}`], { encoding: "utf8" })
          .trimEnd()
          .split("\n");
        // `node "<root>/dist/cli.js" hook <name>`, or the PreToolUse hook's own bundle on its own.
        if (words[0] === `${root}/dist/cli.js`) expect(words).toEqual([`${root}/dist/cli.js`, "hook", expect.stringMatching(/^[a-z-]+$/)]);
        else expect(words).toEqual([`${root}/dist/hook-pre-tool-use.js`]);
      }
      // The commands' front matter grants exactly that helper.
      const status = readFileSync(join(project, ".claude/commands/gsd/status.md"), "utf8");
      expect(status).toContain(`allowed-tools: Bash(node "${root}/dist/cli.js":*), Bash(node '${root}/dist/cli.js':*),`);
      expect(existsSync(join(root, "agents", "gsd-executor.md"))).toBe(true);
    } finally {
      removeTree(box);
    }
  });
});

describe("install started through a link (a global npm install's bin)", () => {
  it("finds the package's files beside the real dist/cli.js", async () => {
    const box = makeTree({ "project/.planning/STATE.md": "" });
    try {
      mkdirSync(join(box, "bin"));
      symlinkSync(join(repo, "dist", "cli.js"), join(box, "bin", "gsd-async"));
      const r = await cli(["install", "--local"], join(box, "project"), join(box, "bin", "gsd-async"));
      expect(r.code).toBe(0);
      expect(existsSync(join(box, "project/.claude/commands/gsd/status.md"))).toBe(true);
      expect(existsSync(join(box, "project/.claude/gsd-async/agents/gsd-executor.md"))).toBe(true);
    } finally {
      removeTree(box);
    }
  });
});
