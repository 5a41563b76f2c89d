/**
 * Dependencies only the queue and install commands need, loaded on first use. `analyze` and
 * `check` run in short-lived processes where start-up time is the product: proper-lockfile and
 * write-file-atomic pull in graceful-fs, signal-exit and several Node built-ins at load.
 */
import type lockfileModule from "proper-lockfile";
import type writeFileAtomicModule from "write-file-atomic";

let lockfile: typeof lockfileModule | undefined;
let crypto: typeof import("node:crypto") | undefined;

/** node:crypto costs a few milliseconds to load; only run ids and install hashes need it. */
export function nodeCrypto(): typeof import("node:crypto") {
  return (crypto ??= require("node:crypto") as typeof import("node:crypto"));
}
let writeFileAtomic: typeof writeFileAtomicModule | undefined;

export function properLockfile(): typeof lockfileModule {
  return (lockfile ??= require("proper-lockfile") as typeof lockfileModule);
}

export function atomicWrite(file: string, data: string, options?: { fsync?: boolean; mode?: number }): Promise<void> {
  writeFileAtomic ??= require("write-file-atomic") as typeof writeFileAtomicModule;
  return writeFileAtomic(file, data, options ?? {});
}
