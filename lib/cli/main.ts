import { resolve } from "node:path";
import { run } from "./program";

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
  readStdin,
}).then((code) => {
  process.exitCode = code;
});
