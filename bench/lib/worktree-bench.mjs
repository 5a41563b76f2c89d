// (10) What worktree mode adds per plan: the worktree made when `start` hands the plan out and
// the merge when `complete` records it, against the same commands in shared mode and a bare
// `git add` + `git commit` of one file, all in fresh repositories in the same run.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST_CLI } from "./paths.mjs";

const ENV = { ...process.env, GIT_EDITOR: "true", LC_ALL: "C" };
const PHASE = ".planning/phases/01-bench";
const now = () => Number(process.hrtime.bigint()) / 1e6;

function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")}: exit ${code}: ${err}`))));
  });
}

/** A repository with `n` independent plans, all startable at once, in the given mode. */
function repo(n, isolation) {
  const root = mkdtempSync(join(tmpdir(), "gsd-async-bench-wt-"));
  const g = (...a) => execFileSync("git", a, { cwd: root, env: ENV });
  mkdirSync(join(root, PHASE), { recursive: true });
  writeFileSync(join(root, ".planning", "STATE.md"), "# State\n\n## Current Position\n\nPhase: 1 of 1 (Bench)\n");
  writeFileSync(join(root, ".planning", "config.json"), JSON.stringify({ mode: "yolo", parallelization: { max_concurrent_agents: n, isolation } }));
  writeFileSync(join(root, ".gitignore"), ".planning/agent-history.json\n");
  for (let i = 1; i <= n; i++) {
    const id = String(i).padStart(2, "0");
    writeFileSync(
      join(root, PHASE, `01-${id}-PLAN.md`),
      `---\nphase: 01-bench\nplan: ${id}\ndepends_on: []\nfiles_modified:\n  - src/${id}.txt\n---\n\n<objective>bench</objective>\n`,
    );
  }
  g("init", "-q", "-b", "main");
  g("config", "user.email", "bench@example.com");
  g("config", "user.name", "Bench");
  g("config", "commit.gpgsign", "false");
  g("add", "-A");
  g("commit", "-q", "-m", "seed");
  return root;
}

/** One phase run: `start` (timed), a bare commit in each plan's project (timed), `complete` of each (timed). */
async function phase(n, isolation) {
  const root = repo(n, isolation);
  try {
    let t = now();
    const started = JSON.parse(await run(process.execPath, [DIST_CLI, "start", PHASE, "--json"], root));
    const startMs = now() - t;
    const spawnItems = started.spawn.map((s) => ({ plan: s.plan, runId: s.runId, project: /^Project: (.+)$/m.exec(s.agentInput.prompt)[1] }));
    if (spawnItems.length !== n) throw new Error(`${isolation}: ${spawnItems.length} plans handed out, expected ${n}`);
    let bareMs = 0;
    let completeMs = 0;
    for (const s of spawnItems) {
      const f = `src/${s.plan}.txt`;
      mkdirSync(join(s.project, "src"), { recursive: true });
      writeFileSync(join(s.project, f), `${s.plan}\n`);
      t = now();
      await run("git", ["add", "--", f], s.project);
      await run("git", ["commit", "-q", "-m", f, "--", f], s.project);
      bareMs += now() - t;
      t = now();
      await run(process.execPath, [DIST_CLI, "complete", s.plan, "--run", s.runId, "--cwd", root], s.project);
      completeMs += now() - t;
    }
    const onMain = Number(execFileSync("git", ["rev-list", "--count", "--no-merges", "main"], { cwd: root }).toString().trim()) - 1;
    if (onMain !== n) throw new Error(`${isolation}: ${onMain} plan commits on main, expected ${n}`);
    return { start: startMs / n, complete: completeMs / n, bare: bareMs / n };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function worktreeBench(plans) {
  const shared = await phase(plans, "shared");
  const worktree = await phase(plans, "worktree");
  const bare = (shared.bare + worktree.bare) / 2;
  const added = worktree.start + worktree.complete - (shared.start + shared.complete);
  return { plans, shared, worktree, bare, added };
}
