// What the plugin's PreToolUse hook adds to a Bash call that has nothing to do with gsd-async,
// measured in real Claude Code sessions (mock API): a scripted model makes N `true` Bash calls,
// one per turn, and the time from the reply asking for each call to the request carrying its
// result is compared with the plugin on, off, and with the hook as it was before the `if`
// filter (the whole CLI on every Bash call), sessions interleaved so drift hits all alike.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSession, toolResultCount } from "./claude-session.mjs";
import { PROJECT_ROOT } from "./paths.mjs";
import { midMean } from "./stats.mjs";

/** A copy of the plugin whose Bash hook runs the whole CLI on every Bash call, as before the filter. */
function unfilteredPlugin() {
  const dir = mkdtempSync(join(tmpdir(), "gsd-bench-plugin-"));
  for (const d of [".claude-plugin", "commands", "workflows", "dist"]) cpSync(join(PROJECT_ROOT, d), join(dir, d), { recursive: true });
  const hooks = JSON.parse(readFileSync(join(PROJECT_ROOT, "hooks", "hooks.json"), "utf8"));
  hooks.hooks.PreToolUse = [
    { matcher: "Bash", hooks: [{ type: "command", command: 'node "${CLAUDE_PLUGIN_ROOT}/dist/cli.js" hook pre-tool-use', timeout: 10 }] },
  ];
  cpSync(join(PROJECT_ROOT, "hooks"), join(dir, "hooks"), { recursive: true });
  writeFileSync(join(dir, "hooks", "hooks.json"), JSON.stringify(hooks, null, 2));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `calls` unrelated Bash calls in one session; the first call (it sets up the shell) is left out. */
async function session(bin, pluginDir, calls) {
  const hookLog = join(mkdtempSync(join(tmpdir(), "gsd-bench-hooklog-")), "hooks.log");
  const args = ["--allowedTools", "Bash(true)", ...(pluginDir ? ["--plugin-dir", pluginDir] : [])];
  const policy = (body) =>
    toolResultCount(body) < calls ? [{ type: "tool_use", name: "Bash", input: { command: "true", description: "nothing" } }] : [{ type: "text", text: "done" }];
  const r = await runSession({ bin, prompt: "run true a few times", args, policy, env: { GSD_ASYNC_HOOK_LOG: hookLog } });
  if (r.code !== 0 || r.gaps.length !== calls)
    throw new Error(`claude session exited ${r.code} after ${r.gaps.length} of ${calls} calls: ${r.stderr.slice(0, 300)}`);
  const hookRuns = existsSync(hookLog)
    ? readFileSync(hookLog, "utf8")
        .split("\n")
        .filter((l) => l.includes("hook pre-tool-use")).length
    : 0;
  rmSync(join(hookLog, ".."), { recursive: true, force: true });
  return { gaps: r.gaps.slice(1), hookRuns };
}

/**
 * For one Claude Code binary: ms per unrelated Bash call (mean of the middle half) with the plugin off, on, and
 * with the unfiltered hook; how many hook processes the plugin started for them (from the
 * hook log, where every run of the current hook writes a line).
 */
export async function hookCost(bin, { sessions = 3, calls = 16 } = {}) {
  const before = unfilteredPlugin();
  try {
    const t = { off: [], on: [], before: [] };
    let hookRuns = 0;
    for (let s = 0; s < sessions; s++) {
      const order = s % 2 === 0 ? ["off", "on", "before"] : ["before", "on", "off"];
      for (const which of order) {
        const r = await session(bin, which === "off" ? undefined : which === "on" ? PROJECT_ROOT : before.dir, calls);
        t[which].push(...r.gaps);
        if (which === "on") hookRuns += r.hookRuns;
      }
    }
    return { off: midMean(t.off), on: midMean(t.on), before: midMean(t.before), measured: t.on.length, calls: t.on.length + sessions, hookRuns };
  } finally {
    before.cleanup();
  }
}
