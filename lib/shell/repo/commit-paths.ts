import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { checkCommitPaths, refusalText, unchangedPaths } from "../../core/repo/commit-paths";
import type { CommitOutcome, Restored } from "../../core/repo/commit-outcome";
import { lockFileName } from "../../core/repo/lock-name";
import { isQueueOwnFile, parsePorcelainZ } from "../../core/repo/git-status";
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
      const format = dirs.objectFormat;
      // Only a hook can touch other files during a commit; without hooks there is nothing to guard.
      const hooks = commitHooks(dirs.hooksDir);
      const before: Snapshot = hooks ? await snapshotOthers(top, changed, format) : new Map();
      const committed = await git(["commit", "-q", "-m", req.message], {
        ...at,
        detached: process.platform !== "win32",
        onSpawn: (pid) => held.setGroup(pid),
      });
      const output = (committed.stdout + committed.stderr).trim();
      const sha = (await git(["rev-parse", "--verify", "-q", "HEAD"], { cwd: top })).stdout.trim();
      const restored = await restoreReverted(top, sha || EMPTY_TREE, before, format);
      if (committed.code !== 0 || sha === (head ?? "")) return { kind: "hook-failed", output, restored };
      // A hook may have staged more (a formatter's `git add`): then the commit itself says what it holds.
      const files = hooks
        ? (await gitOk(["diff-tree", "--no-commit-id", "--name-only", "-r", "-z", "--root", sha], { cwd: top })).split("\0").filter(Boolean)
        : changed;
      await refreshRealIndex(top, sha, files);
      const branch = branchOf(dirs.gitDir);
      return { kind: "committed", sha, branch, paths: files, restored, output };
    } finally {
      rmSync(index, { force: true });
      rmSync(`${index}.lock`, { force: true });
    }
  });
}

const COMMIT_HOOKS = ["pre-commit", "prepare-commit-msg", "commit-msg", "post-commit", "post-index-change"];

function commitHooks(dir: string): boolean {
  return COMMIT_HOOKS.some((h) => {
    try {
      return (statSync(join(dir, h)).mode & 0o111) !== 0 || process.platform === "win32";
    } catch {
      return false;
    }
  });
}

/** The checked-out branch, read from HEAD (no git process), or null when HEAD is detached. */
function branchOf(gitDir: string): string | null {
  try {
    const m = /^ref: refs\/heads\/(.+)$/m.exec(readFileSync(join(gitDir, "HEAD"), "utf8"));
    return m ? (m[1] as string).trim() : null;
  } catch {
    return null;
  }
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

/** What the other dirty files hold before the hooks run: their blob ids and (up to a size cap) their bytes. */
type Snapshot = Map<string, { blob: string; bytes: Buffer }>;

const SNAPSHOT_FILE_MAX = 8 << 20;
const SNAPSHOT_TOTAL_MAX = 64 << 20;

/** Kept in memory, not in the object store, so a commit leaves no dangling objects behind. */
async function snapshotOthers(top: string, ours: readonly string[], format: string): Promise<Snapshot> {
  const status = await git(["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all"], { cwd: top });
  const mine = new Set(ours);
  const out: Snapshot = new Map();
  let total = 0;
  for (const e of parsePorcelainZ(status.stdout)) {
    if (mine.has(e.path) || e.worktree === "D" || isQueueOwnFile(e.path)) continue;
    const bytes = readIfSmall(join(top, e.path), Math.min(SNAPSHOT_FILE_MAX, SNAPSHOT_TOTAL_MAX - total));
    if (!bytes) continue;
    total += bytes.length;
    out.set(e.path, { blob: blobId(bytes, format), bytes });
  }
  return out;
}

/** A regular file's bytes, or undefined when it is gone, not a file, or over `max` bytes (files come and go while agents work). */
function readIfSmall(abs: string, max: number): Buffer | undefined {
  try {
    const st = lstatSync(abs);
    if (!st.isFile() || st.size > max) return undefined;
    return readFileSync(abs);
  } catch {
    return undefined;
  }
}

/** The id git gives these bytes as a blob (what `git hash-object --no-filters` prints). */
function blobId(bytes: Buffer, format: string): string {
  return nodeCrypto()
    .createHash(format === "sha256" ? "sha256" : "sha1")
    .update(`blob ${bytes.length}\0`)
    .update(bytes)
    .digest("hex");
}

/**
 * Puts back other agents' files that a hook reset to HEAD's version (or deleted) while it ran:
 * the signature of a hook's `git reset --hard` or `git checkout` (lint-staged reverts this way
 * when a task fails). A file an agent changed to anything else meanwhile is left as it is.
 */
async function restoreReverted(top: string, sha: string, before: Snapshot, format: string): Promise<Restored[]> {
  if (before.size === 0) return [];
  const paths = [...before.keys()];
  const now = new Map<string, string>();
  for (const p of paths) {
    const bytes = readIfSmall(join(top, p), SNAPSHOT_FILE_MAX);
    if (bytes) now.set(p, blobId(bytes, format));
    else if (existsSync(join(top, p))) now.set(p, "?");
  }
  const differ = paths.filter((p) => now.get(p) !== before.get(p)?.blob);
  if (differ.length === 0) return [];
  const inHead = new Map<string, string>();
  const tree = (await git(["ls-tree", "-z", "--full-tree", sha, "--", ...differ], { cwd: top })).stdout;
  for (const line of tree.split("\0").filter(Boolean)) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (m) inHead.set(m[2] as string, m[1] as string);
  }
  const reverted = differ.filter((p) => !now.has(p) || now.get(p) === inHead.get(p));
  for (const p of reverted) {
    mkdirSync(dirname(join(top, p)), { recursive: true });
    writeFileSync(join(top, p), (before.get(p) as { bytes: Buffer }).bytes);
  }
  return reverted.map((p) => ({ path: p, savedBlob: (before.get(p) as { blob: string }).blob }));
}
