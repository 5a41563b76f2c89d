// The queue at scale: `status` on a 2,000-plan phase with a started run, as whole processes,
// against `analyze` of the same phase; peak RSS per command; and 30 `status` calls at once,
// to see whether they queue O(plans) work behind the queue lock.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DIST_CLI } from "./paths.mjs";
import { median, msSince } from "./stats.mjs";
import { syntheticPhase } from "./synthetic.mjs";

const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), "report-rss.cjs");

/** One whole process of the CLI: wall ms and peak RSS in KB. */
function runCli(args, rssDir, tag) {
  const rssFile = join(rssDir, `${tag}.rss`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", PRELOAD, DIST_CLI, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, GSD_ASYNC_BENCH_RSS: rssFile, NO_COLOR: "1" },
  });
  const ms = msSince(start);
  if (r.error || ![0, 1, 5].includes(r.status)) throw new Error(`gsd-async ${args.join(" ")} exited ${r.status ?? r.error}: ${String(r.stderr).slice(0, 400)}`);
  return { ms, rssKb: Number(readFileSync(rssFile, "utf8")), stdout: String(r.stdout) };
}

/** Starts `count` status processes at once; resolves with each one's wall ms. */
function concurrent(args, count) {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const start = process.hrtime.bigint();
          const child = spawn(process.execPath, [DIST_CLI, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
          let err = "";
          child.stderr.on("data", (d) => (err += d));
          child.on("exit", (code) => ([0, 1, 5].includes(code) ? resolve(msSince(start)) : reject(new Error(`status exited ${code}: ${err.slice(0, 400)}`))));
        }),
    ),
  );
}

export async function statusScale({ plans = 2000, runs = 5, callers = 30 } = {}) {
  const phase = syntheticPhase(plans);
  const rssDir = mkdtempSync(join(tmpdir(), "gsd-async-bench-rss-"));
  try {
    const cwd = ["--cwd", phase.root];
    const started = runCli(["start", phase.phaseDir, ...cwd, "--json"], rssDir, "start");
    const history = join(phase.root, ".planning", "agent-history.json");
    let historyBytes = 0;
    try {
      historyBytes = statSync(history).size;
    } catch {
      historyBytes = NaN;
    }
    const analyze = [];
    const status = [];
    for (let i = 0; i < runs; i++) {
      analyze.push(runCli(["analyze", phase.phaseDir, ...cwd, "--json"], rssDir, `a${i}`));
      status.push(runCli(["status", phase.phaseDir, ...cwd, "--json"], rssDir, `s${i}`));
    }
    const one = median(status.map((s) => s.ms));
    // The reference: as many `analyze` calls at once, the same CPU work without any lock.
    let wall = process.hrtime.bigint();
    const eachAnalyze = await concurrent(["analyze", phase.phaseDir, ...cwd, "--json"], callers);
    const analyzeTogether = msSince(wall);
    wall = process.hrtime.bigint();
    const each = await concurrent(["status", phase.phaseDir, ...cwd, "--json"], callers);
    const together = msSince(wall);
    return {
      plans,
      historyBytes,
      start: started,
      analyze: { ms: median(analyze.map((a) => a.ms)), rssKb: Math.max(...analyze.map((a) => a.rssKb)) },
      status: { ms: one, rssKb: Math.max(...status.map((s) => s.rssKb)) },
      concurrent: { callers, together, median: median(each), max: Math.max(...each), analyzeTogether, analyzeMedian: median(eachAnalyze) },
    };
  } finally {
    phase.cleanup();
    rmSync(rssDir, { recursive: true, force: true });
  }
}
