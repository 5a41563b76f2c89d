import type { ContentBlock, Message, MessagesBody, ToolResultBlock, ToolUseBlock } from "./mock-api";

/**
 * Reading a Messages API request the way a scripted model needs to: what command started the
 * conversation, which tools were called and what they returned, and which task notifications
 * arrived. Everything is decided from content, never from the order in which requests arrive
 * (a subagent's requests interleave with the main thread's).
 */

export function textOf(content: Message["content"] | ContentBlock | undefined | null): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((b) => textOf(b)).join("\n");
  if (content.type === "text") return String((content as { text?: unknown }).text ?? "");
  if (content.type === "tool_result") {
    const c = (content as ToolResultBlock).content;
    return typeof c === "string" ? c : Array.isArray(c) ? c.map((x) => x.text ?? "").join("\n") : "";
  }
  return "";
}

export function blocks(m: Message): ContentBlock[] {
  return typeof m.content === "string" ? [{ type: "text", text: m.content }] : m.content;
}

export function systemText(body: MessagesBody): string {
  const s = body.system;
  if (s === undefined) return "";
  return typeof s === "string" ? s : s.map((b) => b.text ?? "").join("\n");
}

/** One complete `<task-notification>` block: only these mean an agent or task ended. */
export interface TaskNotification {
  taskId: string;
  status: string;
  summary: string;
  /** Index in `messages` of the message that carried it. */
  at: number;
}

const NOTIFICATION = /<task-notification>([\s\S]*?)<\/task-notification>/g;

export function notificationsIn(text: string, at: number): TaskNotification[] {
  const out: TaskNotification[] = [];
  for (const m of text.matchAll(NOTIFICATION)) {
    const inner = m[1] ?? "";
    const taskId = /<task-id>\s*([^<\s]+)\s*<\/task-id>/.exec(inner)?.[1];
    const status = /<status>\s*([^<\s]+)\s*<\/status>/.exec(inner)?.[1];
    if (taskId === undefined || status === undefined) continue;
    out.push({ taskId, status, summary: /<summary>([\s\S]*?)<\/summary>/.exec(inner)?.[1]?.trim() ?? "", at });
  }
  return out;
}

export interface ToolCall {
  use: ToolUseBlock;
  /** Index in `messages` of the assistant message that made the call. */
  at: number;
  result?: ToolResultBlock;
}

/** A parsed request body with the questions the scripted models ask of it. */
export class Conversation {
  readonly messages: Message[];
  readonly calls: ToolCall[] = [];
  readonly notifications: TaskNotification[] = [];

  constructor(readonly body: MessagesBody) {
    this.messages = body.messages ?? [];
    const byId = new Map<string, ToolCall>();
    this.messages.forEach((m, i) => {
      for (const b of blocks(m)) {
        if (m.role === "assistant" && b.type === "tool_use") {
          const call: ToolCall = { use: b as ToolUseBlock, at: i };
          byId.set(call.use.id, call);
          this.calls.push(call);
        } else if (b.type === "tool_result") {
          const call = byId.get((b as ToolResultBlock).tool_use_id);
          if (call) call.result = b as ToolResultBlock;
        }
      }
      if (m.role !== "assistant") this.notifications.push(...notificationsIn(textOf(m.content), i));
    });
  }

  get toolNames(): string[] {
    return (this.body.tools ?? []).map((t) => t.name);
  }

  /**
   * What the conversation was opened with: every message before the first assistant one.
   * Claude Code 2.1.197 sends the expanded command as the first user message and the Read of an
   * @-included file as a system message after it; 2.1.332 puts that Read (and a reminder or two)
   * before the command, in user messages and blocks of their own.
   */
  get firstUserText(): string {
    const out: string[] = [];
    for (const m of this.messages) {
      if (m.role === "assistant") break;
      out.push(textOf(m.content));
    }
    return out.join("\n");
  }

  /**
   * The messages that carry the latest slash command (a `claude --continue "/cmd"` adds one to an
   * old conversation): from the one after the preceding assistant reply up to the next reply.
   */
  get commandBlock(): { from: number; to: number } | undefined {
    let at = -1;
    this.messages.forEach((m, i) => {
      if (m.role !== "assistant" && /<command-name>/.test(textOf(m.content))) at = i;
    });
    if (at < 0) return undefined;
    let from = at;
    while (from > 0 && this.messages[from - 1]?.role !== "assistant") from--;
    let to = at;
    while (to < this.messages.length && this.messages[to]?.role !== "assistant") to++;
    return { from, to };
  }

  /** The text of the latest command's messages: the expanded command and what came with it. */
  get instructionsText(): string {
    const b = this.commandBlock;
    if (!b) return this.firstUserText;
    return this.messages
      .slice(b.from, b.to)
      .map((m) => textOf(m.content))
      .join("\n");
  }

  /** Index of the last assistant message, or -1. */
  get lastAssistantAt(): number {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i]?.role === "assistant") return i;
    return -1;
  }

  /** Tool calls of the last assistant message that have their results in this request. */
  get answeredNow(): ToolCall[] {
    const at = this.lastAssistantAt;
    return this.calls.filter((c) => c.at === at && c.result !== undefined);
  }

  /** Plain user text typed after the last assistant message (not tool results, not notifications). */
  get newUserText(): string {
    const at = this.lastAssistantAt;
    return this.messages
      .slice(at + 1)
      .filter((m) => m.role === "user")
      .flatMap((m) => blocks(m).filter((b) => b.type === "text"))
      .map((b) => textOf(b))
      .join("\n");
  }

  /** The latest slash command of the conversation, from Claude Code's expansion markers. */
  get command(): { name: string; args: string } | undefined {
    const t = this.instructionsText;
    const name = /<command-name>\/?([^<]+)<\/command-name>/.exec(t)?.[1];
    if (name === undefined) return undefined;
    return { name: name.trim(), args: /<command-args>([\s\S]*?)<\/command-args>/.exec(t)?.[1] ?? "" };
  }
}

export function resultText(call: ToolCall): string {
  return call.result ? textOf(call.result) : "";
}

/**
 * The JSON object a helper call printed, read from a Bash tool result the way a model reads
 * it: whatever surrounds it (an "Exit code N" line, a warning on stderr) is skipped, and the
 * first object that parses whole is the answer. Output that Claude Code cut in the middle
 * (`... [N characters truncated] ...`) has no whole object left, so it gives undefined.
 */
export function helperJson(text: string): Record<string, unknown> | undefined {
  const asObject = (src: string): Record<string, unknown> | undefined => {
    try {
      const v = JSON.parse(src) as unknown;
      return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  // One-line JSON (and the pretty-printed kind, whose first line is a lone "{").
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.trimStart().startsWith("{")) continue;
    const one = asObject(lines[i]!.trim());
    if (one) return one;
    const rest = lines.slice(i).join("\n");
    const whole = asObject(rest.slice(0, rest.lastIndexOf("}") + 1));
    if (whole) return whole;
  }
  return undefined;
}

/** Claude Code's mark of output it cut: `... [N characters truncated] ...`. */
export const TRUNCATED = /\[\d+ characters truncated\]/;
