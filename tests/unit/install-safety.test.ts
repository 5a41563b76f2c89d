import fc from "fast-check";
import { posix } from "node:path";
import { checkManifestFiles, describeChar, manifestPathProblem, unsafePathChar } from "../../lib/core/install/install-safety";
import { unmergeHooks } from "../../lib/core/install/install-plan";

const segment = fc.oneof(fc.constantFrom("..", ".", "", "gsd", "commands", "gsd-async", "dist", "x.md"), fc.string({ maxLength: 6 }));
const relPath = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join("/"));

describe("manifest paths", () => {
  it("accepts exactly what stays inside the install folders once joined to .claude", () => {
    fc.assert(
      fc.property(relPath, (p) => {
        const inside = posix.normalize(posix.join("/c/.claude", p));
        if (manifestPathProblem(p) === undefined) {
          expect(inside.startsWith("/c/.claude/commands/gsd/") || inside.startsWith("/c/.claude/gsd-async/")).toBe(true);
          expect(inside).toBe(posix.join("/c/.claude", p));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses parent steps, absolute paths and paths outside the folders, naming why", () => {
    expect(manifestPathProblem("../../victimdir/important.txt")).toContain("'..'");
    expect(manifestPathProblem("commands/gsd/../../settings.json")).toContain("'..'");
    expect(manifestPathProblem("/etc/passwd")).toBe("is absolute");
    expect(manifestPathProblem("commands\\gsd\\x.md")).toBe("contains a backslash");
    expect(manifestPathProblem("settings.json")).toContain("is not under commands/gsd/ or gsd-async/");
    expect(manifestPathProblem("commands/gsd/status.md")).toBeUndefined();
    expect(manifestPathProblem("gsd-async/dist/cli.js")).toBeUndefined();
  });

  it("a manifest with one bad entry is refused whole", () => {
    const r = checkManifestFiles([
      { path: "commands/gsd/status.md", sha256: "a" },
      { path: "../x", sha256: "b" },
      { path: 3, sha256: "c" },
    ]);
    expect(r).toEqual({ ok: false, problems: ["files[1] \"../x\" is not a plain relative path (empty, '.' or '..' part)", "files[2] is not {path, sha256}"] });
    expect(checkManifestFiles("nope")).toEqual({ ok: false, problems: ["`files` is not a list"] });
  });
});

describe("install directories", () => {
  it("allows only characters that mean nothing to a shell, YAML or a permission rule", () => {
    expect(unsafePathChar("/home/ana/My Projects/Überplan_2.0/.claude/gsd-async")).toBeUndefined();
    for (const ch of ['"', "'", "`", "$", "\\", ";", "#", "&", "|", "(", ")", ",", ":", "*", "!", "\n", "\t", "<", ">"])
      expect({ ch, bad: unsafePathChar(`/a/b${ch}c`) }).toEqual({ ch, bad: ch });
    expect(describeChar("\n")).toBe("U+000A");
    expect(describeChar('"')).toBe('"\\""');
  });

  it("a path it accepts is one word inside double quotes (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        if (unsafePathChar(s) === undefined) expect(/["'`$\\\n]/.test(s)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("unmergeHooks", () => {
  const root = "/p/.claude/gsd-async";
  const ours = (name: string, extra: Record<string, unknown> = {}) => ({
    type: "command" as const,
    command: `node "${root}/dist/cli.js" hook ${name}`,
    timeout: 10,
    ...extra,
  });
  const installed = { PreToolUse: [{ matcher: "Bash", hooks: [ours("pre-tool-use")] }] };

  it("removes exactly our entries, recognised by the install directory", () => {
    const mine = { hooks: [{ type: "command", command: "echo mine" }] };
    const other = { matcher: "Bash", hooks: [{ type: "command", command: `node "/elsewhere/dist/cli.js" hook pre-tool-use` }] };
    const r = unmergeHooks({ a: 1, hooks: { PreToolUse: [...installed.PreToolUse, other], Stop: [mine] } }, installed, root);
    expect(r).toEqual({ settings: { a: 1, hooks: { PreToolUse: [other], Stop: [mine] } }, changed: [], left: [] });
  });

  it("names an edited entry and keeps its other handlers; names a command the user changed", () => {
    const edited = { matcher: "Bash", hooks: [ours("pre-tool-use", { timeout: 99 }), { type: "command", command: "echo x" }] };
    const changedCmd = { hooks: [{ type: "command", command: `node "${root}/dist/cli.js" hook subagent-stop --x` }] };
    const r = unmergeHooks({ hooks: { PreToolUse: [edited], SubagentStop: [changedCmd] } }, installed, root);
    expect(r.settings).toEqual({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "echo x" }] }], SubagentStop: [changedCmd] } });
    expect(r.changed).toEqual(["PreToolUse (Bash)"]);
    expect(r.left).toEqual([`SubagentStop: node "${root}/dist/cli.js" hook subagent-stop --x`]);
  });

  it("leaves settings without hooks, or with hooks of an unexpected shape, as they are", () => {
    expect(unmergeHooks({ a: 1 }, installed, root)).toEqual({ settings: { a: 1 }, changed: [], left: [] });
    expect(unmergeHooks({ hooks: { Stop: "odd" } }, installed, root).settings).toEqual({ hooks: { Stop: "odd" } });
  });
});
