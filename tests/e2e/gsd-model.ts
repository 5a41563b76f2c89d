import { Conversation, type ToolCall, helperJson, resultText } from "./conversation";
import type { MessagesBody, Reply, ScriptedModel } from "./mock-api";

/**
 * A scripted model that plays both sides of a gsd-async run: the main conversation that
 * follows the plugin's commands (calling the helper, starting its `spawn` items as background
 * Agent calls, acting on task notifications), and the background agents that "execute" a plan
 * (write its SUMMARY.md, then run the `complete` or `fail` line their prompt ends with).
 *
 * It is deliberately literal: it fills the user's argument into the helper command exactly as
 * the command text shows (`-- '<phase>'`) and does NOT apply the protocol's own argument check,
 * so the hostile-input tests exercise the layers below the model (the command file, quoting,
 * the helper's validation, Claude Code's permissions) rather than this script's good manners.
 */

export type AgentOutcome = "complete" | "fail";

export interface GsdModelOptions {
  /** What the agent for a plan id (e.g. "02-01") does; default "complete". */
  outcome?: (plan: string) => AgentOutcome;
  /** Awaited before an agent's final text: lets a test hold an agent open. */
  beforeAgentEnds?: (plan: string) => Promise<void>;
  /** Extra delay before every agent reply, like a real model's latency (default 0). */
  agentLatencyMs?: number;
}

export const PLAN_MARKER = /^gsd-async-plan:\s*(\S+PLAN\.md)\s*$/m;

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

export function gsdModel(o: GsdModelOptions = {}): ScriptedModel {
  return async (body) => {
    const conv = new Conversation(body);
    if (PLAN_MARKER.test(conv.firstUserText)) {
      if (o.agentLatencyMs) await sleep(o.agentLatencyMs);
      return agentTurn(conv, o);
    }
    if (conv.command) return mainTurn(conv);
    // Anything else Claude Code asks (none is expected with non-essential traffic disabled).
    return text("OK", "other");
  };
}

// ---------------------------------------------------------------- background agents

async function agentTurn(conv: Conversation, o: GsdModelOptions): Promise<Reply> {
  const p = conv.firstUserText;
  const planFile = PLAN_MARKER.exec(p)?.[1] ?? "";
  const plan = planIdOf(planFile);
  const root = /^Project: (.+)$/m.exec(p)?.[1]?.trim();
  const summary = /^Summary to write: (\S+)$/m.exec(p)?.[1];
  const onSuccess = /^\s*done:\s+(.+)$/m.exec(p)?.[1]?.trim();
  const onFailure = /^\s*failed:\s+(.+)$/m.exec(p)?.[1]?.trim();
  if (!root || !summary || !onSuccess || !onFailure) throw new Error(`agent prompt for ${planFile} lacks root, summary or the complete/fail lines`);
  const write = conv.calls.find((c) => c.use.name === "Write");
  // A summary that could not be written (e.g. the Write was denied) is a failed plan.
  const writeFailed = write?.result?.is_error === true;
  const outcome = writeFailed ? "fail" : (o.outcome?.(plan) ?? "complete");
  const wrote = write !== undefined;
  const ran = conv.calls.some((c) => c.use.name === "Bash");
  if (outcome === "complete" && !wrote) {
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
    return tool("Write", { file_path: `${root}/${summary}`, content }, `agent ${plan}: write summary`);
  }
  if (!ran) {
    const reason = writeFailed ? "mock agent: could not write the summary" : "mock agent: the plan tests failed";
    const command = outcome === "complete" ? onSuccess : onFailure.replace(/'<one line: what went wrong>'/, `'${reason}'`);
    return tool("Bash", { command, description: `record ${plan} ${outcome}` }, `agent ${plan}: ${outcome}`);
  }
  await o.beforeAgentEnds?.(plan);
  return text(outcome === "complete" ? `${plan}: done, summary written.` : `${plan}: failed.`, `agent ${plan}: end`);
}

// ---------------------------------------------------------------- main conversation

function helperOf(conv: Conversation): string {
  const h = /node "([^"]*\/dist\/cli\.js)"/.exec(conv.firstUserText)?.[1];
  if (!h) throw new Error("the expanded command does not show the helper path");
  return h;
}

function helperCall(conv: Conversation, sub: string, arg: string, label: string, extra: Record<string, unknown> = {}): Reply {
  const a = arg.trim();
  const command = `node "${helperOf(conv)}" ${sub}${a ? ` -- '${a}'` : ""}`;
  return tool("Bash", { command, description: `gsd-async ${sub}`, ...extra }, label);
}

const isStatusCall = (c: ToolCall) => c.use.name === "Bash" && /dist\/cli\.js"? status\b/.test(String(c.use.input.command ?? ""));
const isFinal = (j: Record<string, unknown>) => j.outcome === "done" || j.outcome === "stopped";

function startAgents(spawn: unknown[], label: string): Reply {
  return {
    label,
    content: spawn.map((s) => ({ type: "tool_use" as const, name: "Agent", input: (s as { agentInput: Record<string, unknown> }).agentInput })),
  };
}

function summarize(j: Record<string, unknown>): string {
  const plans = Array.isArray(j.plans) ? (j.plans as Array<Record<string, unknown>>) : [];
  const lines = plans.map(
    (p) =>
      `${String(p.id)}: ${String(p.state)}${Array.isArray(p.blockedBy) && p.blockedBy.length ? ` (blocked by ${p.blockedBy.join(", ")})` : ""}${p.error ? ` error: ${String(p.error)}` : ""}`,
  );
  return [`outcome: ${String(j.outcome)}`, ...lines].join("\n");
}

function mainTurn(conv: Conversation): Reply {
  const cmd = conv.command!;
  const waitMode = cmd.name === "gsd:status" && /--wait/.test(cmd.args);
  const statusArgs = waitMode ? "status --wait --json" : "status --json";
  const statusCall = (label: string) => helperCall(conv, statusArgs, "", label, waitMode ? { timeout: 600000 } : {});
  const phaseArg = cmd.args;

  // 1. Act on what the last message's tool calls returned; a report waits for step 2.
  let report: Reply | undefined;
  for (const call of conv.answeredNow) {
    const out = resultText(call);
    if (call.use.name === "AskUserQuestion") {
      if (!call.result?.is_error && /Proceed/.test(out)) return helperCall(conv, "start --json", phaseArg, "main: start after Proceed");
      return text(
        `I could not get your answer (${out.slice(0, 300)}), so nothing was started. Reply "Proceed", "Adjust" or "Cancel".`,
        "main: no answer, nothing started",
      );
    }
    if (call.use.name !== "Bash") continue;
    const j = helperJson(out);
    if (j === undefined) return text(`The helper did not run as expected; nothing was started. It said:\n${out.slice(0, 1000)}`, "main: helper error");
    if (j.refused === true) return text(`Not starting. Reasons:\n${JSON.stringify(j.reasons)}`, "main: refused");
    if (j.command === "start" && j.dryRun === true) {
      if (j.mode === "interactive") {
        const queued = JSON.stringify(j.queued);
        return tool(
          "AskUserQuestion",
          {
            questions: [
              {
                question: `Start ${(j.spawn as unknown[]).length} background agents now (queued: ${queued}, needs a person: ${JSON.stringify(j.needsForeground)})?`,
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
      return helperCall(conv, "start --json", phaseArg, "main: start (yolo)");
    }
    if ((j.command === "start" || j.command === "status") && Array.isArray(j.spawn) && j.spawn.length > 0)
      return startAgents(j.spawn, `main: start ${j.spawn.length} agents after ${String(j.command)}`);
    if (waitMode && j.command === "status") {
      if (isFinal(j)) return text(`The run is over.\n${summarize(j)}`, "main: wait loop over");
      return statusCall("main: wait again");
    }
    if (j.command === "status") report = text(`Status.\n${summarize(j)}`, "main: status report");
  }
  if (waitMode && conv.answeredNow.some((c) => c.use.name === "Agent")) return statusCall("main: wait after starting agents");

  // 2. A task notification that no status call has followed yet.
  const lastStatus = Math.max(-1, ...conv.calls.filter(isStatusCall).map((c) => c.at));
  const pending = conv.notifications.filter((n) => n.at > lastStatus);
  if (pending.length > 0) return statusCall(`main: notification ${pending.map((n) => n.taskId).join(",")}`);
  if (report) return report;

  // 3. The user answered an earlier question in a new message.
  if (/^\s*Proceed\b/m.test(conv.newUserText) && conv.calls.some((c) => c.use.name === "AskUserQuestion")) {
    return helperCall(conv, "start --json", phaseArg, "main: start after the user's reply");
  }

  // 4. The command's first step.
  if (conv.lastAssistantAt < 0) {
    if (cmd.name === "gsd:execute-phase-async") return helperCall(conv, "start --dry-run --json", phaseArg, "main: preview");
    if (cmd.name === "gsd:execute-async") return helperCall(conv, "start --json", phaseArg, "main: start one plan");
    if (cmd.name === "gsd:status") return statusCall("main: status");
  }
  return text("Started the agents; follow them with /gsd:status or /gsd:status --wait.", "main: report");
}
