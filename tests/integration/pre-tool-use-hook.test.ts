import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import fc from "fast-check";
import { shellLine } from "../../lib/core/common/shell-quote";
import { plainWords } from "../../lib/core/common/shell-words";

const repo = resolve(__dirname, "../..");

/**
 * The PreToolUse hook as Claude Code runs it: the built dist/hook-pre-tool-use.js, copied with
 * dist/cli.js into a plugin directory whose path holds a quote and a space, fed payloads on
 * stdin. `gsd-async hook pre-tool-use` must answer the same.
 */
describe("the built PreToolUse hook", () => {
  let tmp: string;
  let plugin: string;
  let helper: string;
  let project: string;
  let realBin: string;
  const nodeDir = dirname(process.execPath);

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "gsd-async-hook-"));
    plugin = join(tmp, "it's plug");
    project = join(tmp, "proj");
    mkdirSync(join(plugin, "dist"), { recursive: true });
    for (const f of ["cli.js", "hook-pre-tool-use.js"]) copyFileSync(join(repo, "dist", f), join(plugin, "dist", f));
    helper = join(plugin, "dist", "cli.js");
    // A fake node in the project, and links to the real one (absolute and relative).
    mkdirSync(join(project, "tools"), { recursive: true });
    writeFileSync(join(project, "tools", "node"), "#!/bin/sh\ntouch PWNED\n");
    chmodSync(join(project, "tools", "node"), 0o755);
    writeFileSync(join(project, "node"), "#!/bin/sh\ntouch PWNED\n");
    chmodSync(join(project, "node"), 0o755);
    realBin = join(tmp, "bin");
    mkdirSync(realBin);
    symlinkSync(process.execPath, join(realBin, "node"));
    symlinkSync(process.execPath, join(project, "tools", "real-node"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  type Answer = { decision: "allow" | "deny" | "none"; reason?: string; stdout: string; status: number | null };
  function ask(command: string, o: { cwd?: string; path?: string; viaCli?: boolean } = {}): Answer {
    const payload = JSON.stringify({ session_id: "s", hook_event_name: "PreToolUse", tool_name: "Bash", cwd: o.cwd ?? project, tool_input: { command } });
    const args = o.viaCli ? [helper, "hook", "pre-tool-use"] : [join(plugin, "dist", "hook-pre-tool-use.js")];
    const r = spawnSync(process.execPath, args, { input: payload, cwd: tmp, encoding: "utf8", env: { PATH: o.path ?? nodeDir, HOME: tmp } });
    const out = r.stdout.trim();
    if (!out) return { decision: "none", stdout: r.stdout, status: r.status };
    const j = JSON.parse(out).hookSpecificOutput;
    return { decision: j.permissionDecision, reason: j.permissionDecisionReason, stdout: r.stdout, status: r.status };
  }
  const decision = (command: string, o: Parameters<typeof ask>[1] = {}) => ask(command, o).decision;

  test("allows the helper's own lines, quotes in the path and '\\'' in a reason included (b)", () => {
    expect(decision(shellLine(["node", helper, "status", "--json"]))).toBe("allow");
    expect(decision(`node "${helper.replace(/'/g, "'")}" start --dry-run --json -- '2'`)).toBe("allow");
    expect(
      decision(`${shellLine(["node", helper, "fail", ".planning/phases/01-a/01-01-PLAN.md", "--cwd", project])} --reason 'the agent'\\''s tests failed'`),
    ).toBe("allow");
  });

  test("(a) only the real node: bare node as PATH finds it, or an absolute path to it after symlinks", () => {
    const h = shellLine([helper]);
    expect(decision(`${process.execPath} ${h} status`)).toBe("allow");
    expect(decision(`${join(realBin, "node")} ${h} status`)).toBe("allow");
    expect(decision(`node ${h} status`, { path: [realBin, nodeDir].join(delimiter) })).toBe("allow");
    expect(decision(`tools/node ${h} status`)).toBe("none");
    expect(decision(`tools/real-node ${h} status`)).toBe("none");
    expect(decision(`${join(project, "tools", "node")} ${h} status`)).toBe("none");
    expect(decision(`/any/dir/node ${h} status`)).toBe("none");
    // PATH finds the project's fake node first: by a relative entry, an empty one (the cwd), an absolute one.
    expect(decision(`node ${h} status`, { path: ["tools", nodeDir].join(delimiter) })).toBe("none");
    expect(decision(`node ${h} status`, { path: ["", nodeDir].join(delimiter) })).toBe("none");
    expect(decision(`node ${h} status`, { path: [join(project, "tools"), nodeDir].join(delimiter) })).toBe("none");
  });

  test("(d) ls, sha256sum and --version on the helper are not denied", () => {
    const h = shellLine([helper]);
    for (const c of [`ls -l ${h}`, `sha256sum ${h}`, `node ${h} --version`, `node ${h} --help`]) expect(ask(c)).toMatchObject({ decision: "none", status: 0 });
  });

  test("(e) a relative helper path is resolved against the payload's cwd", () => {
    expect(decision("node dist/cli.js status", { cwd: plugin })).toBe("allow");
    expect(decision("node ./dist/../dist/cli.js status", { cwd: plugin })).toBe("allow");
    expect(decision("node dist/cli.js status", { cwd: project })).toBe("none");
  });

  test("(c) an agent's here-document then its complete line is denied with the line to run alone, which is then allowed", () => {
    const line = shellLine(["node", helper, "complete", ".planning/phases/02-x/02-01-PLAN.md", "--cwd", project, "--run", "r-1"]);
    const a = ask(`cat > ${shellLine([join(project, "S.md")])} <<'EOF'\n# Summary\nIt didn't need changes.\nEOF\n${line}`);
    expect(a.decision).toBe("deny");
    expect(a.reason).toContain("Write tool");
    expect(a.reason!.endsWith(`: ${line}`)).toBe(true);
    expect(decision(a.reason!.slice(a.reason!.length - line.length))).toBe("allow");
  });

  test("a quote breaking out of a user's argument is denied, and nothing runs", () => {
    const h = shellLine([helper]);
    for (const c of [`node ${h} start -- '1'; touch PWNED4; echo ''`, `node ${h} status -- '1' && touch PWNED`, `echo $(node ${h} start)`]) {
      const a = ask(c);
      expect(a.decision).toBe("deny");
      expect(a.reason).toContain("exactly as you were given it");
    }
  });

  test("unrelated commands and bad payloads get no answer and exit 0", () => {
    expect(ask("true")).toMatchObject({ decision: "none", status: 0 });
    expect(ask("node -e 0; ls")).toMatchObject({ decision: "none", status: 0 });
    const r = spawnSync(process.execPath, [join(plugin, "dist", "hook-pre-tool-use.js")], { input: "not json", encoding: "utf8" });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: "" });
  });

  test("`gsd-async hook pre-tool-use` answers exactly as the small bundle does", () => {
    const h = shellLine([helper]);
    for (const c of [
      `node ${h} status`,
      `tools/node ${h} status`,
      `node ${h} start -- '1'; touch P`,
      `ls ${h}`,
      "node dist/cli.js status",
      `cd x && ${shellLine(["node", helper, "complete", "p.md"])}`,
    ])
      for (const cwd of [project, plugin]) expect(ask(c, { cwd, viaCli: true }).stdout).toBe(ask(c, { cwd }).stdout);
  });

  test("the small bundle loads nothing but node:fs and node:path", () => {
    const text = readFileSync(join(repo, "dist", "hook-pre-tool-use.js"), "utf8");
    const required = new Set([...text.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => String(m[1]).replace(/^node:/, "")));
    expect([...required].sort()).toEqual(["fs", "path"]);
  });

  test("hooks.json runs it only for Bash calls with a `node ` command, as the small bundle", () => {
    const hooks = JSON.parse(readFileSync(join(repo, "hooks", "hooks.json"), "utf8")).hooks.PreToolUse as Array<{ matcher: string }>;
    expect(hooks.filter((h) => h.matcher === "Bash")).toEqual([
      { matcher: "Bash", hooks: [{ type: "command", if: "Bash(*node *)", command: 'node "${CLAUDE_PLUGIN_ROOT}/dist/hook-pre-tool-use.js"', timeout: 10 }] },
    ]);
  });
});

/**
 * What the hook reads as plain words is exactly what bash runs: for lines built from shell
 * metacharacters (one harmless letter, an empty PATH, an empty working directory), whenever
 * plainWords accepts a line, bash's own argv for it is the same list of words.
 */
test("plainWords agrees with bash on every line it accepts", () => {
  const dir = mkdtempSync(join(tmpdir(), "gsd-async-words-"));
  try {
    const alphabet = ["a", " ", "'", '"', "\\", "$", "`", ";", "*", "?", "~", "#", "{", "}", ",", "!", "\n", "=", "-", "(", ")", "|", "&", "<", ">"];
    const line = fc.array(fc.constantFrom(...alphabet), { maxLength: 14 }).map((cs) => cs.join(""));
    let accepted = 0;
    fc.assert(
      fc.property(line, (rest) => {
        const words = plainWords(`x ${rest}`);
        if (words === undefined) return;
        accepted++;
        const r = spawnSync("/bin/bash", ["-c", `printf '%s\\0' x ${rest}`], { cwd: dir, encoding: "utf8", env: { PATH: "/nonexistent" } });
        const argv = r.stdout.split("\0").slice(1, -1);
        expect({ rest, argv }).toEqual({ rest, argv: words.slice(1) });
      }),
      { numRuns: 600 },
    );
    expect(accepted).toBeGreaterThan(40);
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
