import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { commitFiles, git, hook, makeRepo, writeFile } from "../helpers/git-repo";
import { cli, plan, removeTree } from "../helpers/tree";

/**
 * The queue in worktree mode, in real git: `start` and `status` make each handed-out plan's
 * worktree, `complete` merges it, and a finished run lands on the user's branch. The "agents"
 * here do what their prompt says: work in the `Project:` directory, commit there, run `done`.
 */
jest.setTimeout(120_000);

const P = ".planning/phases/01-core";
let root = "";
afterEach(() => removeTree(root));

function repo(plans: Record<string, string>, cap = 4, exclusive?: Record<string, string>): string {
  const files: Record<string, string> = {
    ".planning/STATE.md": "# State\n\n## Current Position\n\nPhase: 1 of 1 (Core)\n",
    ".planning/config.json": JSON.stringify({
      mode: "yolo",
      parallelization: { max_concurrent_agents: cap, isolation: "worktree", ...(exclusive ? { exclusive } : {}) },
    }),
    "shared.txt": "line 1\nline 2\nline 3\n",
    ".gitignore": ".planning/agent-history.json\n",
  };
  for (const [id, deps] of Object.entries(plans))
    files[`${P}/${id}-PLAN.md`] = plan(`phase: 01-core\nplan: ${id.slice(3)}\ndepends_on: [${deps}]\nfiles_modified:\n  - src/${id}.txt`);
  return makeRepo(files);
}

async function json(argv: string[], cwd = root) {
  const r = await cli([...argv, "--json"], { cwd });
  try {
    return { ...r, body: JSON.parse(r.out) };
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.out}\n${r.err}`);
  }
}

interface Spawned {
  plan: string;
  runId: string;
  prompt: string;
  project: string;
}

const spawned = (body: any): Spawned[] =>
  (body.spawn as any[]).map((s) => ({
    plan: s.plan,
    runId: s.runId,
    prompt: s.agentInput.prompt,
    project: /^Project: (.+)$/m.exec(s.agentInput.prompt)![1]!,
  }));

/** Runs a line of the prompt (`done:`, `commit:`) as the agent would, from its worktree; `fill` replaces the placeholders. */
async function promptLine(s: Spawned, name: string, fill: (line: string) => string = (l) => l) {
  const line = fill(new RegExp(`^ {2}${name}: +(.+)$`, "m").exec(s.prompt)![1]!);
  const argv = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  // argv[0..1] is the test helper ("node /opt/..."); the rest are the subcommand's arguments.
  const at = argv.indexOf("--");
  const args = at < 0 ? [...argv.slice(2), "--json"] : [...argv.slice(2, at), "--json", ...argv.slice(at)];
  const r = await cli(args, { cwd: s.project });
  return { ...r, body: JSON.parse(r.out) };
}

/** An agent that commits with its prompt's `commit:` line (through the helper, hooks included). */
async function workByLine(s: Spawned): Promise<void> {
  const own = `src/${s.plan}.txt`;
  const summary = `${P}/${s.plan}-SUMMARY.md`;
  writeFile(s.project, own, `made by ${s.plan}\n`);
  writeFile(s.project, summary, `---\nduration: 1min\n---\n# ${s.plan} done\n`);
  const c = await promptLine(s, "commit", (l) => l.replace(/'<one line[^']*'/, `'${s.plan}: its work'`).replace(/<each file[^>]*>/, `'${own}' '${summary}'`));
  expect(c.body).toMatchObject({ outcome: "committed", recorded: true, branch: `gsd/01-core/${s.plan}`, problems: [] });
}

/** What an agent does: its own file (and any extra edit), its summary, one commit in its worktree with plain git. */
function work(s: Spawned, edit?: { file: string; content: string }): void {
  const own = `src/${s.plan}.txt`;
  writeFile(s.project, own, `made by ${s.plan}\n`);
  const summary = `${P}/${s.plan}-SUMMARY.md`;
  writeFile(s.project, summary, `---\nduration: 1min\n---\n# ${s.plan} done\n`);
  const paths = [own, summary];
  if (edit) {
    writeFile(s.project, edit.file, edit.content);
    paths.push(edit.file);
  }
  git(s.project, "add", "--", ...paths);
  git(s.project, "commit", "-q", "-m", `${s.plan}: its work`);
}

/** The `done` line of the prompt, run as the agent would (from its worktree). */
const done = (s: Spawned) => promptLine(s, "done");

const worktrees = () =>
  git(root, "worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice(9));

describe("the queue in a git repository", () => {
  it("gives a dependent its prerequisite's committed work, merges every plan, and lands on the user's branch with nothing left behind (slow pre-commit hook)", async () => {
    root = repo({ "01-01": "", "01-02": '"01-01"', "01-03": "" });
    hook(root, "pre-commit", "#!/bin/sh\nsleep 1\n");
    const startHead = git(root, "rev-parse", "HEAD").trim();

    const first = await json(["start", P]);
    expect(first.code).toBe(0);
    expect(first.body.run.isolation).toBe("worktree");
    const wave1 = spawned(first.body);
    // Longest critical path first: 01-01 has a dependent.
    expect(wave1.map((s) => s.plan)).toEqual(["01-01", "01-03"]);
    for (const s of wave1) {
      expect(s.project).toBe(join(root, ".gsd-worktrees", "01-core", s.plan));
      // The worktree exists before the agent starts, on the plan's branch, at the run's start commit.
      expect(git(s.project, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe(`gsd/01-core/${s.plan}`);
      expect(git(s.project, "rev-parse", "HEAD").trim()).toBe(startHead);
      expect(s.prompt).toContain(`--cwd ${root}`);
      await workByLine(s);
    }
    // Its done line names the project; run without it from the worktree, complete finds the project's queue all the same.
    const c1 = await promptLine(wave1[0]!, "done", (l) => {
      expect(l).toMatch(/ --cwd '?\/\S+$/);
      return l.replace(/ --cwd \S+$/, "");
    });
    expect(c1.code).toBe(0);
    expect(c1.body.entry.status).toBe("completed");
    expect(c1.body.entry.merge.branch).toBe(`gsd/01-core/${wave1[0]!.plan}`);
    expect(existsSync(wave1[0]!.project)).toBe(false);

    const next = await json(["status", P]);
    const wave2 = spawned(next.body);
    expect(wave2.map((s) => s.plan)).toEqual(["01-02"]);
    // The dependent's worktree holds its prerequisite's committed file.
    expect(readFileSync(join(wave2[0]!.project, "src/01-01.txt"), "utf8")).toBe("made by 01-01\n");
    for (const s of wave2) await workByLine(s);
    for (const s of [...wave1.slice(1), ...wave2]) expect((await done(s)).body.entry.status).toBe("completed");
    const rest = spawned((await json(["status", P])).body);
    for (const s of rest) {
      expect(readFileSync(join(s.project, "src/01-01.txt"), "utf8")).toBe("made by 01-01\n");
      await workByLine(s);
      expect((await done(s)).body.entry.status).toBe("completed");
    }
    const final = await json(["status", P]);
    expect(final.body.outcome).toBe("done");

    expect(worktrees()).toEqual([root]);
    expect(existsSync(join(root, ".gsd-worktrees")) ? readdirSync(join(root, ".gsd-worktrees")) : []).toEqual([]);
    expect(git(root, "branch", "--list", "--format=%(refname:short)", "gsd/*").trim()).toBe("");
    expect(git(root, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("main");
    const log = git(root, "log", "--format=%s", "main");
    for (const id of ["01-01", "01-02", "01-03"]) {
      expect(log).toContain(`${id}: its work`);
      expect(readFileSync(join(root, `src/${id}.txt`), "utf8")).toBe(`made by ${id}\n`);
      expect(existsSync(join(root, P, `${id}-SUMMARY.md`))).toBe(true);
    }
    // Each plan's commit holds only its own files.
    for (const line of git(root, "log", "--format=%H %s", "--no-merges", `${startHead}..main`).trim().split("\n")) {
      const [sha, id] = line.split(" ");
      expect(commitFiles(root, sha!)).toEqual([`${P}/${id!.replace(":", "")}-SUMMARY.md`, `src/${id!.replace(":", "")}.txt`].sort());
    }
    expect(git(root, "status", "--porcelain")).toBe("");
    git(root, "fsck", "--strict", "--no-progress");
  });

  it("a merge conflict fails only that plan and blocks its dependents; an independent plan completes and lands; the conflicted worktree is kept and shown", async () => {
    root = repo({ "01-01": "", "01-02": "", "01-03": '"01-02"', "01-04": "" });
    const start = await json(["start", P]);
    const wave = spawned(start.body);
    expect(wave.map((s) => s.plan).sort()).toEqual(["01-01", "01-02", "01-04"]);
    const by = (id: string) => wave.find((s) => s.plan === id)!;
    work(by("01-01"), { file: "shared.txt", content: "line 1\nline 2 by 01-01\nline 3\n" });
    work(by("01-02"), { file: "shared.txt", content: "line 1\nline 2 by 01-02\nline 3\n" });
    work(by("01-04"));
    expect((await done(by("01-01"))).body.entry.status).toBe("completed");
    const conflicted = await done(by("01-02"));
    expect(conflicted.body.entry.status).toBe("failed");
    // The done line asked for a completion it could not have: it says so in its exit code.
    expect(conflicted.code).toBe(1);
    expect(conflicted.body.entry.error).toMatch(/^merge-conflict: shared\.txt/);
    expect(conflicted.body.entry.merge_conflict).toEqual({
      files: ["shared.txt"],
      branch: "gsd/01-core/01-02",
      worktree: ".gsd-worktrees/01-core/01-02",
    });
    expect((await done(by("01-04"))).body.entry.status).toBe("completed");

    const after = await json(["status", P]);
    expect(after.body.outcome).toBe("stopped");
    expect(after.body.spawn).toEqual([]);
    const state = (id: string) => (after.body.plans as any[]).find((p) => p.id === id);
    expect(state("01-03")).toMatchObject({ state: "blocked", blockedBy: ["01-02"] });
    expect(state("01-02")).toMatchObject({ state: "failed", worktree: by("01-02").project });
    expect(state("01-04").state).toBe("completed");
    const text = await cli(["status", P], { cwd: root });
    expect(text.out).toContain("isolation: worktree");
    expect(text.out).toContain(`worktree kept: ${by("01-02").project}`);

    // The run landed what merged; the conflicted plan's branch and worktree are kept for a person.
    expect(readFileSync(join(root, "shared.txt"), "utf8")).toBe("line 1\nline 2 by 01-01\nline 3\n");
    expect(readFileSync(join(root, "src/01-04.txt"), "utf8")).toBe("made by 01-04\n");
    expect(existsSync(join(root, "src/01-02.txt"))).toBe(false);
    expect(worktrees()).toEqual([root, by("01-02").project]);
    expect(git(root, "branch", "--list", "--format=%(refname:short)", "gsd/*").trim()).toBe("gsd/01-core/01-02");
    expect(git(by("01-02").project, "status", "--porcelain")).toBe("");
    git(root, "fsck", "--strict", "--no-progress");

    // Recovery as the README says: merge into the plan's worktree, resolve, commit, complete again.
    const wt = by("01-02").project;
    const merge = (() => {
      try {
        return git(wt, "merge", "-q", "main");
      } catch {
        return "conflict";
      }
    })();
    expect(merge).toBe("conflict");
    writeFile(wt, "shared.txt", "line 1\nline 2 by 01-01 and 01-02\nline 3\n");
    git(wt, "add", "--", "shared.txt");
    git(wt, "commit", "-q", "--no-edit");
    expect((await done(by("01-02"))).body.entry.status).toBe("completed");
    const resumed = spawned((await json(["status", P])).body);
    expect(resumed.map((s) => s.plan)).toEqual(["01-03"]);
    expect(readFileSync(join(resumed[0]!.project, "src/01-02.txt"), "utf8")).toBe("made by 01-02\n");
    work(resumed[0]!);
    expect((await done(resumed[0]!)).body.entry.status).toBe("completed");
    expect((await json(["status", P])).body.outcome).toBe("done");
    expect(readFileSync(join(root, "shared.txt"), "utf8")).toBe("line 1\nline 2 by 01-01 and 01-02\nline 3\n");
    expect(worktrees()).toEqual([root]);
    git(root, "fsck", "--strict", "--no-progress");
  });

  it("does not start on a working tree with uncommitted changes, and names them", async () => {
    root = repo({ "01-01": "" });
    writeFile(root, "shared.txt", "half-done edit\n");
    writeFile(root, "notes.txt", "new file\n");
    const r = await json(["start", P]);
    expect(r.code).not.toBe(0);
    expect(r.body.refused).toBe(true);
    expect(r.body.reasons[0]).toMatch(/2 uncommitted changes \((notes\.txt, shared\.txt|shared\.txt, notes\.txt)\)/);
    expect(existsSync(join(root, ".planning/agent-history.json"))).toBe(false);
    expect(worktrees()).toEqual([root]);
    expect(readFileSync(join(root, "shared.txt"), "utf8")).toBe("half-done edit\n");
  });

  it("does not start when a plan file is not committed (here: ignored), since its worktree would not have it", async () => {
    root = repo({ "01-01": "" });
    writeFile(root, `${P}/01-02-PLAN.md`, plan("phase: 01-core\nplan: 02\ndepends_on: []"));
    writeFile(root, ".git/info/exclude", `${P}/01-02-PLAN.md\n`);
    const r = await json(["start", P]);
    expect(r.body.refused).toBe(true);
    expect(r.body.reasons[0]).toContain(`1 plan file(s) are not committed (${P}/01-02-PLAN.md)`);
    expect(worktrees()).toEqual([root]);
  });

  it("a shared-mode run in a git repository gives each agent a commit line, which commits exactly the paths filled in", async () => {
    root = repo({ "01-01": "", "01-02": "" });
    const r = await json(["start", P, "--isolation", "shared"]);
    expect(r.body.run.isolation).toBeUndefined();
    expect(r.body.run.repo_top).toBe(root);
    const [a, b] = spawned(r.body);
    expect(a!.project).toBe(root);
    const line = /^ {2}commit: (.+)$/m.exec(a!.prompt)![1]!;
    expect(line).toContain(`commit ${a!.plan} --run ${a!.runId} -m '<one line: what this commit does>' -- <each file you changed, and the summary>`);
    writeFile(root, `src/${a!.plan}.txt`, "a\n");
    writeFile(root, `src/${b!.plan}.txt`, "b, not committed by a\n");
    const argv = [
      ...line
        .replace(/'<one line[^']*'/, "'add a'")
        .replace(/ -- .*$/, "")
        .matchAll(/'([^']*)'|(\S+)/g),
    ].map((m) => m[1] ?? m[2]!);
    const c = await cli([...argv.slice(2), "--json", "--", `src/${a!.plan}.txt`], { cwd: root });
    expect(JSON.parse(c.out)).toMatchObject({ outcome: "committed", paths: [`src/${a!.plan}.txt`], recorded: true });
    expect(commitFiles(root, "HEAD")).toEqual([`src/${a!.plan}.txt`]);
    expect(worktrees()).toEqual([root]);
  });

  it("a plan whose worktree cannot be made fails with git's reason and is not handed out; the others are", async () => {
    root = repo({ "01-01": "", "01-02": "" });
    // A leftover directory where 01-01's worktree goes, which is no worktree.
    writeFile(root, ".gsd-worktrees/01-core/01-01/stray.txt", "left by hand\n");
    const r = await json(["start", P]);
    expect(r.code).toBe(0);
    expect(spawned(r.body).map((s) => s.plan)).toEqual(["01-02"]);
    expect(r.err).toContain("gsd-async: 01-01: worktree: could not make the plan's worktree: ");
    const after = await json(["status", P, "--peek"]);
    const p1 = (after.body.plans as any[]).find((p) => p.id === "01-01");
    expect(p1.state).toBe("failed");
    expect(p1.error).toMatch(/^worktree: could not make the plan's worktree: git /);
    expect(readFileSync(join(root, ".gsd-worktrees/01-core/01-01/stray.txt"), "utf8")).toBe("left by hand\n");
  });

  it("a shared command of config.json is listed in the prompt and runs in the agent's worktree", async () => {
    root = repo({ "01-01": "" }, 4, { where: "pwd > where.txt" });
    const [s] = spawned((await json(["start", P])).body);
    const line = /^ {2}where: (.+)$/m.exec(s!.prompt)![1]!;
    const argv = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    const r = await cli(argv.slice(2), { cwd: s!.project });
    expect(r.code).toBe(0);
    expect(readFileSync(join(s!.project, "where.txt"), "utf8").trim()).toBe(s!.project);
  });

  it("with the workflow engine each agent makes its worktree with its prompt's worktree line, not before its prerequisites completed", async () => {
    root = repo({ "01-01": "", "01-02": '"01-01"' });
    const startHead = git(root, "rev-parse", "HEAD").trim();
    const first = await json(["start", P, "--engine", "workflow"]);
    expect(first.code).toBe(0);
    expect(first.body.spawn).toEqual([]);
    const wf = (first.body.workflow.input.args.plans as Array<{ id: string; prompt: string }>).map((p) => ({
      plan: p.id,
      runId: first.body.run.runId as string,
      prompt: p.prompt,
      project: /^Project: (.+)$/m.exec(p.prompt)![1]!,
    }));
    const [a, b] = wf as [Spawned, Spawned];
    // Nothing is made before an agent asks; the line runs from anywhere, even before the worktree exists.
    expect(worktrees()).toEqual([root]);
    const askA = (s: Spawned) => {
      const line = /^ {2}worktree: (.+)$/m.exec(s.prompt)![1]!;
      const argv = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
      return cli([...argv.slice(2), "--json"], { cwd: root });
    };
    // The workflow claimed both; 01-02's prerequisite has not completed: refused, nothing made.
    const early = await askA(b);
    expect(early.code).toBe(1);
    expect(early.err).toContain("01-01 (dispatched) must complete first: no worktree was made");
    expect(existsSync(b.project)).toBe(false);
    const made = await askA(a);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({ command: "worktree", plan: "01-01", project: a.project, branch: "gsd/01-core/01-01", base: startHead });
    expect(git(a.project, "rev-parse", "HEAD").trim()).toBe(startHead);
    // Asked again (a retried line), it finds the same worktree.
    expect((await askA(a)).code).toBe(0);
    await workByLine(a);
    expect((await done(a)).body.entry.status).toBe("completed");
    // Now 01-02's worktree holds 01-01's merged work.
    expect((await askA(b)).code).toBe(0);
    expect(readFileSync(join(b.project, "src/01-01.txt"), "utf8")).toBe("made by 01-01\n");
    await workByLine(b);
    expect((await done(b)).body.entry.status).toBe("completed");
    // The last completion landed the run on the user's branch; nothing is left.
    expect(git(root, "show", "HEAD:src/01-02.txt")).toBe("made by 01-02\n");
    expect(worktrees()).toEqual([root]);
  });

  it("the dry run shows the mode and makes no worktree", async () => {
    root = repo({ "01-01": "" });
    const r = await cli(["start", P, "--dry-run"], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.out).toContain("isolation: worktree");
    expect(worktrees()).toEqual([root]);
    const shared = await cli(["start", P, "--dry-run", "--isolation", "shared"], { cwd: root });
    expect(shared.out).toContain("isolation: shared");
  });
});
