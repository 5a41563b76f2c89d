import { existsSync, realpathSync, rmSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { checkCommitPaths, refusalText, unchangedPaths } from "../../core/repo/commit-paths";
import type { CommitOutcome } from "../../core/repo/commit-outcome";
import { lockFileName } from "../../core/repo/lock-name";
import { parsePorcelainZ } from "../../core/repo/git-status";
import { nodeCrypto } from "../lazy-deps";
import { EMPTY_TREE, git, gitOk, repoDirs } from "./git";
import { locksDir, withNamedLock } from "./named-lock";

export interface CommitRequest {
  /** Where relative paths start (the agent's working directory). */
  cwd: string;
  /** The project (the directory holding .planning/); no path may leave it. */
  projectRoot: string;
  message: string;
  paths: readonly string[];
  /** Who commits, for the waiting message of others. */
  what: string;
  onWait?: (text: string) => void;
}

const toPosix = (p: string) => (sep === "/" ? p : p.split(sep).join("/"));
const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/**
 * Commits exactly the named paths and nothing else. Under the repository lock: a private index
 * is seeded from HEAD, only the named paths are added to it, and `git commit` runs with that
 * index, so the repository's hooks (pre-commit, commit-msg, ...) run as usual but see only this
 * commit's files as staged. Other agents' staged and unstaged work is never in the commit and
 * never touched. Afterwards the real index entries of the committed paths (only those) are set
 * to the new HEAD, so `git status` stays truthful for everyone.
 */
export async function commitPaths(req: CommitRequest): Promise<CommitOutcome> {
  const dirs = await repoDirs(req.cwd);
  if (!dirs) return { kind: "not-a-repo", message: `${req.cwd} is not inside a git repository` };
  const top = toPosix(real(dirs.top));
  const cwd = real(req.cwd);
  const check = checkCommitPaths(
    toPosix(real(req.projectRoot)),
    top,
    req.paths.map((arg) => ({ arg, abs: toPosix(resolve(cwd, arg)) })),
  );
  if (!check.ok) return { kind: "refused", problems: check.refused.map(refusalText) };
  const paths = check.paths;
  const lock = join(locksDir(dirs.commonDir), lockFileName("repository"));
  return withNamedLock(lock, { what: req.what, ...(req.onWait ? { onWait: req.onWait } : {}) }, async (held) => {
    const index = join(dirs.gitDir, `gsd-async-index-${nodeCrypto().randomBytes(6).toString("hex")}`);
    const env = { GIT_INDEX_FILE: index };
    const at = { cwd: top, env };
    try {
      const head = (await git(["rev-parse", "--verify", "-q", "HEAD"], { cwd: top })).stdout.trim() || undefined;
      await gitOk(head ? ["read-tree", head] : ["read-tree", "--empty"], at);
      const added = await git(["add", "--", ...paths], at);
      if (added.code !== 0) return { kind: "refused", problems: addProblems(added.stderr) };
      const changed = (await gitOk(["diff", "--cached", "--name-only", "-z", "--no-renames", head ?? EMPTY_TREE], at)).split("\0").filter(Boolean);
      const unchanged = unchangedPaths(paths, changed);
      if (unchanged.length > 0) return { kind: "refused", problems: unchanged.map((p) => `${p}: no change to commit`) };
      const before = await snapshotOthers(top, changed);
      const committed = await git(["commit", "-q", "-m", req.message], {
        ...at,
        detached: process.platform !== "win32",
        onSpawn: (pid) => held.setGroup(pid),
      });
      const output = (committed.stdout + committed.stderr).trim();
      const sha = (await git(["rev-parse", "--verify", "-q", "HEAD"], { cwd: top })).stdout.trim();
      if (committed.code !== 0 || sha === (head ?? "")) return { kind: "hook-failed", output };
      const files = (await gitOk(["diff-tree", "--no-commit-id", "--name-only", "-r", "-z", "--root", sha], { cwd: top })).split("\0").filter(Boolean);
      await refreshRealIndex(top, sha, files);
      const branch = (await git(["symbolic-ref", "-q", "--short", "HEAD"], { cwd: top })).stdout.trim() || null;
      return { kind: "committed", sha, branch, paths: files, changedMeanwhile: await changedSince(top, sha, before), output };
    } finally {
      rmSync(index, { force: true });
      rmSync(`${index}.lock`, { force: true });
    }
  });
}

function addProblems(stderr: string): string[] {
  const lines = stderr
    .split("\n")
    .map((l) => l.replace(/^fatal: /, "").trim())
    .filter((l) => l && !l.startsWith("hint:") && !/^Use -f if you really want/.test(l));
  return lines.length > 0 ? lines : ["git add refused the paths"];
}

/** The real index, for the committed paths only: retried while a plain git command of someone else holds index.lock. */
async function refreshRealIndex(top: string, sha: string, files: readonly string[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const r = await git(["reset", "-q", sha, "--", ...files], { cwd: top });
    if (r.code === 0) return;
    if (!/index\.lock/.test(r.stderr) || attempt >= 100) throw new Error(`git reset of the committed paths failed: ${r.stderr.trim()}`);
    await new Promise((res) => setTimeout(res, 20 + attempt * 5));
  }
}

/** Blobs of the other dirty files, written to the object store, so a hook that rewrites them cannot lose them. */
async function snapshotOthers(top: string, ours: readonly string[]): Promise<Map<string, string>> {
  const status = await git(["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all"], { cwd: top });
  const mine = new Set(ours);
  const others = parsePorcelainZ(status.stdout)
    .filter((e) => !mine.has(e.path) && e.worktree !== "D" && existsSync(join(top, e.path)))
    .map((e) => e.path)
    .slice(0, 2000);
  const out = new Map<string, string>();
  if (others.length === 0) return out;
  const hashes = (await git(["hash-object", "-w", "--no-filters", "--", ...others], { cwd: top })).stdout.split("\n");
  others.forEach((p, i) => {
    const h = hashes[i];
    if (h) out.set(p, h);
  });
  return out;
}

/**
 * Other agents' files that a hook put back to HEAD's version (or deleted) while it ran: the
 * signature of a hook's `git reset --hard` or `git checkout`. Their content from before the
 * hooks is in the object store under `savedBlob`; nothing is restored automatically, because an
 * agent may have changed the file itself meanwhile.
 */
async function changedSince(top: string, sha: string, before: Map<string, string>): Promise<{ path: string; savedBlob: string }[]> {
  if (before.size === 0) return [];
  const paths = [...before.keys()];
  const present = paths.filter((p) => existsSync(join(top, p)));
  const now = new Map<string, string>();
  if (present.length > 0) {
    const hashes = (await git(["hash-object", "--no-filters", "--", ...present], { cwd: top })).stdout.split("\n");
    present.forEach((p, i) => now.set(p, hashes[i] ?? ""));
  }
  const inHead = new Map<string, string>();
  const tree = (await git(["ls-tree", "-z", "--full-tree", sha, "--", ...paths], { cwd: top })).stdout;
  for (const line of tree.split("\0").filter(Boolean)) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (m) inHead.set(m[2] as string, m[1] as string);
  }
  return paths
    .filter((p) => now.get(p) !== before.get(p) && (!now.has(p) || now.get(p) === inHead.get(p)))
    .map((p) => ({ path: p, savedBlob: before.get(p) as string }));
}
