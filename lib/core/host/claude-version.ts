/**
 * Which Claude Code runs the helper, and so how `/gsd:status --wait` may wait. Measured
 * (tests/e2e/README.md): both tested versions offer ScheduleWakeup, but only 2.1.332 keeps a
 * `claude -p` process alive for the wake-up; 2.1.197 ends with the turn, so a wake-up there
 * would silently end the wait. The first version proven to wake up is the threshold; an unknown
 * version waits the old, blocking way, which works everywhere.
 */
export const WAKES_UP_SINCE = "2.1.332";

export type WaitStyle = "wake-up" | "blocking";

const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

/** Negative, zero or positive as `a` is older, the same or newer; undefined when either is not x.y.z. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = VERSION.exec(a);
  const y = VERSION.exec(b);
  if (!x || !y) return undefined;
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The version in a native install's path (`.../claude/versions/2.1.332`): only a version folder
 * under `versions` of a path that names claude, so a node binary's own version folder (asdf,
 * volta, Homebrew) is never taken for Claude Code's.
 */
export function versionInPath(execPath: string): string | undefined {
  const parts = execPath.split(/[\\/]+/);
  if (!parts.some((p) => /claude/i.test(p))) return undefined;
  const at = parts.findIndex((p, i) => VERSION.test(p) && parts[i - 1] === "versions");
  return at < 0 ? undefined : parts[at];
}

/** The version of an npm install's package.json text, when it is Claude Code's. */
export function versionInPackage(text: string): string | undefined {
  try {
    const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
    return pkg.name === "@anthropic-ai/claude-code" && typeof pkg.version === "string" && VERSION.test(pkg.version) ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/** `GSD_ASYNC_WAIT=blocking|wake-up` wins (for a Claude Code the helper cannot recognise); else by version. */
export function waitStyle(version: string | undefined, override: string | undefined): WaitStyle {
  if (override === "blocking" || override === "wake-up") return override;
  const c = version === undefined ? undefined : compareVersions(version, WAKES_UP_SINCE);
  return c !== undefined && c >= 0 ? "wake-up" : "blocking";
}
