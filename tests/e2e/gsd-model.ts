import { Conversation, TRUNCATED, type TaskNotification, type ToolCall, helperJson, resultText, textOf } from "./conversation";
import type { MessagesBody, Reply, ScriptedModel } from "./mock-api";
import {
  type Instructions,
  type Intent,
  codeSpans,
  commandFor,
  fillArgument,
  splitInstructions,
  suggestedCommand,
  timeoutAskedFor,
  withoutLineNumbers,
} from "./reading";

/**
 * A scripted model that plays both sides of a gsd-async run, reading its text the way a model
 * does rather than knowing the protocol:
 * - the main conversation reads the expanded command (and the protocol that came with it),
 *   copies the helper command line the text shows for each step, reads the helper's JSON from
 *   the Bash result text (which Claude Code may have cut), copies `spawn[].agentInput` into
 *   Agent calls unchanged, and runs the status line the text shows on each task notification;
 * - a background agent reads its prompt (and any instructions file it names), reads its plan,
 *   then writes its SUMMARY.md with a heredoc and runs the `complete` line its text shows in ONE
 *   Bash call (sometimes after `cd <root> &&`), as models do.
 * On a refused or failed command it retries once the way the message says (a command it names
 * in backticks, or the helper line on its own when told to run it alone), else it reports and
 * stops. It fills the user's argument in exactly where the text shows `'<phase>'`, without the
 * protocol's own check, so the hostile-input tests exercise the layers below the model.
 */

export type AgentOutcome = "complete" | "fail";
/** How an agent runs its last step: summary and `complete` in one Bash call, or after `cd`. */
export type AgentStyle = "heredoc" | "cd-heredoc";

export interface GsdModelOptions {
  /** What the agent for a plan id (e.g. "02-01") does; default "complete". */
  outcome?: (plan: string) => AgentOutcome;
  /** How it chains its last step; default: alternating by plan. */
  style?: (plan: string) => AgentStyle;
  /** Awaited before an agent's first reply: lets a test hold an agent at its start. */
  beforeAgentStarts?: (plan: string) => Promise<void>;
  /** Awaited before an agent's final text: lets a test hold an agent open. */
  beforeAgentEnds?: (plan: string) => Promise<void>;
  /** Extra delay before every agent reply, like a real model's latency (default 0). */
  agentLatencyMs?: number;
  /**
   * Task notifications the main conversation does not act on, as a model that misses one
   * (default none): it answers such a turn without running status.
   */
  overlooks?: (n: TaskNotification) => boolean;
}

export const PLAN_MARKER = /^\s*gsd-async-plan:\s*(\S+PLAN\.md)\s*$/m;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const text = (t: string, label: string): Reply => ({ content: [{ type: "text", text: t }], label });
const tool = (name: string, input: Record<string, unknown>, label: string): Reply => ({ content: [{ type: "tool_use", name, input }], label });

export function planIdOf(planFile: string): string {
  return (planFile.split("/").pop() ?? planFile).replace(/-PLAN\.md$/, "");
}

/** True when this request belongs to a background agent started by gsd-async. */
export function isAgentRequest(body: MessagesBody): boolean {
  return PLAN_MARKER.test(new Conversation(body).firstUserText);
}

/** The working directory Claude Code tells the model about in its environment section. */
function workingDirectory(body: MessagesBody): string | undefined {
  // 2.1.332: "Primary working directory: <dir>"; 2.1.197's agents: "<env>\nWorking directory: <dir>".
  return /(?:Primary working directory|<env>\\nWorking directory): ([^\s"\\]+)/.exec(JSON.stringify(body))?.[1];
}

export function gsdModel(o: GsdModelOptions = {}): ScriptedModel {
  return async (body) => {
    const conv = new Conversation(body);
    if (PLAN_MARKER.test(conv.firstUserText)) {
      if (o.agentLatencyMs) await sleep(o.agentLatencyMs);
      return agentTurn(conv, o);
    }
    if (conv.command) return mainTurn(conv, o);
    // Anything else Claude Code asks (none is expected with non-essential traffic disabled).
    return text("OK", "other");
  };
}

// ---------------------------------------------------------------- background agents

const bashOf = (c: ToolCall) => String(c.use.input.command ?? "");
const failed = (c: ToolCall) => c.result?.is_error === true;
/** The message of a refusal or failed command: a permission prompt, a hook's reason, an error. */
const refusal = (t: string) =>
  /requires approval|denied|permission|must be run on its own|must be alone|was not run|by itself|can.t be checked|not allowed|run it alone|on its own/i.test(
    t,
  );

/** A helper line (`node ".../cli.js" complete ...`) as the text shows it, up to the line's end. */
function helperLine(text: string, verb: "complete" | "fail"): string | undefined {
  const re = new RegExp(`(node\\s+(?:"[^"\\n]*cli\\.js"|'[^'\\n]*cli\\.js'|\\S*cli\\.js)\\s+${verb}\\b[^\\n\`]*)`);
  return re.exec(text)?.[1]?.trim();
}

function hashOf(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

async function agentTurn(conv: Conversation, o: GsdModelOptions): Promise<Reply> {
  const prompt = conv.firstUserText;
  const planFile = PLAN_MARKER.exec(prompt)?.[1] ?? "";
  const plan = planIdOf(planFile);
  // A Workflow agent's prompt arrives wrapped, every line indented.
  const cwd = /^\s*Project(?: root)?: (\/\S+)\s*$/m.exec(prompt)?.[1] ?? workingDirectory(conv.body) ?? "";
  const abs = (p: string) => (p.startsWith("/") ? p : `${cwd}/${p}`);
  if (conv.calls.length === 0) await o.beforeAgentStarts?.(plan);
  const reads = conv.calls.filter((c) => c.use.name === "Read");
  const wasRead = (p: string) => reads.some((c) => c.use.input.file_path === p);

  // 1. Read what the prompt points at: an instructions file outside the project, then the plan.
  const named = [...prompt.matchAll(/(?<![\w.\-/])(\/[^\s`'"()]+\.md)\b/g)].map((m) => m[1]!).filter((p) => !p.startsWith(`${cwd}/`));
  const unread = named.find((p) => !wasRead(p));
  if (unread) return tool("Read", { file_path: unread }, `agent ${plan}: read ${unread.split("/").pop()}`);
  if (!wasRead(abs(planFile))) return tool("Read", { file_path: abs(planFile) }, `agent ${plan}: read the plan`);

  const instructions = [prompt, ...reads.filter((c) => c.use.input.file_path !== abs(planFile)).map((c) => withoutLineNumbers(resultText(c)))].join("\n");
  const onSuccess = helperLine(prompt, "complete") ?? helperLine(instructions, "complete");
  const onFailure = helperLine(prompt, "fail") ?? helperLine(instructions, "fail");
  const dir = planFile.slice(0, planFile.lastIndexOf("/") + 1);
  const summary = [...prompt.matchAll(/([^\s`'"()]+-SUMMARY\.md)/g)].map((m) => m[1]!).find((p) => p.startsWith(dir) || p.startsWith(abs(dir)));
  if (!onSuccess || !onFailure || !summary) {
    return text(
      `I cannot tell from my instructions how to finish ${planFile} (no complete/fail command or summary path); stopping.`,
      `agent ${plan}: no instructions`,
    );
  }
  const outcome = o.outcome?.(plan) ?? "complete";
  const content = [
    "---",
    `plan: ${plan}`,
    "duration: 1min",
    `completed: ${new Date().toISOString().slice(0, 10)}`,
    "---",
    "",
    `# ${plan} summary`,
    "",
    "Executed by the e2e mock agent.",
    "",
  ].join("\n");
  const reason = "mock agent: the plan tests failed";
  const failLine = onFailure.replace(/'<[^>]*>'/, `'${reason}'`);
  const end = async (t: string, label: string) => {
    await o.beforeAgentEnds?.(plan);
    // A Workflow agent given a schema ends by returning its result through StructuredOutput.
    if (conv.toolNames.includes("StructuredOutput") && !conv.calls.some((c) => c.use.name === "StructuredOutput")) {
      const result = outcome === "complete" ? { outcome: "completed" } : { outcome: "failed", reason };
      return tool("StructuredOutput", result, `${label} (structured result)`);
    }
    return text(t, label);
  };

  const last = conv.calls[conv.calls.length - 1];
  const bash = conv.calls.filter((c) => c.use.name === "Bash");
  const bashErrors = bash.filter(failed).length;

  // 2. The work, then the outcome: in one Bash call, as models like to.
  if (bash.length === 0 && !conv.calls.some((c) => c.use.name === "Write")) {
    if (outcome === "fail") return tool("Bash", { command: failLine, description: `record ${plan} failed` }, `agent ${plan}: fail`);
    const style = o.style?.(plan) ?? (hashOf(plan) % 2 === 0 ? "heredoc" : "cd-heredoc");
    const rel = summary.startsWith(`${cwd}/`) ? summary.slice(cwd.length + 1) : summary;
    const command =
      style === "cd-heredoc" ? `cd ${cwd} && cat > ${rel} <<'EOF'\n${content}EOF\n${onSuccess}` : `cat > ${abs(rel)} <<'EOF'\n${content}EOF\n${onSuccess}`;
    return tool("Bash", { command, description: `write the summary and record ${plan} complete` }, `agent ${plan}: summary + complete (${style})`);
  }

  // 3. What came back.
  if (last?.use.name === "Write") {
    if (failed(last)) {
      if (bash.some((c) => bashOf(c) === failLine)) return end(`${plan}: could not write the summary.`, `agent ${plan}: end (write failed)`);
      return tool(
        "Bash",
        { command: failLine.replace(reason, "mock agent: could not write the summary"), description: `record ${plan} failed` },
        `agent ${plan}: fail (write)`,
      );
    }
    return tool("Bash", { command: onSuccess, description: `record ${plan} complete` }, `agent ${plan}: complete alone`);
  }
  if (last?.use.name === "Bash" && failed(last)) {
    const said = resultText(last);
    if (bashErrors >= 2) return end(`${plan}: I could not record the outcome: ${said.slice(0, 300)}`, `agent ${plan}: end (gave up)`);
    const instead = suggestedCommand(said);
    if (instead) return tool("Bash", { command: instead, description: `as the message says` }, `agent ${plan}: retry as told`);
    if (refusal(said) && bashOf(last) !== onSuccess && bashOf(last) !== failLine && outcome === "complete") {
      // Told to run the helper on its own (or not allowed to chain): the summary with the
      // Write tool, then the helper line alone.
      return tool("Write", { file_path: abs(summary), content }, `agent ${plan}: retry: write summary`);
    }
    return end(`${plan}: the command failed: ${said.slice(0, 300)}`, `agent ${plan}: end (failed)`);
  }
  if (last?.use.name === "Bash" && bashOf(last) !== onSuccess && bashOf(last) !== failLine && !/\s(complete|fail)\s/.test(bashOf(last))) {
    return tool("Bash", { command: onSuccess, description: `record ${plan} complete` }, `agent ${plan}: complete after the suggested command`);
  }
  return end(outcome === "complete" ? `${plan}: done, summary written.` : `${plan}: failed.`, `agent ${plan}: end`);
}

// ---------------------------------------------------------------- main conversation

/** The command text's rule: a leading `--engine agents|workflow` of the argument becomes that option, before the `--`. */
function engineOption(arg: string): { option: string | null; rest: string } {
  const m = /^\s*--engine\s+(agents|workflow)(?:\s+|$)/.exec(arg);
  return m ? { option: `--engine ${m[1]}`, rest: arg.slice(m[0].length) } : { option: null, rest: arg };
}

function helperCall(ins: Instructions, intent: Intent, arg: string, label: string): Reply {
  const shown = commandFor(ins, intent);
  if (!shown) return text(`My instructions show no command for this step (${intent}); I stop here.`, `main: no ${intent} command in the text`);
  const timeout = intent === "wait" ? timeoutAskedFor(ins.command) : undefined;
  const engine = intent === "preview" || intent === "start" ? engineOption(arg) : { option: null, rest: arg };
  const filled = fillArgument(shown, engine.rest);
  const command = engine.option === null ? filled : / -- /.test(filled) ? filled.replace(/ -- /, ` ${engine.option} -- `) : `${filled} ${engine.option}`;
  return tool("Bash", { command, description: `gsd-async ${intent}`, ...(timeout ? { timeout } : {}) }, label);
}

const isHelperCall = (c: ToolCall) => c.use.name === "Bash" && /cli\.js"?\s/.test(bashOf(c));
const isStatusCall = (c: ToolCall) => isHelperCall(c) && /\sstatus(\s|$)/.test(bashOf(c));
const isFinal = (j: Record<string, unknown>) => j.outcome === "done" || j.outcome === "stopped";
const spawnOf = (j: Record<string, unknown>) => (Array.isArray(j.spawn) ? (j.spawn as Array<{ agentInput?: Record<string, unknown> }>) : []);
/** The helper's `stop` items: a tool to call with an input, for each agent to end. */
const stopOf = (j: Record<string, unknown>) =>
  (Array.isArray(j.stop) ? (j.stop as Array<{ tool?: unknown; input?: unknown }>) : []).filter(
    (s): s is { tool: string; input: Record<string, unknown> } => typeof s.tool === "string" && s.input !== null && typeof s.input === "object",
  );

function startAgents(spawn: Array<{ agentInput?: Record<string, unknown> }>, label: string): Reply {
  return { label, content: spawn.map((s) => ({ type: "tool_use" as const, name: "Agent", input: s.agentInput ?? {} })) };
}

function summarize(j: Record<string, unknown>): string {
  const rows = (k: string) => (Array.isArray(j[k]) ? (j[k] as Array<Record<string, unknown>>) : []);
  const lines = [...rows("plans"), ...rows("problems")].map(
    (p) =>
      `${String(p.id)}: ${String(p.state)}${Array.isArray(p.blockedBy) && p.blockedBy.length ? ` (blocked by ${p.blockedBy.join(", ")})` : ""}${p.error ? ` error: ${String(p.error)}` : ""}`,
  );
  return [`outcome: ${String(j.outcome)}`, ...(typeof j.next === "string" ? [j.next] : []), ...lines].join("\n");
}

/** The helper's `wakeUp` (a non-blocking `--wait`): the ScheduleWakeup input it asks for. */
const wakeUpOf = (j: Record<string, unknown> | undefined) => {
  const w = j?.wakeUp as { delaySeconds?: unknown; reason?: unknown; prompt?: unknown } | undefined;
  return w && typeof w.delaySeconds === "number" && typeof w.prompt === "string"
    ? { delaySeconds: w.delaySeconds, reason: String(w.reason ?? ""), prompt: w.prompt }
    : undefined;
};

/** A wake-up this conversation scheduled that has not come back yet (its prompt never arrived as a message). */
function wakeUpPending(conv: Conversation): boolean {
  const done = conv.calls.filter((c) => c.use.name === "ScheduleWakeup" && c.result !== undefined && c.result.is_error !== true);
  const last = done[done.length - 1];
  if (!last || last.use.input.stop === true) return false;
  const prompt = String(last.use.input.prompt ?? "");
  return !conv.messages.slice(last.at + 1).some((m) => m.role === "user" && textOf(m.content).includes(prompt));
}

/** Follows a `wakeUp` as /gsd:status --wait says: schedule it unless one is pending, then end the turn. */
function followWakeUp(conv: Conversation, w: NonNullable<ReturnType<typeof wakeUpOf>>, j: Record<string, unknown>): Reply {
  if (wakeUpPending(conv))
    return text(
      `Still running: ${JSON.stringify(j.running ?? [])}. A wake-up is already pending; I wait for it or a notification.`,
      "main: wait, wake-up pending",
    );
  return tool("ScheduleWakeup", { delaySeconds: w.delaySeconds, reason: w.reason, prompt: w.prompt }, "main: schedule the wait's wake-up");
}

function mainTurn(conv: Conversation, o: GsdModelOptions): Reply {
  const cmd = conv.command!;
  const ins = splitInstructions(conv.instructionsText);
  // What happened since this command was given (a continued conversation has older turns).
  const since = conv.commandBlock?.from ?? 0;
  const waitMode = cmd.name === "gsd:status" && /--wait/.test(cmd.args);
  const statusCall = (label: string) => helperCall(ins, waitMode ? "wait" : "status", "", label);
  const phaseArg = cmd.name === "gsd:status" ? "" : cmd.args;
  const helperCalls = conv.calls.filter((c) => c.at > since && isHelperCall(c));

  // 1. Act on what the last message's tool calls returned; a report waits for step 2.
  let report: Reply | undefined;
  for (const call of conv.answeredNow) {
    const out = resultText(call);
    if (call.use.name === "AskUserQuestion") {
      if (!call.result?.is_error && /Proceed/.test(out)) return helperCall(ins, "start", phaseArg, "main: start after Proceed");
      return text(
        `I could not get your answer (${out.slice(0, 300)}), so nothing was started. Reply "Proceed", "Adjust" or "Cancel".`,
        "main: no answer, nothing started",
      );
    }
    if (call.use.name === "ScheduleWakeup") {
      if (call.use.input.stop === true) {
        const last = helperJson(resultText(conv.calls.filter((c) => isHelperCall(c) && c.result !== undefined).pop() ?? call));
        return text(`The run is over; the pending wake-up is ended.${last ? `\n${summarize(last)}` : ""}`, "main: wake-up ended");
      }
      if (call.result?.is_error)
        return text(`I could not schedule a wake-up (${out.slice(0, 300)}): run /gsd:status when the limit has reset.`, "main: wake-up refused");
      if (waitMode)
        return text(`Following the run without holding the conversation (${String(call.use.input.reason ?? "")}).`, "main: wait's wake-up scheduled");
      return text(
        `The run waits on a limit; I will look again by myself (${String(call.use.input.reason ?? "")}). If I do not, run /gsd:status then.`,
        "main: wake-up scheduled",
      );
    }
    if (call.use.name === "Agent" && call.result?.is_error && /Agent type .* not found/i.test(out)) {
      // The protocol says what to run when the agent type is unknown; do it once, then report.
      if (!helperCalls.some((c) => /--agent-type/.test(bashOf(c)))) return helperCall(ins, "agent-fallback", "", "main: agent type unknown, fall back");
      return text(`The Agent tool refused the agent type again: ${out.slice(0, 300)}`, "main: agent type refused twice");
    }
    if (call.use.name !== "Bash") {
      // The agents a helper answer said to stop were stopped: go on with the rest of that answer.
      const asked = helperJson(resultText(conv.calls.filter((c) => c.at < call.at && isHelperCall(c)).pop() ?? call));
      if (asked && stopOf(asked).some((s) => s.tool === call.use.name)) {
        const spawn = spawnOf(asked);
        if (spawn.length > 0) return startAgents(spawn, `main: start ${spawn.length} agents after stopping`);
        return statusCall("main: status after stopping");
      }
      continue;
    }
    const j = helperJson(out);
    if (j === undefined || typeof j.command !== "string") {
      // Not an answer: a refusal, an error, or output cut short. Once, do what the message
      // says to do instead, if it names a command; else report and stop.
      const instead = suggestedCommand(out);
      const retried = helperCalls.filter((c) => failed(c)).length > 1;
      if (instead && !retried && !helperCalls.some((c) => bashOf(c) === instead))
        return tool("Bash", { command: instead, description: "as the message says" }, "main: retry as told");
      const why = TRUNCATED.test(out) ? "its output was cut short and I cannot read it whole" : "it did not give me an answer";
      return text(`The helper call failed (${why}); nothing more was done. It said:\n${out.slice(0, 1000)}`, "main: helper error, stop");
    }
    if (j.refused === true) return text(`Not starting. Reasons:\n${JSON.stringify(j.reasons)}`, "main: refused");
    const command = bashOf(call);
    const spawn = spawnOf(j);
    // `stop` comes first, as `next` says: end those agents (its tool with its input, in one message).
    const stop = stopOf(j);
    if ((j.command === "start" || j.command === "status") && stop.length > 0) {
      return {
        label: `main: stop ${stop.length} agents after ${j.command}`,
        content: stop.map((s) => ({ type: "tool_use" as const, name: s.tool, input: s.input })),
      };
    }
    if (j.command === "start" && (j.dryRun === true || /--dry-run/.test(command)) && j.engine === "workflow" && !conv.toolNames.includes("Workflow"))
      return text("This Claude Code has no Workflow tool, so I start nothing: run the phase with --engine agents.", "main: no Workflow tool");
    if (j.command === "start" && (j.dryRun === true || /--dry-run/.test(command))) {
      if (j.mode === "interactive") {
        return tool(
          "AskUserQuestion",
          {
            questions: [
              {
                question: `Start ${spawn.length} background agents now (queued: ${JSON.stringify(j.queued ?? j.waiting)}, needs a person: ${JSON.stringify(j.needsForeground ?? j.needsPerson)})?`,
                header: "gsd-async",
                multiSelect: false,
                options: [
                  { label: "Proceed", description: "start the agents" },
                  { label: "Adjust", description: "change the number of agents or checkpoints" },
                  { label: "Cancel", description: "start nothing" },
                ],
              },
            ],
          },
          "main: ask before starting",
        );
      }
      return helperCall(ins, "start", phaseArg, "main: start (yolo)");
    }
    // The workflow engine: the preview says so; a start hands out one Workflow call.
    const wf = j.workflow as { tool?: unknown; input?: Record<string, unknown> } | undefined;
    if (j.command === "start" && wf && typeof wf.tool === "string" && wf.input) {
      if (!conv.toolNames.includes(wf.tool))
        return text(`This Claude Code has no ${wf.tool} tool: run the phase with --engine agents instead.`, "main: no Workflow tool");
      return tool(
        wf.tool,
        wf.input,
        `main: start the workflow (${Array.isArray(wf.input.args && (wf.input.args as { plans?: unknown }).plans) ? (wf.input.args as { plans: unknown[] }).plans.length : "?"} plans)`,
      );
    }
    if ((j.command === "start" || j.command === "status") && spawn.length > 0)
      return startAgents(spawn, `main: start ${spawn.length} agents after ${j.command}`);
    // Every remaining plan waits on a limit: the protocol's "Limits" section.
    const resume = j.resume as { at?: string; inSeconds?: number; reason?: string } | undefined;
    if (j.command === "status" && spawn.length === 0 && resume && typeof resume.inSeconds === "number") {
      const again = commandFor(ins, "status");
      if (conv.toolNames.includes("ScheduleWakeup") && again) {
        const prompt = `gsd-async: the limit wait is over. Run ${fillArgument(again, phaseArg)} and act on it as the protocol says.`;
        const delaySeconds = Math.min(3600, Math.max(60, resume.inSeconds));
        return tool(
          "ScheduleWakeup",
          { delaySeconds, reason: `${String(resume.reason ?? "limits")}; resumes at ${String(resume.at)}`, prompt },
          "main: schedule a wake-up",
        );
      }
      return text(`Every remaining plan waits on a limit. At ${String(resume.at)} run /gsd:status.`, "main: tell when to resume");
    }
    if (waitMode && j.command === "status") {
      if (isFinal(j) && wakeUpPending(conv)) return tool("ScheduleWakeup", { stop: true }, "main: end the pending wake-up");
      if (isFinal(j)) return text(`The run is over.\n${summarize(j)}`, "main: wait loop over");
      const w = wakeUpOf(j);
      if (w) return followWakeUp(conv, w, j);
      return statusCall("main: wait again");
    }
    if (j.command === "status" && isFinal(j) && wakeUpPending(conv)) return tool("ScheduleWakeup", { stop: true }, "main: end the pending wake-up");
    if (j.command === "status") report = text(`Status.\n${summarize(j)}`, "main: status report");
  }
  if (waitMode && conv.answeredNow.some((c) => c.use.name === "Agent")) {
    // Step 4 of --wait: the answer that handed these agents out may ask for a wake-up.
    const answer = helperJson(resultText(conv.calls.filter((c) => isHelperCall(c) && c.result !== undefined).pop() ?? conv.answeredNow[0]!));
    const w = wakeUpOf(answer);
    if (w && answer) return followWakeUp(conv, w, answer);
    return statusCall("main: wait after starting agents");
  }

  // 2. A task notification that no status call has followed yet.
  const lastStatus = Math.max(since, ...conv.calls.filter(isStatusCall).map((c) => c.at));
  const pending = conv.notifications.filter((n) => n.at > lastStatus && o.overlooks?.(n) !== true);
  if (pending.length > 0) return statusCall(`main: notification ${pending.map((n) => n.taskId).join(",")}`);
  if (report) return report;

  // 3. A message (a scheduled wake-up's prompt) that names a helper status line to run.
  // Only a message that came while the command was under way: the command's own text shows status lines too.
  const woken = conv.lastAssistantAt >= since ? conv.newUserText : "";
  const named = codeSpans(woken).find((c) => /^node\s+\S*cli\.js'?"?\s+status\s/.test(c) || /cli\.js['"]?\s+status\s/.test(c));
  if (named) {
    const timeout = /--wait/.test(named) ? timeoutAskedFor(ins.command) : undefined;
    return tool(
      "Bash",
      { command: named, description: "gsd-async status, as the wake-up says", ...(timeout ? { timeout } : {}) },
      "main: woke up, status as told",
    );
  }
  // 3'. A message (a scheduled wake-up's prompt) that asks to run the helper's status line.
  const asked = commandFor(ins, "status");
  if (asked && conv.newUserText.includes(fillArgument(asked, phaseArg))) return statusCall("main: woke up, status");

  // 3b. The user answered an earlier question in a new message.
  if (/^\s*Proceed\b/m.test(conv.newUserText) && conv.calls.some((c) => c.at > since && c.use.name === "AskUserQuestion")) {
    return helperCall(ins, "start", phaseArg, "main: start after the user's reply");
  }

  // 4. The command's first step.
  if (conv.lastAssistantAt < since) {
    if (cmd.name === "gsd:execute-phase-async") return helperCall(ins, "preview", phaseArg, "main: preview");
    if (cmd.name === "gsd:execute-async") return helperCall(ins, "start", phaseArg, "main: start one plan");
    if (cmd.name === "gsd:status") return statusCall("main: status");
  }
  return text("Started the agents; follow them with /gsd:status or /gsd:status --wait.", "main: report");
}
