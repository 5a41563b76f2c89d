import { run } from "./program";

// The only place that touches the real process: argv, streams, exit code.
const code = run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
});
process.exitCode = code;
