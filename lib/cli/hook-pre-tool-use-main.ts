import { readFileSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { hookLog, preToolUseAnswer } from "./pre-tool-use";

// The entry of dist/hook-pre-tool-use.js: the PreToolUse hook on Bash as a file of its own, so
// a Bash call that might be the helper costs one small node start and nothing of the CLI
// (no commander, zod or YAML). Claude Code writes the payload and closes stdin, so it is read
// in one synchronous call and answers are written straight to the file descriptors: the
// process.stdin/stdout/stderr streams would cost more to set up than the decision itself.
// It never fails the call: every outcome exits 0.
const err = (s: string) => void writeSync(2, s);
try {
  const text = readFileSync(0, "utf8");
  const here = dirname(resolve(process.argv[1] ?? "dist/hook-pre-tool-use.js"));
  const a = preToolUseAnswer(text, { helper: join(here, "cli.js"), env: process.env, execPath: process.execPath, cwd: process.cwd() });
  if (a.stdout) writeSync(1, a.stdout);
  hookLog(process.env, err, new Date(), "pre-tool-use", a.log, a.quiet);
} catch (e) {
  hookLog(process.env, err, new Date(), "pre-tool-use", `error (ignored): ${(e as Error)?.message ?? String(e)}`);
}
