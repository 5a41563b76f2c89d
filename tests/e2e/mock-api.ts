import { appendFileSync } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A scripted stand-in for the Anthropic Messages API, for running the real Claude Code CLI
 * offline. It listens on 127.0.0.1 only. Every POST /v1/messages is answered by a "scripted
 * model": a function from the request body to a reply (text and/or tool_use blocks), so a
 * scenario is a small deterministic policy written in TypeScript. Claude Code always asks for
 * a stream, so replies go out as server-sent events; non-streaming requests get plain JSON.
 * POST /v1/messages/count_tokens gets a rough count; anything else is a 404 (Claude Code sends
 * a HEAD / at start-up and tolerates the 404). Every request is kept in `requests` and, when
 * `logFile` is given, appended to it as one JSON line.
 */

export interface TextBlock {
  type: "text";
  text: string;
}
export interface ToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: Record<string, unknown>;
}
export interface ToolResultBlock {
  type: "tool_result";
  tool_use_id: string;
  content?: string | Array<{ type: string; text?: string }>;
  is_error?: boolean;
}
export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock | { type: string; [k: string]: unknown };

export interface Message {
  role: "user" | "assistant" | "system";
  content: string | ContentBlock[];
}

export interface MessagesBody {
  model?: string;
  system?: string | Array<{ type: string; text?: string }>;
  messages?: Message[];
  tools?: Array<{ name: string; [k: string]: unknown }>;
  stream?: boolean;
  [k: string]: unknown;
}

/** What a scripted model answers: blocks in order; a tool_use's id is made up when missing. */
export interface Reply {
  content: Array<{ type: "text"; text: string } | { type: "tool_use"; name: string; input: Record<string, unknown>; id?: string }>;
  stopReason?: "end_turn" | "tool_use" | "max_tokens";
  /** Label for the request log. */
  label?: string;
  /** Answer with this API error instead of a message (see limit-api.ts); `content` is then ignored. */
  error?: { status: number; type: string; message: string; headers?: Record<string, string> };
}

export type ScriptedModel = (body: MessagesBody, seq: number) => Reply | Promise<Reply>;

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  body: MessagesBody | null;
  reply?: Reply["content"];
  label?: string;
  error?: string;
}

export class MockApi {
  readonly requests: LoggedRequest[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private seq = 0;
  private ids = 0;
  port = 0;

  constructor(
    private readonly model: ScriptedModel,
    private readonly logFile?: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The number of the last request that arrived (recorded or still being answered). */
  get lastSeq(): number {
    return this.seq;
  }

  /** The /v1/messages requests only, in arrival order. */
  get messageRequests(): LoggedRequest[] {
    return this.requests.filter((r) => r.path === "/v1/messages" && r.body !== null);
  }

  async start(): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  /** Stops listening and drops every open connection (replies still pending are abandoned). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private record(entry: LoggedRequest): void {
    this.requests.push(entry);
    if (this.logFile) {
      try {
        appendFileSync(this.logFile, JSON.stringify(entry) + "\n");
      } catch {
        // The log is for people debugging a failure; losing a line is not a test failure.
      }
    }
  }

  private newId(prefix: string): string {
    return `${prefix}_mock${(++this.ids).toString(36).padStart(6, "0")}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: MessagesBody | null;
    try {
      body = raw ? (JSON.parse(raw) as MessagesBody) : null;
    } catch {
      body = null;
    }
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const entry: LoggedRequest = { seq: ++this.seq, at: new Date().toISOString(), method: req.method ?? "?", path, body };

    if (req.method === "POST" && path === "/v1/messages/count_tokens") {
      this.record(entry);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ input_tokens: Math.ceil(raw.length / 4) }));
      return;
    }
    if (req.method !== "POST" || path !== "/v1/messages" || body === null) {
      this.record(entry);
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ type: "error", error: { type: "not_found_error", message: "mock: not found" } }));
      return;
    }

    let reply: Reply;
    try {
      reply = await this.model(body, entry.seq);
    } catch (err) {
      // A bug in a scripted model must show up, not hang the run: a 400 ends Claude Code's run.
      entry.error = (err as Error)?.stack ?? String(err);
      this.record(entry);
      if (!res.destroyed) {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: `mock model error: ${(err as Error)?.message}` } }));
      }
      return;
    }
    if (reply.error) {
      entry.error = `${reply.error.status} ${reply.error.type}`;
      if (reply.label !== undefined) entry.label = reply.label;
      this.record(entry);
      if (res.destroyed) return;
      res.writeHead(reply.error.status, { "content-type": "application/json", ...(reply.error.headers ?? {}) });
      res.end(JSON.stringify({ type: "error", error: { type: reply.error.type, message: reply.error.message } }));
      return;
    }
    const content = reply.content.map((b) => (b.type === "tool_use" ? { ...b, id: b.id ?? this.newId("toolu") } : b));
    entry.reply = content;
    if (reply.label !== undefined) entry.label = reply.label;
    this.record(entry);
    if (res.destroyed) return;
    const stopReason = reply.stopReason ?? (content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");
    const message = {
      id: this.newId("msg"),
      type: "message",
      role: "assistant",
      model: body.model ?? "mock-model",
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    if (body.stream) this.stream(res, message, stopReason);
    else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(message));
    }
  }

  private stream(
    res: ServerResponse,
    message: { content: Reply["content"]; usage: { output_tokens: number }; [k: string]: unknown },
    stopReason: string,
  ): void {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send("message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } } });
    message.content.forEach((block, index) => {
      if (block.type === "text") {
        send("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
        send("content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } });
      } else {
        send("content_block_start", { type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } });
        send("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } });
      }
      send("content_block_stop", { type: "content_block_stop", index });
    });
    send("message_delta", {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: message.usage.output_tokens },
    });
    send("message_stop", { type: "message_stop" });
    res.end();
  }
}
