import { readFileSync, statSync } from "node:fs";
import { hostname } from "node:os";
import type { ProcessInfo } from "../core/queue/history-schema";

/**
 * Which Claude Code process a helper call comes from, and whether a recorded one still runs.
 * Background agents live inside the Claude Code process that started them, so "that process is
 * gone" is hard evidence that its agents are gone. A process is recognised by pid AND start
 * time (a reused pid is another process). On Linux both come from /proc; elsewhere only the pid
 * is known, and a live pid counts as alive.
 */
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "fish", "busybox", "env", "timeout", "nice", "nohup", "stdbuf", "xargs"]);

interface ProcStat {
  comm: string;
  ppid: number;
  start: string;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const rest = text
      .slice(close + 2)
      .split(" ")
      .filter((w) => w !== "");
    // Fields after the command: state(3) ppid(4) ... starttime(22), counted from 1 over the whole line.
    return { comm, ppid: Number(rest[1]), start: rest[19] ?? "" };
  } catch {
    return undefined;
  }
}

const hasProc = (() => {
  let known: boolean | undefined;
  return () =>
    (known ??= (() => {
      try {
        return statSync("/proc/self/stat").isFile();
      } catch {
        return false;
      }
    })());
})();

/** The Claude Code process this helper runs under (the first ancestor that is not a shell), when run by Claude Code. */
export function claudeProcess(env: NodeJS.ProcessEnv, ppid: number): ProcessInfo | null {
  if (env.CLAUDECODE !== "1") return null;
  const host = hostname();
  if (!hasProc()) return { pid: ppid, start: null, host };
  let pid = ppid;
  for (let depth = 0; depth < 8; depth++) {
    // Run by Claude Code (CLAUDECODE=1) yet orphaned: the process that ran us ended while this call
    // was starting (a SIGKILL mid-hook). Record it as gone, so its claims count as lost at once
    // instead of waiting out the lease.
    if (pid <= 1) return { pid: ppid, start: GONE, host };
    const st = procStat(pid);
    if (!st) return depth === 0 ? { pid: ppid, start: GONE, host } : null;
    if (!SHELLS.has(st.comm)) return { pid, start: st.start, host };
    pid = st.ppid;
  }
  return null;
}

/** A start time no live process has (/proc gives a number): a recorded process that had already ended. */
const GONE = "ended";

/** Whether a recorded process still runs: alive, dead, or unknown (another host). */
export function processState(p: ProcessInfo): "alive" | "dead" | "unknown" {
  if (p.host !== hostname()) return "unknown";
  if (p.start !== null && hasProc()) {
    const st = procStat(p.pid);
    return st !== undefined && st.start === p.start ? "alive" : "dead";
  }
  try {
    process.kill(p.pid, 0);
    return "alive";
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM" ? "alive" : "dead";
  }
}

/** Minutes since a file last changed, or undefined when it cannot be seen. */
export function idleMinutes(file: string, nowMs: number): number | undefined {
  try {
    return Math.max(0, (nowMs - statSync(file).mtimeMs) / 60000);
  } catch {
    return undefined;
  }
}
