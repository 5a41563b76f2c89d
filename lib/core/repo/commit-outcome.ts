/** What `gsd-async commit` did, as a value the command turns into text, JSON and an exit code. */
export type CommitOutcome =
  | {
      kind: "committed";
      sha: string;
      branch: string | null;
      paths: string[];
      restored: Restored[];
      output: string;
    }
  | { kind: "refused"; problems: string[] }
  | { kind: "hook-failed"; output: string; restored: Restored[] }
  | { kind: "not-a-repo"; message: string };

/** Another agent's file a hook reset to HEAD while it ran, written back from the blob saved before the hooks. */
export interface Restored {
  path: string;
  savedBlob: string;
}

/** The record of a commit on a plan's history entry. */
export interface CommitRecord {
  sha: string;
  paths: string[];
  at: string;
}
