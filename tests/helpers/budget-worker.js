/*
 * A separate process that runs `gsd-async budget reserve` through the BUILT library
 * (dist/index.js), for the budget concurrency test while dist/cli.js does not have the
 * command yet. Exits like the CLI: 0 granted, 1 refused, 2/3/4 other failures. Usage:
 *
 *   node budget-worker.js reserve <root> <tokens> <owner>
 *     Prints the command's --json output on stdout.
 */
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const dist = join(__dirname, "..", "..", "dist", "index.js");
if (!existsSync(dist)) {
  process.stderr.write(`budget-worker: ${dist} is missing; run \`npm run build\` first\n`);
  process.exit(70);
}
const lib = require(dist);
if (typeof lib.budgetReserveCommand !== "function") {
  process.stderr.write("budget-worker: dist/index.js has no budgetReserveCommand; run `npm run build`\n");
  process.exit(70);
}

const CODES = { ok: 0, problems: 1, usage: 2, noProject: 3, state: 4, inProgress: 5, internal: 70 };
const [mode, root, tokens, owner] = process.argv.slice(2);

async function main() {
  if (mode !== "reserve") throw new Error(`unknown mode ${mode}`);
  const io = {
    cwd: root,
    env: {},
    isTTY: false,
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    now: () => new Date(),
    helper: ["node", "dist/cli.js"],
    readStdin: async () => "",
  };
  const result = await lib.budgetReserveCommand(io, Number(tokens), { for: owner, cwd: root, json: true });
  if (typeof result === "string") return CODES[result];
  process.stderr.write(`gsd-async: ${result.message}\n`);
  return CODES[result.kind];
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`budget-worker ${owner ?? ""}: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 70;
  },
);
