/** What `gsd-async commit` did, as a value the command turns into text, JSON and an exit code. */
export type CommitOutcome =
  | {
      kind: "committed";
      sha: string;
      branch: string | null;
      paths: string[];
      /** Files of other agents that changed while the hooks ran, with the blob saved before (nothing is restored automatically). */
      changedMeanwhile: { path: string; savedBlob: string }[];
      output: string;
    }
  | { kind: "refused"; problems: string[] }
  | { kind: "hook-failed"; output: string }
  | { kind: "not-a-repo"; message: string };

/** The record of a commit on a plan's history entry. */
export interface CommitRecord {
  sha: string;
  paths: string[];
  at: string;
}
