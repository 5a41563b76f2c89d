/**
 * The exported job script against real git: a bare repository stands in for GitHub, each "job"
 * is a fresh clone running `plan-job.sh` with the environment the workflow gives it (read from
 * the generated YAML), and a fake agent commits a summary. Checks: records on the phase branch
 * tell the story (`queued -> dispatched -> spawned -> completed | failed`), two jobs finishing at once both
 * merge (the second push is retried on the new tip), a conflict fails only that plan, a plan
 * complete on the branch is not run again, the plan filter, and the run summary.
 */
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { run } from "../../lib/cli/program";
import { readWorkflow } from "../helpers/actions-runner";
import { makeTree, removeTree } from "../helpers/tree";

const BUNDLE = resolve(__dirname, "..", "..", "dist", "cli.js");
const execFileP = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

beforeAll(() => {
  // The jobs run the helper bundle copied beside the workflow: it must be built from this source.
  if (!readFileSync(BUNDLE, "utf8").includes("run-summary")) throw new Error(`${BUNDLE} predates export run-summary: run npm run build first`);
});

let tmp: string;
let origin: string;
let workflow: ReturnType<typeof readWorkflow> & { env: Record<string, string> };
let jobCount = 0;
/** The seeded phase branch, built once: each test starts from its own copy of this bare repository. */
let template: string;

beforeAll(async () => {
  template = makeTree({});
  const seedOrigin = join(template, "origin.git");
  git(template, "init", "-q", "--bare", seedOrigin);
  const seed = join(template, "seed");
  mkdirSync(seed);
  git(seed, "init", "-q");
  cpSync(resolve(__dirname, "..", "..", "examples", "demo"), join(seed, "app"), { recursive: true });
  let err = "";
  const code = await run(["export", "github-actions", "2", "--max-concurrent", "2"], {
    cwd: join(seed, "app"),
    env: {},
    isTTY: false,
    out: () => undefined,
    err: (s) => (err += s),
    now: () => new Date(),
    helper: ["node", BUNDLE],
    readStdin: async () => "",
  });
  expect([code, err]).toEqual([0, ""]);
  workflow = readWorkflow(readFileSync(join(seed, ".github/workflows/gsd-phase-02-core-features.yml"), "utf8")) as typeof workflow;
  git(seed, "add", "-A");
  git(seed, "commit", "-q", "-m", "seed");
  git(seed, "push", "-q", seedOrigin, "HEAD:refs/heads/phase");
});
afterAll(() => removeTree(template));

beforeEach(() => {
  // The tests push to their origin, so each gets a fresh copy; the seed itself never changes.
  tmp = makeTree({});
  origin = join(tmp, "origin.git");
  cpSync(join(template, "origin.git"), origin, { recursive: true });
});
afterEach(() => removeTree(tmp));

interface Job {
  dir: string;
  env: NodeJS.ProcessEnv;
  outputs(): Record<string, string>;
}

/** A fresh checkout of the phase branch with the environment the workflow gives `jobId`. */
function job(jobId: string, extra: Record<string, string> = {}): Job {
  const dir = join(tmp, `job${++jobCount}`);
  git(tmp, "clone", "-q", "-b", "phase", origin, dir);
  const temp = join(tmp, `temp${jobCount}`);
  mkdirSync(temp);
  const outputFile = join(temp, "output");
  writeFileSync(outputFile, "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: tmp,
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: join(temp, "summary.md"),
    RUNNER_TEMP: temp,
    GITHUB_RUN_ID: "77",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_REF_TYPE: "branch",
    GSD_PUSH_ATTEMPTS: "6",
    GSD_ASYNC_NO_CODE_CACHE: "1",
    ...workflow.env,
    GSD_PHASE_BRANCH: "phase",
    ...(workflow.jobs[jobId]?.env ?? {}),
    ...extra,
  };
  return {
    dir,
    env,
    outputs: () =>
      Object.fromEntries(
        readFileSync(outputFile, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      ),
  };
}

async function step(j: Job, name: string, env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  try {
    const r = await execFileP("bash", [".github/gsd-async/plan-job.sh", name], { cwd: j.dir, env: { ...j.env, ...env } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** What the agent would do: change a file, write the summary, commit both. */
function agent(j: Job, file: string, content: string): void {
  const app = join(j.dir, "app");
  mkdirSync(join(app, "src"), { recursive: true });
  writeFileSync(join(app, file), content);
  writeFileSync(join(app, j.env.GSD_SUMMARY_FILE as string), `---\nduration: 3min\n---\n# done\n`);
  git(app, "add", "--", file, j.env.GSD_SUMMARY_FILE as string);
  git(app, "commit", "-q", "-m", `plan ${j.env.GSD_PLAN_ID}`);
}

function phaseBranch(): {
  history: { entries: { plan: string; status: string; error: string | null; transitions: { to: string }[] }[] };
  has(path: string): boolean;
} {
  const check = join(tmp, `check${++jobCount}`);
  git(tmp, "clone", "-q", "-b", "phase", origin, check);
  return {
    history: JSON.parse(readFileSync(join(check, "app/.planning/agent-history.json"), "utf8")),
    has: (p) => existsSync(join(check, "app", p)),
  };
}

const latest = (h: ReturnType<typeof phaseBranch>["history"], plan: string) => h.entries.filter((e) => e.plan === plan).pop();

describe("plan-job.sh", () => {
  it("begin, agent, finish: the plan is merged into the phase branch and recorded queued -> dispatched -> spawned -> completed", async () => {
    const j = job("plan-02-01");
    const begun = await step(j, "begin");
    expect(begun.code).toBe(0);
    expect(j.outputs().outcome).toBe("started");
    expect(j.outputs()["run-id"]).toMatch(/^r\d{8}T\d{6}-[0-9a-f]{4}$/);
    expect(latest(phaseBranch().history, "02-01")?.status).toBe("spawned");
    agent(j, "src/tags.ts", "export const tags = 1;\n");
    const finished = await step(j, "finish", { GSD_AGENT_OUTCOME: "success" });
    expect([finished.code, j.outputs().outcome]).toEqual([0, "completed"]);
    const after = phaseBranch();
    expect(after.has(".planning/phases/02-core-features/02-01-SUMMARY.md")).toBe(true);
    expect(after.has("src/tags.ts")).toBe(true);
    // As locally: `start` queues the phase and hands out the first batch, the job claims its plan, the merge completes it.
    expect(latest(after.history, "02-01")?.transitions.map((t) => t.to)).toEqual(["queued", "dispatched", "spawned", "completed"]);
    expect(git(origin, "branch", "--list", "gsd/77/plan-02-01").trim()).toBe("gsd/77/plan-02-01");
    // A job for the same plan later (a re-run) sees it complete on the branch and does nothing.
    const again = job("plan-02-01");
    expect((await step(again, "begin")).code).toBe(0);
    expect(again.outputs().outcome).toBe("already-complete");
  });

  it("two jobs finishing at once both merge: the later push is retried on the new tip; uncommitted leftovers are dropped", async () => {
    const a = job("plan-02-01");
    const b = job("plan-02-03");
    expect((await step(a, "begin")).code).toBe(0);
    expect((await step(b, "begin")).code).toBe(0);
    agent(a, "src/a.ts", "a\n");
    agent(b, "src/b.ts", "b\n");
    // b's agent also left a file it never committed, at a path a's commits add.
    writeFileSync(join(b.dir, "app/src/a.ts"), "left behind\n");
    const [ra, rb] = await Promise.all([step(a, "finish", { GSD_AGENT_OUTCOME: "success" }), step(b, "finish", { GSD_AGENT_OUTCOME: "success" })]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const after = phaseBranch();
    expect(after.has("src/a.ts") && after.has("src/b.ts")).toBe(true);
    expect([latest(after.history, "02-01")?.status, latest(after.history, "02-03")?.status]).toEqual(["completed", "completed"]);
    expect(readFileSync(join(tmp, `check${jobCount}`, "app/src/a.ts"), "utf8")).toBe("a\n");
  });

  it("a merge conflict fails only that plan, with the reason recorded", async () => {
    const a = job("plan-02-01");
    const b = job("plan-02-03");
    await step(a, "begin");
    await step(b, "begin");
    agent(a, "src/shared.ts", "from a\n");
    agent(b, "src/shared.ts", "from b\n");
    expect((await step(a, "finish", { GSD_AGENT_OUTCOME: "success" })).code).toBe(0);
    const rb = await step(b, "finish", { GSD_AGENT_OUTCOME: "success" });
    expect(rb.code).toBe(1);
    expect(b.outputs().outcome).toBe("failed");
    const after = phaseBranch();
    expect(latest(after.history, "02-01")?.status).toBe("completed");
    const failed = latest(after.history, "02-03");
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toContain("merge conflict with phase in app/src/shared.ts");
  });

  it("an agent step that failed, or a summary never committed, is recorded as failed", async () => {
    const a = job("plan-02-01");
    await step(a, "begin");
    expect((await step(a, "finish", { GSD_AGENT_OUTCOME: "failure" })).code).toBe(1);
    const b = job("plan-02-02");
    await step(b, "begin");
    expect((await step(b, "finish", { GSD_AGENT_OUTCOME: "success" })).code).toBe(1);
    const h = phaseBranch().history;
    expect(latest(h, "02-01")?.error).toContain("the agent step ended as failure");
    expect(latest(h, "02-02")?.error).toContain("did not commit .planning/phases/02-core-features/02-02-SUMMARY.md");
    // Re-running the failed plan's job retries it as the next attempt and completes it.
    const again = job("plan-02-01");
    expect((await step(again, "begin")).code).toBe(0);
    expect(again.outputs().attempt).toBe("2");
    agent(again, "src/tags.ts", "ok\n");
    expect((await step(again, "finish", { GSD_AGENT_OUTCOME: "success" })).code).toBe(0);
    expect(latest(phaseBranch().history, "02-01")?.status).toBe("completed");
  });

  it("prepare: selected plans not complete, and a clear error for a plan that is not in the workflow", async () => {
    const p = job("prepare", workflow.jobs.prepare?.steps?.find((s) => s.id === "prepare")?.env as Record<string, string>);
    expect((await step(p, "prepare", { GSD_SELECT: "02-02, 02-04" })).code).toBe(0);
    expect(p.outputs()).toEqual({ run: ",plan-02-02,plan-02-04,", done: "," });
    const bad = await step(p, "prepare", { GSD_SELECT: "02-02 02-99" });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("not a plan of this workflow: 02-99");
  });

  it("summary: Markdown with the graph coloured by each job's outcome", async () => {
    const s = job("summary", workflow.jobs.summary?.steps?.find((x) => x.id === "summary")?.env as Record<string, string>);
    const needs = {
      prepare: { result: "success", outputs: {} },
      "plan-02-01": { result: "failure", outputs: { outcome: "failed" } },
      "plan-02-02": { result: "success", outputs: { outcome: "completed" } },
    };
    const r = await step(s, "summary", { GSD_NEEDS: JSON.stringify(needs) });
    expect(r.code).toBe(0);
    const md = readFileSync(s.env.GITHUB_STEP_SUMMARY as string, "utf8");
    expect(md).toContain("```mermaid");
    expect(md).toMatch(/02-01 ✗"\]:::ci-failed/);
    expect(md).toMatch(/02-02 ✓"\]:::ci-completed/);
    expect(md).toMatch(/02-04 \(skipped\)"\]:::ci-skipped/);
    expect(md).toContain("| 02-06 | needs a person (no job) |");
  });
});

describe("plan-job.sh wait (a smaller cap chosen at dispatch)", () => {
  /** A `curl` on PATH that answers the jobs API from `answers`, one per call (the last repeats). */
  function fakeApi(answers: object[]): { path: string; calls: () => number } {
    const bin = join(tmp, "bin");
    mkdirSync(bin, { recursive: true });
    const count = join(bin, "count");
    writeFileSync(count, "0");
    answers.forEach((a, i) => writeFileSync(join(bin, `answer${i}`), JSON.stringify(a)));
    const last = answers.length - 1;
    writeFileSync(
      join(bin, "curl"),
      `#!/usr/bin/env bash\nn=$(cat "${count}"); echo $((n + 1)) > "${count}"\n[ "$n" -gt ${last} ] && n=${last}\ncat "${bin}/answer$n"\n`,
      { mode: 0o755 },
    );
    return { path: `${bin}:${process.env.PATH}`, calls: () => Number(readFileSync(count, "utf8")) };
  }
  const waitEnv = (jobId: string) => workflow.jobs[jobId]?.steps?.find((s) => s.id === "wait")?.env as Record<string, string>;
  it("polls this run's jobs until the job it waits for has completed", async () => {
    const id = Object.keys(workflow.jobs).find((k) => waitEnv(k) !== undefined) as string;
    const target = (JSON.parse(waitEnv(id).GSD_WAIT_FOR as string) as Record<string, string>)["1"] as string;
    const api = fakeApi([
      { jobs: [{ name: target, status: "queued" }] },
      { jobs: [{ name: target, status: "in_progress" }] },
      { jobs: [{ name: target, status: "completed" }] },
    ]);
    const j = job(id, { ...waitEnv(id), GSD_CAP: "1", GSD_POLL_SECONDS: "0", GITHUB_REPOSITORY: "o/r", PATH: api.path });
    const r = await step(j, "wait");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`waiting for ${target} to finish`);
    expect(api.calls()).toBe(3);
  });

  it("does not wait for a job that is not in the run, nor at a cap with nothing to wait for", async () => {
    const id = Object.keys(workflow.jobs).find((k) => waitEnv(k) !== undefined) as string;
    const api = fakeApi([{ jobs: [] }]);
    const j = job(id, { ...waitEnv(id), GSD_CAP: "1", GSD_POLL_SECONDS: "0", GITHUB_REPOSITORY: "o/r", PATH: api.path });
    const r = await step(j, "wait");
    expect([r.code, api.calls()]).toEqual([0, 1]);
    expect(r.out).toContain("is not in this run; not waiting");
    const none = await step(j, "wait", { GSD_CAP: "7" });
    expect([none.code, api.calls()]).toEqual([0, 1]);
  });
});
