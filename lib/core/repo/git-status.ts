/** One line of `git status --porcelain=v1 -z`: the two status letters and the path (and a rename's source). */
export interface StatusEntry {
  index: string;
  worktree: string;
  path: string;
  from?: string;
}

/**
 * Parses `git status --porcelain=v1 -z` output. With `-z` paths are never quoted; a rename or
 * copy is followed by its source path as the next NUL-terminated field.
 */
export function parsePorcelainZ(text: string): StatusEntry[] {
  const fields = text.split("\0");
  const out: StatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as string;
    if (f.length < 4) continue;
    const entry: StatusEntry = { index: f[0] as string, worktree: f[1] as string, path: f.slice(3) };
    if (entry.index === "R" || entry.index === "C") {
      entry.from = fields[i + 1] ?? "";
      i++;
    }
    out.push(entry);
  }
  return out;
}

/** Files the queue itself writes while a run goes on: they never make a tree "dirty" for a run. */
export function isQueueOwnFile(path: string): boolean {
  return /^\.planning\/(agent-history\.json|token-budget\.json|ledger\.json)(\..*)?$/.test(path) || path.startsWith(".gsd-worktrees/");
}
