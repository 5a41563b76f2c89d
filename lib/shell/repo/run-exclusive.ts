import { spawn } from "node:child_process";
import { constants } from "node:os";
import { join } from "node:path";
import { lockFileName } from "../../core/repo/lock-name";
import { PLANNING_DIR } from "../planning-root";
import { repoDirs } from "./git";
import { locksDir, withNamedLock } from "./named-lock";

export interface ExclusiveRequest {
  cwd: string;
  projectRoot: string;
  name: string;
  /** An argument vector, run without a shell. */
  argv?: readonly string[];
  /** A command line the user wrote in config.json, run by /bin/sh (cmd.exe on Windows); nothing is added to it. */
  shellLine?: string;
  what: string;
  onWait?: (text: string) => void;
}

/**
 * Runs one command while holding the named lock, so two agents' test runs, builds or migrations
 * never overlap. The command inherits the terminal (its output is its own) and runs in its own
 * process group, which the lock records: if this helper is killed, the lock is still held until
 * the command and everything it started have ended, and then the next waiter takes it. SIGINT,
 * SIGTERM and SIGHUP are passed on to that group. Resolves to the command's exit code (128 + the
 * signal number when a signal ended it).
 */
export async function runExclusive(req: ExclusiveRequest): Promise<number> {
  const dirs = await repoDirs(req.cwd);
  const dir = dirs ? locksDir(dirs.commonDir) : join(req.projectRoot, PLANNING_DIR, "locks");
  const lock = join(dir, lockFileName("exclusive", req.name));
  return withNamedLock(lock, { what: req.what, ...(req.onWait ? { onWait: req.onWait } : {}) }, (held) => {
    return new Promise<number>((resolve, reject) => {
      const group = process.platform !== "win32";
      const child =
        req.shellLine !== undefined
          ? spawn(req.shellLine, { cwd: req.cwd, stdio: "inherit", shell: true, detached: group })
          : spawn((req.argv ?? [])[0] as string, (req.argv ?? []).slice(1), { cwd: req.cwd, stdio: "inherit", detached: group });
      const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
      const pass = (s: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(group ? -child.pid : child.pid, s);
        } catch {
          // already gone
        }
      };
      for (const s of signals) process.on(s, pass);
      if (group && child.pid !== undefined) held.setGroup(child.pid);
      child.on("error", (err) => {
        for (const s of signals) process.off(s, pass);
        reject(err);
      });
      child.on("close", (code, signal) => {
        for (const s of signals) process.off(s, pass);
        resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
      });
    });
  });
}
