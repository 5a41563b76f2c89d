import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { agentCalls, explained, helperResults, historyFile, hookLog, mainRequests, realErrors, storyOf } from "./checks";
import { Conversation, helperJson } from "./conversation";
import { gsdModel } from "./gsd-model";
import { REPO_ROOT, type Sandbox, cleanupAll, findFiles, gsdArgs, helper, makeSandbox, runClaude, startMock } from "./harness";

afterAll(() => cleanupAll());

const PWNED = /^PWNED/;

/** PWNED files anywhere in the sandbox (project, HOME, TMPDIR) or at the top of likely cwds. */
function pwnedFiles(sb: Sandbox): string[] {
  const top = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((n) => PWNED.test(n))
          .map((n) => join(dir, n))
      : [];
  return [...findFiles(sb.root, PWNED), ...top(REPO_ROOT), ...top(tmpdir()), ...top(process.cwd())];
}

/**
 * The scripted model is deliberately careless here: it pastes the user's argument into the
 * helper call exactly as the command text shows (`-- '<phase>'`) without the protocol's own
 * argument check, so these runs test what stands below the model: no `!` line ever sees
 * $ARGUMENTS, the single quotes, the helper's validation of its argv, the plugin's PreToolUse
 * hook, and Claude Code's permissions.
 */
const HOSTILE: Array<{ name: string; arg: string; file: string; extra?: string[] }> = [
  { name: "a command after ';'", arg: "1; touch PWNED", file: "PWNED" },
  { name: "$(...) substitution", arg: "$(touch PWNED2)", file: "PWNED2" },
  { name: "backtick substitution", arg: "`touch PWNED3`", file: "PWNED3" },
  { name: "a phase then backticks", arg: "1 `touch PWNED5`", file: "PWNED5" },
  // An argument that closes the quote itself, in acceptEdits mode, which auto-approves
  // file-changing shell commands like `touch`: only the plugin's PreToolUse hook stops it.
  { name: "a quote breaking out, in acceptEdits mode", arg: "1'; touch PWNED4; echo '", file: "PWNED4", extra: ["--permission-mode", "acceptEdits"] },
];

describe("hostile arguments to /gsd:execute-phase-async start nothing and run nothing", () => {
  test.each(HOSTILE)(
    "$name",
    async ({ arg, file, extra }) => {
      const sb = makeSandbox("hostile");
      const mock = await startMock(gsdModel(), sb);
      const run = await runClaude(sb, { mock, args: gsdArgs(`/gsd:execute-phase-async ${arg}`, ...(extra ?? [])), timeoutMs: 90_000 });

      await explained(storyOf(mock, sb, [run]), () => {
        expect({ timedOut: run.timedOut, code: run.code }).toEqual({ timedOut: false, code: 0 });
        expect(realErrors(run.errors)).toEqual([]);
        // The argument reached the model as text only (the command has no `!` line).
        const main = mainRequests(mock);
        expect(main.length).toBeGreaterThan(0);
        const first = new Conversation(main[0]!.body!);
        expect(first.command).toEqual({ name: "gsd:execute-phase-async", args: arg });
        expect(first.firstUserText).toContain(`The user's argument (a phase number or directory, possibly empty): \`${arg}\``);

        // What the model's helper call got back: the helper refusing the argument as a phase,
        // or (quote break-out) the plugin's hook refusing the whole command line.
        const calls = helperResults(mock, /dist\/cli\.js/);
        expect(calls).toHaveLength(1);
        expect(calls[0]!.isError).toBe(true);
        if (arg.includes("'")) {
          expect(calls[0]!.text).toContain("gsd-async: this Bash call was not run. The helper must be alone in its Bash call");
          expect(hookLog(sb)).toContain("hook pre-tool-use: denied:");
        } else {
          expect(calls[0]!.text).toContain(`gsd-async: no phase directory matches '${arg}'`);
        }

        // Nothing was started or recorded, and no file was created anywhere.
        expect(agentCalls(mock)).toEqual([]);
        expect(existsSync(historyFile(sb))).toBe(false);
        expect(pwnedFiles(sb)).toEqual([]);
        expect(findFiles(sb.project, new RegExp(`^${file}$`))).toEqual([]);
      });
    },
    120_000,
  );
});

test("a phase with a dependency cycle is refused, and the refusal names the cycle", async () => {
  const sb = makeSandbox("cycle");
  const plan = join(sb.project, ".planning/phases/02-core-features/02-01-PLAN.md");
  const text = readFileSync(plan, "utf8");
  expect(text).toMatch(/^depends_on: \[\]$/m);
  // 02-04 already depends on 02-01; make 02-01 depend on 02-04.
  writeFileSync(plan, text.replace(/^depends_on: \[\]$/m, 'depends_on: ["02-04"]'));
  const mock = await startMock(gsdModel(), sb);
  const run = await runClaude(sb, { mock, args: gsdArgs("/gsd:execute-phase-async 2"), timeoutMs: 90_000 });

  await explained(storyOf(mock, sb, [run]), async () => {
    expect({ timedOut: run.timedOut, code: run.code, isError: run.json?.is_error }).toEqual({ timedOut: false, code: 0, isError: false });
    const previews = helperResults(mock, /start --dry-run --brief -- '2'$/);
    expect(previews).toHaveLength(1);
    expect(previews[0]!.json).toMatchObject({ command: "start", refused: true, reasons: ["dependency cycle: 02-01 -> 02-04 -> 02-01"] });
    // The model's compact answer carries the reasons; the full JSON names the file too.
    const full = helperJson((await helper(sb, ["start", "--dry-run", "--json", "--", "2"])).stdout);
    expect(full?.diagnostics).toEqual([expect.objectContaining({ code: "cycle", file: ".planning/phases/02-core-features/02-01-PLAN.md" })]);
    // Only the preview ran: no start, no agents, nothing recorded; the model was told why.
    expect(helperResults(mock, /dist\/cli\.js/)).toHaveLength(1);
    expect(agentCalls(mock)).toEqual([]);
    expect(existsSync(historyFile(sb))).toBe(false);
    expect(run.json?.result).toContain("dependency cycle: 02-01 -> 02-04 -> 02-01");
  });
}, 120_000);

test("hostile arguments to /gsd:status never reach its `!` line", async () => {
  const sb = makeSandbox("hostile-status");
  const mock = await startMock(gsdModel(), sb);
  const arg = "1; touch PWNED6 $(touch PWNED7) `touch PWNED8`";
  const run = await runClaude(sb, { mock, args: gsdArgs(`/gsd:status ${arg}`), timeoutMs: 90_000 });

  await explained(storyOf(mock, sb, [run]), () => {
    expect({ timedOut: run.timedOut, code: run.code }).toEqual({ timedOut: false, code: 0 });
    // The `!` line ran (a failing one would have aborted the command before any request) and
    // the arguments reached the model as text only.
    const main = mainRequests(mock);
    expect(main.length).toBeGreaterThan(0);
    const first = new Conversation(main[0]!.body!);
    expect(first.command).toEqual({ name: "gsd:status", args: arg });
    expect(first.firstUserText).toContain("Snapshot of the current phase (read only):");
    expect(first.firstUserText).toContain(`The user's arguments: \`${arg}\``);
    expect(agentCalls(mock)).toEqual([]);
    expect(pwnedFiles(sb)).toEqual([]);
  });
}, 120_000);
