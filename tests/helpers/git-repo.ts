import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { makeTree } from "./tree";

export const CLI = join(__dirname, "..", "..", "dist", "cli.js");

/** git in `cwd`, synchronously; throws with git's message on failure. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_EDITOR: "true", LC_ALL: "C" } });
}

/** A fresh repository with `files` committed on `main` (a .planning/ directory is always there). */
export function makeRepo(files: Record<string, string>): string {
  const root = makeTree({ ".planning/config.json": "{}\n", ...files });
  git(root, "init", "-q", "-b", "main");
  git(root, "config", "user.email", "test@example.com");
  git(root, "config", "user.name", "Test");
  git(root, "config", "commit.gpgsign", "false");
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "initial");
  return root;
}

export function writeFile(root: string, rel: string, content: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

/** Installs an executable hook script in .git/hooks. */
export function hook(root: string, name: string, script: string): void {
  const file = join(root, ".git", "hooks", name);
  writeFileSync(file, script);
  chmodSync(file, 0o755);
}

export interface Proc {
  proc: ChildProcess;
  out: string;
  err: string;
  exit: Promise<number>;
}

/** Starts `node dist/cli.js <args>` as a real process. */
export function helper(args: readonly string[], cwd: string): Proc {
  const proc = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const p: Proc = { proc, out: "", err: "", exit: new Promise((res) => proc.on("close", (code) => res(code ?? 128))) };
  proc.stdout?.on("data", (d: Buffer) => (p.out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (p.err += d.toString()));
  return p;
}

/** Paths changed by one commit. */
export function commitFiles(root: string, sha: string): string[] {
  return git(root, "diff-tree", "--no-commit-id", "--name-only", "-r", "--root", sha).split("\n").filter(Boolean).sort();
}
