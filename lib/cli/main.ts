import { resolve } from "node:path";
import { run } from "./program";
import { waitForFiles } from "../shell/wait";

function readStdin(): Promise<string> {
  return new Promise((res) => {
    if (process.stdin.isTTY) return res("");
    let data = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (c: string) => (data += c));
    process.stdin.on("end", () => res(data));
    process.stdin.on("error", () => res(data));
  });
}

// The only place that touches the real process: argv, streams, clock, exit code.
run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  now: () => new Date(),
  helper: ["node", resolve(process.argv[1] ?? "dist/cli.js")],
  nodePath: process.execPath,
  readStdin,
  ppid: process.ppid,
  waitForChange: waitForFiles,
}).then((code) => {
  process.exitCode = code;
});

// A reader that went away (`gsd-async status | head`) is not an error worth a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});
