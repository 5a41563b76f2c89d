import { properLockfile } from "./lazy-deps";

/**
 * Runs `fn` holding the inter-process lock of `file`, the way agent-history.json is locked: a
 * `<file>.lock` directory (proper-lockfile: atomic mkdir, refreshed while held, taken over when
 * stale after 10 s, so a killed writer cannot wedge anyone). The file itself need not exist.
 * Retries with jitter for up to about 40 s, so a crowd of short writers queues up instead of failing.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const release = await properLockfile().lock(file, {
    realpath: false,
    lockfilePath: `${file}.lock`,
    stale: 10_000,
    update: 2_000,
    retries: { retries: 400, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
  });
  try {
    return await fn();
  } finally {
    await release();
  }
}
