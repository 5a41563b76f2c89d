// (6) Commits through the repository lock vs a bare `git add` + `git commit` in the same run.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST_CLI } from "./paths.mjs";

const ENV = { ...process.env, GIT_EDITOR: "true", LC_ALL: "C" };

function repo() {
  const root = mkdtempSync(join(tmpdir(), "gsd-async-bench-"));
  const g = (...a) => execFileSync("git", a, { cwd: root, env: ENV });
  g("init", "-q", "-b", "main");
  g("config", "user.email", "bench@example.com");
  g("config", "user.name", "Bench");
  g("config", "commit.gpgsign", "false");
  writeFileSync(join(root, "seed.txt"), "seed\n");
  execFileSync("mkdir", ["-p", join(root, ".planning")]);
  writeFileSync(join(root, ".planning", "config.json"), "{}\n");
  g("add", "-A");
  g("commit", "-q", "-m", "seed");
  return root;
}

function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, env: ENV, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => (code === 0 ? resolve(err) : reject(new Error(`${cmd} ${args.join(" ")}: exit ${code}: ${err}`))));
  });
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** `count` commits by each of `workers` concurrent committers; returns wall ms. */
async function commits(kind, workers, count) {
  const root = repo();
  try {
    const t0 = now();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let i = 0; i < count; i++) {
          const f = `w${w}-${i}.txt`;
          writeFileSync(join(root, f), `${w} ${i}\n`);
          if (kind === "bare") {
            await run("git", ["add", "--", f], root);
            await run("git", ["commit", "-q", "-m", f, "--", f], root);
          } else await run(process.execPath, [DIST_CLI, "commit", `p${w}`, "-m", f, "--", f], root);
        }
      }),
    );
    const ms = now() - t0;
    const n = Number(execFileSync("git", ["rev-list", "--count", "HEAD"], { cwd: root }).toString().trim()) - 1;
    if (n !== workers * count) throw new Error(`${kind}: ${n} commits, expected ${workers * count}`);
    return ms;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Starting the helper at all (`--version`), the part of each commit that is Node and the bundle. */
async function startup(count) {
  const t0 = now();
  for (let i = 0; i < count; i++) await run(process.execPath, [DIST_CLI, "--version"], tmpdir());
  return (now() - t0) / count;
}

export async function commitBench(count) {
  const start = await startup(Math.min(count, 20));
  const bare = await commits("bare", 1, count);
  const helper = await commits("helper", 1, count);
  const helper4 = await commits("helper", 4, Math.max(1, Math.round(count / 4)));
  const n4 = 4 * Math.max(1, Math.round(count / 4));
  return {
    startup: start,
    bare: { perCommit: bare / count, perSecond: (count * 1000) / bare },
    helper: { perCommit: helper / count, perSecond: (count * 1000) / helper },
    helper4: { perCommit: helper4 / n4, perSecond: (n4 * 1000) / helper4, commits: n4 },
  };
}
