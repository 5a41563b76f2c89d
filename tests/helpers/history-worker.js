/*
 * A separate process that writes .planning/agent-history.json through the BUILT library
 * (dist/index.js), for the concurrency tests. Usage:
 *
 *   node history-worker.js record <root> <worker> <count>
 *     For each of <count> plans: one locked update appends a queued entry, a second records its
 *     outcome (spawn, then complete or fail). Prints "done <worker>" at the end.
 *   node history-worker.js hog <root> <entries>
 *     Forever: under the lock, prints "locked <generation>" and writes a history of <entries>
 *     large entries tagged with that generation. Meant to be killed.
 *   node history-worker.js complete-cli <root> <first> <count>
 *     Runs the CLI's own `complete` (in this process, through dist/index.js's `run`) for plans
 *     01-<first> .. 01-<first+count-1> of phase 01-x; prints "exit <code> <plan>" for each.
 *   node history-worker.js once <root> <plan>
 *     One locked update that appends a queued entry for <plan>. Prints "ok".
 */
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const dist = join(__dirname, "..", "..", "dist", "index.js");
if (!existsSync(dist)) {
  process.stderr.write(`history-worker: ${dist} is missing; run \`npm run build\` first\n`);
  process.exit(3);
}
const lib = require(dist);

const [mode, root, a, b] = process.argv.slice(2);
const at = () => new Date().toISOString();
const run = {
  run_id: "conc",
  phase_dir: ".planning/phases/01-x",
  started_at: "2026-01-01T00:00:00.000Z",
  max_concurrent: 3,
  strategy: "fifo",
  include_checkpoints: false,
  session_id: null,
};

function entryFor(plan) {
  return lib.newEntry({
    run,
    planId: plan,
    planFile: `.planning/phases/01-x/${plan}-PLAN.md`,
    phase: "01",
    phaseDir: ".planning/phases/01-x",
    description: `Execute ${plan}`,
    dependsOn: [],
    at: at(),
    foreground: false,
  });
}

async function record(worker, count) {
  for (let i = 0; i < count; i++) {
    const plan = `w${worker}-${i}`;
    await lib.updateHistory(root, (h) => ({
      history: { ...h, runs: h.runs.some((r) => r.run_id === "conc") ? h.runs : [...h.runs, run], entries: [...h.entries, entryFor(plan)] },
      result: null,
    }));
    await lib.updateHistory(root, (h) => {
      const e = h.entries.find((x) => x.plan === plan);
      if (!e) throw new Error(`lost my own entry ${plan}`);
      const spawned = lib.transition(e, "spawn", at(), { agent_id: `a${worker}x${i}` });
      const outcome =
        i % 5 === 4 ? lib.transition(spawned, "fail", at(), { error: `worker ${worker} failed ${i}` }) : lib.transition(spawned, "complete", at());
      return { history: lib.replaceEntry(h, outcome), result: null };
    });
  }
  process.stdout.write(`done ${worker}\n`);
}

async function completeCli(first, count) {
  for (let i = first; i < first + count; i++) {
    const plan = `01-${String(i).padStart(3, "0")}`;
    const io = {
      cwd: root,
      env: {},
      isTTY: false,
      out: () => undefined,
      err: (t) => process.stderr.write(t),
      now: () => new Date(),
      helper: ["node", "dist/cli.js"],
      readStdin: async () => "",
    };
    const code = await lib.run(["complete", `.planning/phases/01-x/${plan}-PLAN.md`, "--cwd", root], io);
    process.stdout.write(`exit ${code} ${plan}\n`);
  }
}

async function hog(size) {
  const filler = "x".repeat(4000);
  for (let generation = 1; ; generation++) {
    await lib.updateHistory(root, () => {
      process.stdout.write(`locked ${generation}\n`);
      const entries = [];
      for (let i = 0; i < size; i++) entries.push({ ...entryFor(`hog-${i}`), task_description: `${generation} ${filler}` });
      return { history: { version: lib.HISTORY_VERSION, max_entries: size * 2, entries, runs: [run], generation }, result: null };
    });
  }
}

async function once(plan) {
  await lib.updateHistory(root, (h) => ({ history: { ...h, entries: [...h.entries, entryFor(plan)] }, result: null }));
  process.stdout.write("ok\n");
}

const main =
  mode === "record"
    ? record(a, Number(b))
    : mode === "hog"
      ? hog(Number(a))
      : mode === "once"
        ? once(a)
        : mode === "complete-cli"
          ? completeCli(Number(a), Number(b))
          : Promise.reject(new Error(`unknown mode ${mode}`));
main.catch((err) => {
  process.stderr.write(`history-worker ${mode} ${a ?? ""}: ${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});
