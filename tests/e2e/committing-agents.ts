import { Conversation, type ToolCall, resultText } from "./conversation";
import { PLAN_MARKER, gsdModel, planIdOf } from "./gsd-model";
import type { Reply, ScriptedModel } from "./mock-api";
import { withoutLineNumbers } from "./reading";

/**
 * Background agents that do real work in a git repository, as their text tells them: each reads
 * its prompt (and the instructions file it names), reads its plan, writes every file the plan's
 * `files_modified` lists and its summary with the Write tool, runs the shared `tests:` command
 * when the prompt lists one, commits the way its text says (the prompt's `commit:` line with
 * message and paths filled in; else plain git, after the `cd` the prompt asks for), then runs its
 * `done` line alone. The main conversation is the usual
 * scripted model (gsd-model.ts), which is unchanged.
 */

const tool = (name: string, input: Record<string, unknown>, label: string): Reply => ({ content: [{ type: "tool_use", name, input }], label });
const text = (t: string, label: string): Reply => ({ content: [{ type: "text", text: t }], label });
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** What an agent writes into each of its plan's files: its plan id, so the test can tell whose it is. */
export const fileContent = (plan: string, file: string) => `${file} written by ${plan}\n`;

/** The files a plan's front matter lists under `files_modified`. */
function filesModified(plan: string): string[] {
  const block = /^files_modified:\s*\n((?:\s+-\s+.+\n)+)/m.exec(plan)?.[1] ?? "";
  return [...block.matchAll(/-\s+(\S+)/g)].map((m) => m[1]!);
}

export interface CommittingOptions {
  /**
   * A file the agent of this plan also rewrites although its plan does not declare it, as an
   * agent that strays does (read first, then written with its own content and committed).
   */
  alsoChange?: (plan: string) => string | undefined;
}

export function committingAgents(o: CommittingOptions = {}): ScriptedModel {
  const main = gsdModel();
  return async (body, seq) => {
    const conv = new Conversation(body);
    const prompt = conv.firstUserText;
    if (!PLAN_MARKER.test(prompt)) return main(body, seq);
    return agentTurn(conv, prompt, o);
  };
}

function agentTurn(conv: Conversation, prompt: string, o: CommittingOptions): Reply {
  const planFile = PLAN_MARKER.exec(prompt)?.[1] ?? "";
  const plan = planIdOf(planFile);
  // A Workflow agent's prompt arrives wrapped, every line indented.
  const cwd = /^\s*Project: (\/\S+)\s*$/m.exec(prompt)?.[1];
  const summary = /^\s*Summary to write: (\S+)\s*$/m.exec(prompt)?.[1];
  const done = /^\s*done:\s+(.+)$/m.exec(prompt)?.[1]?.trim();
  const failed = /^\s*failed:\s+(.+)$/m.exec(prompt)?.[1]?.trim();
  if (!cwd || !summary || !done || !failed)
    return text(`${plan}: my prompt lacks the project, summary or finish lines; stopping.`, `agent ${plan}: no instructions`);
  const abs = (p: string) => (p.startsWith("/") ? p : `${cwd}/${p}`);
  const calls = conv.calls;
  const readOf = (p: string): ToolCall | undefined => calls.find((c) => c.use.name === "Read" && c.use.input.file_path === p);
  const failLine = (why: string) => failed.replace(/'<[^>]*>'/, q(why));
  // A Workflow agent given a schema ends by returning its result through StructuredOutput.
  const end = (t: string, label: string, outcome: "completed" | "failed"): Reply =>
    conv.toolNames.includes("StructuredOutput") && !calls.some((c) => c.use.name === "StructuredOutput")
      ? tool("StructuredOutput", outcome === "completed" ? { outcome } : { outcome, reason: t.slice(0, 200) }, `${label} (structured result)`)
      : text(t, label);
  if (calls.some((c) => c.use.name === "StructuredOutput")) return text(`${plan}: reported.`, `agent ${plan}: end`);

  // 0. A worktree the prompt says to make first (the workflow engine): that line alone, before anything else.
  const worktreeLine = /^\s*worktree:\s+(.+)$/m.exec(prompt)?.[1]?.trim();
  const made = worktreeLine === undefined ? undefined : calls.find((c) => c.use.name === "Bash" && c.use.input.command === worktreeLine);
  if (worktreeLine !== undefined && !made) return tool("Bash", { command: worktreeLine, description: "make my worktree" }, `agent ${plan}: worktree`);
  if (made?.result?.is_error === true) {
    const why = `worktree: ${resultText(made).replace(/\s+/g, " ").slice(0, 120)}`;
    if (!calls.some((c) => c.use.name === "Bash" && c !== made)) return tool("Bash", { command: failLine(why) }, `agent ${plan}: fail (worktree)`);
    return end(why, `agent ${plan}: end (failed)`, "failed");
  }

  // 1. Read: the instructions file the prompt names (outside the project), then the plan.
  const named = [...prompt.matchAll(/(?<![\w.\-/])(\/[^\s`'"()]+\.md)\b/g)].map((m) => m[1]!).filter((p) => !p.startsWith(`${cwd}/`));
  const unread = named.find((p) => !readOf(p));
  if (unread) return tool("Read", { file_path: unread }, `agent ${plan}: read instructions`);
  const planRead = readOf(abs(planFile));
  if (!planRead) return tool("Read", { file_path: abs(planFile) }, `agent ${plan}: read the plan`);

  // 2. The plan's files, then the summary.
  const stray = o.alsoChange?.(plan);
  if (stray !== undefined && !readOf(abs(stray))) return tool("Read", { file_path: abs(stray) }, `agent ${plan}: read ${stray}`);
  const files = [...filesModified(withoutLineNumbers(resultText(planRead))), ...(stray !== undefined ? [stray] : [])];
  const wrote = new Set(calls.filter((c) => c.use.name === "Write").map((c) => String(c.use.input.file_path)));
  const next = files.find((f) => !wrote.has(abs(f)));
  // Looked at first, as a model does before changing a file (and as Claude Code requires for one that exists; a new file's read fails, which is fine).
  if (next && !readOf(abs(next))) return tool("Read", { file_path: abs(next) }, `agent ${plan}: read ${next}`);
  if (next) return tool("Write", { file_path: abs(next), content: fileContent(plan, next) }, `agent ${plan}: write ${next}`);
  if (!wrote.has(abs(summary)))
    return tool(
      "Write",
      { file_path: abs(summary), content: `---\nplan: ${plan}\nduration: 1min\n---\n\n# ${plan} summary\n\nChanged: ${files.join(", ")}\n` },
      `agent ${plan}: write summary`,
    );
  const writeFailed = calls.find((c) => c.use.name === "Write" && c.result?.is_error === true);

  // 3. Run the tests the prompt lists (its `tests:` line, alone), commit as the text says, then
  // finish with the done line alone. A step that fails is reported with the failed line.
  const bash = calls.filter((c) => c.use.name === "Bash" && c !== made);
  const paths = [...files, summary];
  const message = `${plan}: ${files.join(", ")}`;
  const oneLine = (c: ToolCall) => resultText(c).replace(/\s+/g, " ").slice(0, 120);
  const gaveUp = bash.find((c) => String(c.use.input.command).startsWith(failed.slice(0, failed.indexOf("'<"))));
  if (gaveUp) return end(`${plan}: failed, recorded: ${String(gaveUp.use.input.command).slice(-120)}`, `agent ${plan}: end (failed)`, "failed");
  const finished = bash.find((c) => c.use.input.command === done);
  if (finished)
    return finished.result?.is_error === true
      ? end(`${plan}: done failed: ${oneLine(finished)}`, `agent ${plan}: end (done failed)`, "failed")
      : end(`${plan}: done, committed.`, `agent ${plan}: end`, "completed");
  if (writeFailed) return tool("Bash", { command: failLine(`could not write: ${resultText(writeFailed).slice(0, 80)}`) }, `agent ${plan}: fail (write)`);
  const tests = /^\s*tests:\s+(.+)$/m.exec(prompt)?.[1]?.trim();
  const tested = tests === undefined ? undefined : bash.find((c) => c.use.input.command === tests);
  if (tests !== undefined && !tested) return tool("Bash", { command: tests, description: "run the tests" }, `agent ${plan}: tests`);
  if (tested?.result?.is_error === true) return tool("Bash", { command: failLine(`tests failed: ${oneLine(tested)}`) }, `agent ${plan}: fail (tests)`);
  const committed = bash.find((c) => c !== tested);
  if (!committed) {
    const line = /^\s*commit:\s+(.+)$/m.exec(prompt)?.[1]?.trim();
    const command = line
      ? line.replace(/'<[^>]*>'/, q(message)).replace(/<each file[^>]*>/, paths.map(q).join(" "))
      : `cd ${q(cwd)} && git add -- ${paths.map(q).join(" ")} && git commit -q -m ${q(message)}`;
    return tool("Bash", { command, description: `commit ${plan}'s files` }, `agent ${plan}: commit (${line ? "commit line" : "git"})`);
  }
  if (committed.result?.is_error === true) return tool("Bash", { command: failLine(`commit failed: ${oneLine(committed)}`) }, `agent ${plan}: fail (commit)`);
  return tool("Bash", { command: done, description: `record ${plan} complete` }, `agent ${plan}: done`);
}
