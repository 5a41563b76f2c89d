// (7) Hostile input: the worst cases found against the bundle, each run as a whole `gsd-async`
// process with its wall time and peak RSS, next to the same command on a small ordinary phase.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DIST_CLI } from "./paths.mjs";
import { msSince } from "./stats.mjs";

const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), "report-rss.cjs");
const PHASE = ".planning/phases/01-core";
const plan = (fields, body = "") => `---\n${fields}\n---\n\n<objective>bench</objective>\n${body}\n`;

const made = [];

function project(files) {
  const root = mkdtempSync(join(tmpdir(), "gsd-async-bench-"));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

/** One CLI run in a child process: wall ms, peak RSS in KB, exit code, bytes printed. */
function measure(root, args) {
  const rssFile = join(root, ".rss");
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", PRELOAD, DIST_CLI, ...args, "--cwd", root], {
    env: { ...process.env, GSD_ASYNC_BENCH_RSS: rssFile, NO_COLOR: "1" },
    maxBuffer: 512 * 1024 * 1024,
    timeout: 600_000,
  });
  const ms = msSince(start);
  if (r.error) throw r.error;
  return { ms, rssKb: Number(readFileSync(rssFile, "utf8")), code: r.status, outBytes: r.stdout.length };
}

export function hostileCases() {
  const cases = [];
  const ordinary = project({
    [`${PHASE}/01-01-PLAN.md`]: plan("files_modified: [src/a.ts]"),
    [`${PHASE}/01-02-PLAN.md`]: plan("files_modified: [src/b.ts]"),
  });
  const glob = (k) =>
    project({
      [`${PHASE}/01-01-PLAN.md`]: plan(`files_modified: ["src/${"*a".repeat(k)}*b"]`),
      [`${PHASE}/01-02-PLAN.md`]: plan(`files_modified: ["src/${"a".repeat(40)}"]`, `<task><files>src/${"a".repeat(40)}</files></task>`),
    });
  const bigTask = `<task type="auto"><name>t</name><files>src/x.ts</files><action>${"lorem ipsum dolor sit amet ".repeat(40)}</action></task>\n`;
  const fifty = project({
    [`${PHASE}/01-01-PLAN.md`]: plan("files_modified: [src/a.ts]", bigTask.repeat(Math.ceil(50e6 / bigTask.length))),
    [`${PHASE}/01-02-PLAN.md`]: plan("files_modified: [src/b.ts]"),
  });
  const listOf = (n) => Array.from({ length: n }, (_, i) => `  - src/f${i}.ts`).join("\n");
  const longList = project({
    [`${PHASE}/01-01-PLAN.md`]: plan(`files_modified:\n${listOf(100_000)}`),
    [`${PHASE}/01-02-PLAN.md`]: plan(`files_modified:\n${listOf(40_000)}`),
  });
  // Words that shed one piece of punctuation per cleaning round (`a:1.:1.:1.` ...), 1 MB of them.
  const word = (i) => `a${i}${":1.".repeat(330)}`;
  const words = project({
    [`${PHASE}/01-01-PLAN.md`]: plan(`files_modified:\n${Array.from({ length: 1000 }, (_, i) => `  - "${word(i)}"`).join("\n")}`),
    [`${PHASE}/01-02-PLAN.md`]: plan("files_modified: [a]", `<task><files>\n${Array.from({ length: 1000 }, (_, i) => word(i)).join("\n")}\n</files></task>`),
  });
  const runs = [
    ["ordinary 2-plan phase: check (reference)", ordinary, ["check", "1"]],
    ["glob pair, 9 wildcards: check (was 19.6 s)", glob(9), ["check", "1"]],
    ["glob pair, 40 wildcards: check", glob(40), ["check", "1"]],
    ["50 MB plan: analyze --json (was 25 s)", fifty, ["analyze", "1", "--json"]],
    ["50 MB plan: start --dry-run --json", fifty, ["start", "1", "--dry-run", "--json"]],
    ["50 MB plan: budget estimate (was 49 s, 575 MB)", fifty, ["budget", "estimate", "1"]],
    ["100k-line files_modified (+ a 40k one): check", longList, ["check", "1"]],
    ["2 x 1 MB of hostile path words: check", words, ["check", "1"]],
  ];
  try {
    let reference;
    for (const [label, root, args] of runs) {
      process.stderr.write(`(7) ${label} ...\n`);
      // The reference is the median of three runs, after one that fills the code cache.
      const m =
        reference === undefined
          ? [0, 1, 2, 3]
              .map(() => measure(root, args))
              .slice(1)
              .sort((a, b) => a.ms - b.ms)[1]
          : measure(root, args);
      reference ??= m.ms;
      cases.push({ label, ...m, ratio: m.ms / reference });
    }
  } finally {
    for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
  }
  return cases;
}
