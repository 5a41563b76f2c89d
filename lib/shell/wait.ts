import { type FSWatcher, watch } from "node:fs";

/** How often the state is looked at again even without a file event (some filesystems send none). */
export const POLL_MS = 2_000;

/**
 * Resolves at the first change in any of `dirs` (fs.watch), or after the poll interval, or after
 * `maxMs`, whichever comes first. Callers re-read state after each wake-up, so a missed or
 * spurious event costs at most one poll interval.
 */
export function waitForFiles(dirs: readonly string[], maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    const watchers: FSWatcher[] = [];
    const finish = () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      resolve();
    };
    // fs.watch calls back asynchronously, so `timer` is set before `finish` can run.
    const timer = setTimeout(finish, Math.max(0, Math.min(maxMs, POLL_MS)));
    for (const dir of dirs) {
      try {
        watchers.push(watch(dir, { persistent: false }, finish));
      } catch {
        // Unwatchable directory (missing, or the platform refuses): polling covers it.
      }
    }
  });
}
