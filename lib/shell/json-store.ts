import { lstatSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { type StateProblem, StateFileError, ioError } from "./state-errors";
import { atomicWrite } from "./lazy-deps";

/**
 * One JSON state file of a project, read and written the same way whatever it holds: validated
 * on every read (a file that fails is never overwritten), written atomically (temp file, fsync,
 * rename), only ever a regular file (a symlink is refused rather than written through), and
 * every file-system failure reported as a value naming the file.
 */
export interface JsonStore<T> {
  /** Project-relative path, e.g. `.planning/agent-history.json`. */
  file: string;
  /** What it is, for messages: "gsd-async history". */
  label: string;
  parse(text: string): { ok: true; value: T } | { ok: false; problems: StateProblem[] };
  serialize(value: T): string;
}

export interface Loaded<T> {
  value: T | null;
  /** The text as read, to tell whether a write would change anything. */
  text: string | null;
}

export function storePath(root: string, store: JsonStore<unknown>): string {
  return join(root, store.file);
}

/**
 * The last text each file was validated from in this process, and what it gave. A command
 * commonly reads the same file twice (once outside the lock to gather facts, once under it):
 * when the text is unchanged the second read skips re-validating it (a 2,000-plan history is
 * 1.7 MB of JSON). Values are never mutated (the queue step is pure), so sharing one is safe.
 */
const lastParsed = new Map<string, { text: string; value: unknown }>();

/** Reads and validates; a missing file is `value: null`. Never writes. */
export function readStore<T>(root: string, store: JsonStore<T>): Loaded<T> {
  const abs = storePath(root, store);
  let text: string;
  try {
    const st = lstatSync(abs);
    if (st.isSymbolicLink())
      throw new StateFileError(store.file, store.label, [{ path: "", message: "it is a symbolic link; gsd-async reads and writes only a regular file there" }]);
    text = readFileSync(abs, "utf8");
  } catch (err) {
    if (err instanceof StateFileError) throw err;
    if ((err as NodeJS.ErrnoException)?.code === "ENOENT") return { value: null, text: null };
    throw ioError(store.file, err, "read");
  }
  const seen = lastParsed.get(abs);
  if (seen !== undefined && seen.text === text) return { value: seen.value as T, text };
  const parsed = store.parse(text);
  if (!parsed.ok) throw new StateFileError(store.file, store.label, parsed.problems);
  lastParsed.set(abs, { text, value: parsed.value });
  return { value: parsed.value, text };
}

/** Writes `value` when its text differs from `before`; returns whether it wrote. Call under the lock. */
export async function writeStore<T>(root: string, store: JsonStore<T>, value: T, before: string | null): Promise<boolean> {
  const text = store.serialize(value);
  if (text === before) return false;
  try {
    await atomicWrite(storePath(root, store), text, { fsync: true });
  } catch (err) {
    throw ioError(store.file, err, "write");
  }
  return true;
}

/** Moves an unusable file aside (never deletes it) and returns the backup's project-relative name. */
export function backupStore(root: string, store: JsonStore<unknown>, now: Date): string {
  const backup = `${store.file}.corrupt-${now.toISOString().replace(/[:.]/g, "-")}.bak`;
  try {
    renameSync(storePath(root, store), join(root, backup));
  } catch (err) {
    throw ioError(store.file, err, "move aside");
  }
  return backup;
}
