import { CommitJson, type CommitJsonType } from "../json/repo-json";
import { jsonOutput } from "../json/queue-json";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import type { CommitOutcome, CommitRecord } from "../core/repo/commit-outcome";
import { withCommit } from "../core/repo/commit-record";
import { replaceEntry } from "../core/queue/history-ops";
import { updateHistory } from "../shell/history-store";
import { commitPaths } from "../shell/repo/commit-paths";
import { queueRootFor } from "../shell/repo/queue-root";
import { commitText } from "../render/repo-text";
import type { CommandResult } from "./commands";
import type { CommonOptions, Io } from "./context";
import { openFor } from "./context";
import { findEntry } from "../core/queue/record";
import { stateFailure } from "./state-failure";

export interface CommitFlags extends CommonOptions {
  message: string;
  run?: string;
}

/**
 * Records a commit on the plan's entry in agent-history.json, under the history lock. The
 * queue's step can take this over: the change itself is the pure `withCommit`.
 */
export async function recordCommit(queueRoot: string, plan: string, runId: string | undefined, commit: CommitRecord): Promise<boolean> {
  return updateHistory(queueRoot, (h) => {
    const e = findEntry(h.entries, plan, runId, queueRoot);
    return e ? { history: replaceEntry(h, withCommit(e, commit)), result: true } : { history: h, result: false };
  });
}

/** `gsd-async commit <plan> -m <message> -- <paths...>`. */
export async function commitCommand(io: Io, plan: string, paths: readonly string[], flags: CommitFlags): Promise<CommandResult> {
  const opened = openFor(io, flags);
  if (!opened.ok) return opened.failure;
  const root = opened.project.root;
  const outcome: CommitOutcome = await commitPaths({
    cwd: flags.cwd ?? io.cwd,
    projectRoot: root,
    message: flags.message,
    paths,
    what: `commit for ${plan}`,
    onWait: (t) => io.err(t),
  });
  if (outcome.kind === "not-a-repo") return { kind: "usage", message: outcome.message, hint: "gsd-async commit works in a git repository" };
  let recorded = false;
  if (outcome.kind === "committed") {
    try {
      recorded = await recordCommit(await queueRootFor(root), plan, flags.run, { sha: outcome.sha, paths: outcome.paths, at: io.now().toISOString() });
    } catch (err) {
      // The commit exists; an unusable history file is reported, not hidden.
      const f = stateFailure(err);
      io.err(`gsd-async: committed ${outcome.sha}, but it could not be recorded: ${f.message}\n`);
    }
  }
  if (flags.json) {
    const view: CommitJsonType = {
      schemaVersion: JSON_SCHEMA_VERSION,
      command: "commit",
      outcome: outcome.kind,
      plan,
      sha: outcome.kind === "committed" ? outcome.sha : null,
      branch: outcome.kind === "committed" ? outcome.branch : null,
      paths: outcome.kind === "committed" ? outcome.paths : [],
      recorded,
      problems: outcome.kind === "refused" ? outcome.problems : [],
      revertedByHook: outcome.kind === "refused" ? [] : outcome.restored,
      output: outcome.kind === "refused" ? "" : outcome.output,
    };
    io.out(jsonOutput(CommitJson, view));
  } else {
    const text = commitText(plan, outcome, recorded);
    io.out(text.out);
    io.err(text.err);
  }
  return outcome.kind === "committed" ? "ok" : outcome.kind === "refused" ? "refused" : "problems";
}
