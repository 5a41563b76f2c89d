import type { HistoryEntry } from "../queue/history-schema";
import type { CommitRecord } from "./commit-outcome";

/** How many commits one entry keeps (an agent that commits per task rarely needs more). */
export const MAX_COMMITS_PER_ENTRY = 200;

/** The commits recorded on a plan's entry (an extra field; older entries have none). */
export function commitsOf(entry: HistoryEntry): CommitRecord[] {
  const v = (entry as Record<string, unknown>).commits;
  return Array.isArray(v) ? (v as CommitRecord[]) : [];
}

/**
 * The entry with one more commit recorded. Pure, so the queue's step can apply it inside its own
 * transaction; the same commit recorded twice is kept once.
 */
export function withCommit(entry: HistoryEntry, commit: CommitRecord): HistoryEntry {
  const before = commitsOf(entry).filter((c) => c.sha !== commit.sha);
  return { ...entry, commits: [...before, { sha: commit.sha, paths: [...commit.paths], at: commit.at }].slice(-MAX_COMMITS_PER_ENTRY) };
}
