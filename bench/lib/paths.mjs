// Where the bench finds the built bundle and the shared corpus, and how it loads the bundle.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DIST_CLI = join(PROJECT_ROOT, "dist", "cli.js");
// GSD_ASYNC_BENCH_INDEX points at another build of lib/index.ts (e.g. one made before dist/ is
// rebuilt); the CLI measured by (1) is always dist/cli.js.
export const DIST_INDEX = process.env.GSD_ASYNC_BENCH_INDEX ?? join(PROJECT_ROOT, "dist", "index.js");
// $GSD_ASYNC_CORPUS, else ../shared/corpus beside the project, else ../../shared/corpus (a git
// worktree one folder further down, e.g. wt/<branch> beside shared/).
const CORPUS_GUESSES = [resolve(PROJECT_ROOT, "..", "shared", "corpus"), resolve(PROJECT_ROOT, "..", "..", "shared", "corpus")];
export const CORPUS = process.env.GSD_ASYNC_CORPUS ? resolve(process.env.GSD_ASYNC_CORPUS) : (CORPUS_GUESSES.find((c) => existsSync(c)) ?? CORPUS_GUESSES[0]);

/** Stops the bench with a clear message when something it measures is not there. */
export function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

/** The library API from the built bundle; the bench never builds it itself. */
export function loadDist() {
  for (const f of [DIST_CLI, DIST_INDEX]) {
    if (!existsSync(f)) fail(`${f} is missing: run \`npm run build\` first (the bench measures the built bundle and builds nothing)`);
  }
  if (!existsSync(CORPUS)) fail(`corpus not found at ${CORPUS}: the bench needs ../shared/corpus beside the project (or set GSD_ASYNC_CORPUS)`);
  return createRequire(import.meta.url)(DIST_INDEX);
}
