// A real Claude Code session, headless, against a scripted stand-in for the Messages API on
// 127.0.0.1, in throwaway directories (HOME, TMPDIR, project). Nothing leaves the machine.
// Used by the bench to time what the plugin adds to a tool call; the e2e tests have their own,
// richer harness (tests/e2e/harness.ts).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "./paths.mjs";

/** The Claude Code binary of a version in .cache/claude-code-<version>/, or undefined. */
export function claudeBinary(version) {
  const bin = join(PROJECT_ROOT, ".cache", `claude-code-${version}`, "node_modules", "@anthropic-ai", "claude-code", "bin", "claude.exe");
  return existsSync(bin) && statSync(bin).size > 10_000_000 ? bin : undefined;
}

/** The Claude Code versions the e2e tests name (tests/e2e/versions.json). */
export function claudeVersions() {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, "tests", "e2e", "versions.json"), "utf8")).all;
}

/**
 * Starts the mock. `policy(body)` returns the reply's content blocks; every tool_use answered
 * gets an id. `onReply(content)` and `onRequest(body)` see each exchange as it happens, so a
 * caller can time the gap between sending a tool call and getting its result back.
 */
async function startMock(policy, hooks = {}) {
  let ids = 0;
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      body = null;
    }
    if (req.method === "POST" && path === "/v1/messages/count_tokens") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ input_tokens: 100 }));
      return;
    }
    if (req.method !== "POST" || path !== "/v1/messages" || body === null) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ type: "error", error: { type: "not_found_error", message: "mock: not found" } }));
      return;
    }
    hooks.onRequest?.(body);
    const content = policy(body).map((b) => (b.type === "tool_use" ? { ...b, id: `toolu_bench${(++ids).toString(36)}` } : b));
    const stop = content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";
    const message = {
      id: `msg_bench${++ids}`,
      type: "message",
      role: "assistant",
      model: body.model ?? "mock",
      content,
      stop_reason: stop,
      stop_sequence: null,
    };
    const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...message, usage }));
      hooks.onReply?.(content);
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send("message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } });
    content.forEach((block, index) => {
      if (block.type === "text") {
        send("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
        send("content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } });
      } else {
        send("content_block_start", { type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } });
        send("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } });
      }
      send("content_block_stop", { type: "content_block_stop", index });
    });
    send("message_delta", { type: "message_delta", delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } });
    send("message_stop", { type: "message_stop" });
    res.end();
    hooks.onReply?.(content);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/** The tool results of the last user message of a request. */
export function lastToolResults(body) {
  const last = body.messages?.at(-1);
  if (!last || last.role !== "user" || !Array.isArray(last.content)) return [];
  return last.content.filter((b) => b.type === "tool_result");
}

/** How many tool results the whole conversation holds. */
export function toolResultCount(body) {
  return (body.messages ?? []).reduce((n, m) => n + (Array.isArray(m.content) ? m.content.filter((b) => b.type === "tool_result").length : 0), 0);
}

/**
 * Runs `claude -p prompt ...args` in a fresh sandbox with `policy` as the model. Returns the
 * exit code, stdout, the debug log, and `gaps`: for each tool call the model made, the ms from
 * the end of the reply that asked for it to the arrival of the request that carried its result.
 */
export async function runSession({ bin, prompt, args = [], policy, env = {}, timeoutMs = 120_000, setup }) {
  const root = mkdtempSync(join(tmpdir(), "gsd-bench-claude-"));
  const home = join(root, "home");
  const project = join(root, "project");
  for (const d of [home, project, join(root, "tmp")]) mkdirSync(d, { recursive: true });
  writeFileSync(join(home, ".claude.json"), "{}\n");
  setup?.({ root, home, project });
  let sentAt;
  let answered = 0;
  const gaps = [];
  const mock = await startMock(policy, {
    onReply: (content) => {
      sentAt = content.some((b) => b.type === "tool_use") ? process.hrtime.bigint() : undefined;
    },
    onRequest: (body) => {
      // The request that carries the result has one more tool result than the one before it
      // (Claude Code may add a reminder after the result, so it need not be the last block).
      const results = toolResultCount(body);
      if (sentAt !== undefined && results > answered) gaps.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
      answered = Math.max(answered, results);
      sentAt = undefined;
    },
  });
  const debugFile = join(root, "debug.log");
  const clean = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(ANTHROPIC_|CLAUDE|IS_SANDBOX|NODE_OPTIONS|GSD_ASYNC_|XDG_|npm_)/.test(k)) clean[k] = v;
  try {
    const child = spawn(bin, ["-p", prompt, "--output-format", "json", "--debug-file", debugFile, ...args], {
      cwd: project,
      env: {
        ...clean,
        HOME: home,
        TMPDIR: join(root, "tmp"),
        XDG_CONFIG_HOME: join(home, ".config"),
        XDG_CACHE_HOME: join(home, ".cache"),
        ANTHROPIC_BASE_URL: mock.url,
        ANTHROPIC_API_KEY: "dummy",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_TELEMETRY: "1",
        DISABLE_AUTOUPDATER: "1",
        DISABLE_ERROR_REPORTING: "1",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    const code = await new Promise((resolve) => child.on("close", (c) => resolve(c)));
    clearTimeout(timer);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Nothing left in its group.
    }
    const debugLog = existsSync(debugFile) ? readFileSync(debugFile, "utf8") : "";
    return { code, stdout, stderr, debugLog, gaps, root };
  } finally {
    await mock.close();
    if (process.env.GSD_ASYNC_BENCH_KEEP !== "1") rmSync(root, { recursive: true, force: true });
  }
}
