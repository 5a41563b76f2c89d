import { spawn } from "node:child_process";
import { isAbsolute, resolve } from "node:path";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as bytes, when asked for with `binary` (file contents). */
  bytes?: Buffer;
}

export interface GitOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Own process group, so a lock can tell that the command outlived a killed holder. */
  detached?: boolean;
  onSpawn?: (pid: number | undefined) => void;
  binary?: boolean;
}

/**
 * Runs git with an argument vector (never a shell line). Paths are literal (no pathspec magic or
 * globs), no editor or pager is ever started, and the result is a value: callers decide what a
 * non-zero exit means.
 */
export function git(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, GIT_LITERAL_PATHSPECS: "1", GIT_EDITOR: "true", GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: opts.detached === true,
    });
    opts.onSpawn?.(child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      opts.onSpawn?.(undefined);
      const bytes = Buffer.concat(out);
      const r: GitResult = { code: code ?? (signal ? 128 : 1), stdout: bytes.toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
      if (opts.binary) r.bytes = bytes;
      resolve(r);
    });
  });
}

/** git, failing with its own message on a non-zero exit. */
export async function gitOk(args: readonly string[], opts: GitOptions): Promise<string> {
  const r = await git(args, opts);
  if (r.code !== 0) throw new GitError(args, r);
  return r.stdout;
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
  ) {
    super(`git ${args.join(" ")} failed (${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
}

/** The repository of `cwd`: its working tree top, its git dir and the common dir all worktrees share. */
export interface RepoDirs {
  top: string;
  gitDir: string;
  commonDir: string;
  /** sha1 or sha256. */
  objectFormat: string;
  /** Where git looks for hooks (core.hooksPath or .git/hooks). */
  hooksDir: string;
}

/** One git process for everything a command needs to know about the repository of `cwd`. */
export async function repoDirs(cwd: string): Promise<RepoDirs | undefined> {
  const r = await git(
    ["rev-parse", "--path-format=absolute", "--show-toplevel", "--git-dir", "--git-common-dir", "--show-object-format", "--git-path", "hooks"],
    {
      cwd,
    },
  );
  if (r.code !== 0) return undefined;
  const [top, gitDir, commonDir, objectFormat, hooksDir] = r.stdout.split("\n");
  if (!top || !gitDir || !commonDir || !hooksDir) return undefined;
  return { top, gitDir, commonDir, objectFormat: objectFormat || "sha1", hooksDir: isAbsolute(hooksDir) ? hooksDir : resolve(cwd, hooksDir) };
}

export const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
