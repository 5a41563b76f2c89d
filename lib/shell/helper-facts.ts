import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import type { HelperFacts } from "../core/queue/helper-command";

/**
 * The machine facts the PreToolUse hook's decision needs, looked up relative to the Bash call's
 * working directory (the payload's cwd): which file a word names after symlinks, and whether a
 * program word runs the node running the hook. Bare `node` is looked up in PATH the way a
 * shell does (an empty or relative entry is relative to the cwd); a relative program path such
 * as `tools/node` is never the real node, even if it links to it.
 */
export function helperFacts(o: { helper: string; cwd: string; path: string | undefined; execPath: string }): HelperFacts {
  const real = (p: string): string | undefined => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const node = real(o.execPath);
  const inPath = (): string | undefined => {
    for (const dir of (o.path ?? "").split(delimiter)) {
      const candidate = join(resolve(o.cwd, dir), "node");
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return real(candidate);
      } catch {
        // Not here: the shell looks in the next entry.
      }
    }
    return undefined;
  };
  let bare: string | undefined | null = null;
  return {
    helper: o.helper,
    helperReal: real(o.helper) ?? resolve(o.helper),
    isRealNode: (word) => {
      if (node === undefined) return false;
      if (word === "node") {
        if (bare === null) bare = inPath();
        return bare === node;
      }
      return isAbsolute(word) && real(word) === node;
    },
    realPath: (word) => real(resolve(o.cwd, word)),
    projectDir: real(o.cwd) ?? resolve(o.cwd),
  };
}
