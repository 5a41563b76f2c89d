import type { CommitOutcome, Restored } from "../core/repo/commit-outcome";
import { unreachable } from "../core/common/unreachable";
import type { Landing } from "../core/repo/merge-outcome";

/** The text `gsd-async commit` prints for a person or an agent. */
export function commitText(plan: string, o: CommitOutcome, recorded: boolean): { out: string; err: string } {
  switch (o.kind) {
    case "committed": {
      const lines = [
        `${plan}: committed ${o.sha.slice(0, 12)}${o.branch ? ` on ${o.branch}` : ""} (${o.paths.length} file${o.paths.length === 1 ? "" : "s"}: ${o.paths.join(", ")})`,
      ];
      if (!recorded) lines.push(`note: no queue entry for ${plan}; the commit is not recorded in agent-history.json`);
      lines.push(...restoredLines(o.restored));
      return { out: lines.join("\n") + "\n", err: o.output ? o.output + "\n" : "" };
    }
    case "refused":
      return { out: "", err: `gsd-async: nothing committed for ${plan}:\n${o.problems.map((p) => `  ${p}`).join("\n")}\n` };
    case "hook-failed":
      return {
        out: "",
        err: `gsd-async: the repository's commit hooks refused the commit for ${plan}; nothing was committed. Fix what they report and run the same commit again.\n${o.output}\n${restoredLines(
          o.restored,
        )
          .map((l) => l + "\n")
          .join("")}`,
      };
    case "not-a-repo":
      return { out: "", err: `gsd-async: ${o.message}\n` };
    default:
      return unreachable(o);
  }
}

function restoredLines(restored: readonly Restored[]): string[] {
  return restored.map(
    (r) => `warning: a commit hook reset ${r.path} (not part of this commit) to HEAD; its content from before the hook was written back (blob ${r.savedBlob})`,
  );
}

/** What landing a worktree-mode run did, one line for stderr (stdout may be JSON). */
export function landingText(l: Landing): string {
  return l.kind === "fast-forwarded"
    ? `gsd-async: ${l.branch} landed: your branch was fast-forwarded to ${l.sha.slice(0, 12)}\n`
    : `gsd-async: ${l.branch} is kept for you to merge (${l.reason})\n`;
}
