import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type WaitStyle, versionInPackage, versionInPath, waitStyle } from "../core/host/claude-version";

/**
 * The version of the Claude Code that runs this helper, from `CLAUDE_CODE_EXECPATH` (set for its
 * Bash tool): an npm install's package.json a few folders up, else a native install's versioned
 * path. Undefined outside Claude Code or when neither says.
 */
export function claudeVersion(env: NodeJS.ProcessEnv): string | undefined {
  const exec = env.CLAUDECODE === "1" ? env.CLAUDE_CODE_EXECPATH : undefined;
  if (exec === undefined || exec === "") return undefined;
  let dir = dirname(exec);
  for (let up = 0; up < 4; up++) {
    try {
      const v = versionInPackage(readFileSync(join(dir, "package.json"), "utf8"));
      if (v !== undefined) return v;
    } catch {
      // No package.json here: look one folder up.
    }
    dir = dirname(dir);
  }
  return versionInPath(exec);
}

/** How `status --wait` waits under this Claude Code. */
export function hostWaitStyle(env: NodeJS.ProcessEnv): WaitStyle {
  return waitStyle(claudeVersion(env), env.GSD_ASYNC_WAIT);
}
