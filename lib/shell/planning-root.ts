import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

import { PLANNING_DIR } from "../core/plan/planning-tree";

export { PLANNING_DIR };

/**
 * The project root: the nearest directory at or above `start` that has a `.planning/`
 * directory. Returns undefined when there is none up to the filesystem root.
 */
export function findProjectRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, PLANNING_DIR);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
