import { dirname, join, resolve } from "node:path";
import { hookLog, preToolUseAnswer } from "./pre-tool-use";

// The entry of dist/hook-pre-tool-use.js: the PreToolUse hook on Bash as a file of its own, so
// a Bash call that might be the helper costs one small node start and nothing of the CLI
// (no commander, zod or YAML). It never fails the call: every outcome exits 0.
const here = dirname(resolve(process.argv[1] ?? "dist/hook-pre-tool-use.js"));
let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (c: string) => (text += c));
process.stdin.on("error", () => undefined);
process.stdin.on("end", () => {
  try {
    const a = preToolUseAnswer(text, { helper: join(here, "cli.js"), env: process.env, execPath: process.execPath, cwd: process.cwd() });
    if (a.stdout) process.stdout.write(a.stdout);
    hookLog(process.env, (s) => process.stderr.write(s), new Date(), "pre-tool-use", a.log, a.quiet);
  } catch (err) {
    hookLog(process.env, (s) => process.stderr.write(s), new Date(), "pre-tool-use", `error (ignored): ${(err as Error)?.message ?? String(err)}`);
  }
});
