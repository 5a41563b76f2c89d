// Wall-clock time of whole child processes, run one after another.
import { spawnSync } from "node:child_process";
import { msSince } from "./stats.mjs";

/** Runs `node ...args` to completion and returns its wall time in ms; throws when it fails. */
export function timeNode(args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024, ...options });
  const ms = msSince(start);
  const allowed = options.allowedStatus ?? [0];
  if (r.error || !allowed.includes(r.status)) {
    throw new Error(`node ${args.join(" ")} exited with ${r.status ?? r.error}: ${String(r.stderr).slice(0, 500)}`);
  }
  return { ms, stdout: r.stdout };
}

/**
 * Times two commands `runs` times each, interleaved (A B, B A, A B, ...) so drift in machine
 * load hits both alike. `warmup` untimed rounds first fill the OS file cache.
 */
export function interleaved(a, b, runs, warmup = 3) {
  for (let i = 0; i < warmup; i++) {
    a();
    b();
  }
  const ta = [];
  const tb = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      ta.push(a());
      tb.push(b());
    } else {
      tb.push(b());
      ta.push(a());
    }
  }
  return { a: ta, b: tb };
}
