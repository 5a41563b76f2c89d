import { shellLine } from "../common/shell-quote";
import { looseSegments, plainWords } from "../common/shell-words";
import { isLockName } from "../repo/lock-name";
import { WORKTREES_DIR } from "../repo/worktree-names";

/**
 * What the PreToolUse hook answers for a Bash command. Claude Code asks before every Bash call
 * outside a command's own turn, which would stall dependents started from task notifications,
 * so the hook allows exactly this helper's own calls: the real node running the real helper
 * with a read-or-record subcommand (or a shared command the user configured) and plain words. A line that calls the helper together
 * with other shell syntax is what an argument breaking out of its quotes looks like, and
 * permission modes such as acceptEdits would run the other parts unasked; it is denied, with
 * what to run instead. Everything else gets no answer, so Claude Code's own rules decide.
 */
export const AUTO_ALLOWED = [
  "analyze",
  "check",
  "graph",
  "start",
  "status",
  "spawned",
  "complete",
  "fail",
  "cancel",
  "simulate",
  "commit",
  "worktree",
] as const;

/** Subcommands whose line comes from the helper's own output (agent prompts), never from a user. */
const RECORD = new Set(["complete", "fail", "spawned"]);

/** What the shell looked up on the machine, relative to the payload's cwd. */
export interface HelperFacts {
  /** The helper's path as this process knows it (shown in suggestions). */
  helper: string;
  /** The helper's real path (symlinks resolved). */
  helperReal: string;
  /** True when a program word runs the node that runs the hook: bare `node` as PATH finds it, or an absolute path to it. */
  isRealNode: (word: string) => boolean;
  /** The real path of a file word resolved against the cwd, undefined when there is no such file. */
  realPath: (word: string) => string | undefined;
  /** The real path of the Bash call's working directory (the session's project, or a plan worktree in it). */
  projectDir: string;
}

export type HookDecision = { kind: "allow"; reason: string } | { kind: "deny"; reason: string } | { kind: "pass"; why: string };

export const ALLOW_REASON = "gsd-async helper: reads the plans and records agent progress only";

const DENY_REASON =
  "gsd-async: this Bash call was not run. The helper must be alone in its Bash call with plain arguments: nothing before or after it (no ;, &&, |, redirection, here-document or $(...)), because other shell syntax around it is what an argument breaking out of its quotes looks like. Do the other steps first, on their own (write files with the Write tool), then run the helper line by itself";

const isHelper = (word: string, f: HelperFacts) => word === f.helper || word === f.helperReal || f.realPath(word) === f.helperReal;

/** True when a word could name a node binary (for refusing only). */
const looksLikeNode = (word: string) => /^node/.test(word.slice(word.lastIndexOf("/") + 1));

/** The same, anywhere in a line's text (inside `bash -c "..."`, say). */
const NODE_IN_TEXT = /(?:^|[\s/;&|(`'"=])node/;

export function judgeHelperCall(command: string, f: HelperFacts): HookDecision {
  const line = command.trim();
  const words = plainWords(line);
  if (words !== undefined) {
    const [node, script, sub] = words;
    if (node === undefined || script === undefined || !isHelper(script, f)) return { kind: "pass", why: "not a call of the helper" };
    if (!f.isRealNode(node)) return { kind: "pass", why: `${node} is not the node running this hook` };
    if (sub === "exclusive") return judgeExclusive(words.slice(3), f);
    if (sub === undefined || !(AUTO_ALLOWED as readonly string[]).includes(sub))
      return { kind: "pass", why: `${sub ?? "no subcommand"} is not one the hook allows` };
    return { kind: "allow", reason: ALLOW_REASON };
  }
  // Shell syntax: refuse it when it calls the helper, else leave it to Claude Code.
  const segments = looseSegments(line);
  const call = segments.find((s) => s.some((w) => isHelper(w, f)) && s.some(looksLikeNode));
  const mentioned = line.includes(f.helper) || line.includes(f.helperReal);
  if (call === undefined && !(mentioned && NODE_IN_TEXT.test(line))) return { kind: "pass", why: "shell syntax without a call of the helper" };
  return { kind: "deny", reason: denyReason(call, f) };
}

/**
 * `exclusive <name>` runs the command the user wrote under that name in config.json, nothing
 * else: allowed, as the agent prompt's shared-command lines need. With `-- <command...>` it would
 * run whatever follows, so that form is left to Claude Code's own rules.
 */
function judgeExclusive(rest: readonly string[], f: HelperFacts): HookDecision {
  const [name, ...more] = rest;
  if (name === undefined || !isLockName(name)) return { kind: "pass", why: "exclusive without a plain command name is not one the hook allows" };
  if (more.length === 0) return { kind: "allow", reason: EXCLUSIVE_REASON };
  // Exactly `--cwd DIR`, DIR the session's project or one of its plan worktrees: another
  // directory's config.json would name commands this project's user never wrote.
  if (more.length !== 2 || more[0] !== "--cwd") return { kind: "pass", why: "exclusive with a command or options of its own is not one the hook allows" };
  const dir = f.realPath(more[1] as string);
  const inProject = dir !== undefined && (dir === f.projectDir || dir.startsWith(`${f.projectDir}/${WORKTREES_DIR}/`));
  return inProject ? { kind: "allow", reason: EXCLUSIVE_REASON } : { kind: "pass", why: "exclusive for another directory is not one the hook allows" };
}

export const EXCLUSIVE_REASON = "gsd-async helper: runs a shared command the user named in .planning/config.json, one agent at a time";

/**
 * The reason names the exact line to run when the refused call records an agent's outcome
 * (its words come from the helper's own output); for other subcommands the argument may be
 * the user's, so the model is told to rerun its line as given rather than a repaired one.
 */
function denyReason(call: string[] | undefined, f: HelperFacts): string {
  if (call === undefined) return `${DENY_REASON}, exactly as you were given it.`;
  const at = call.findIndex((w) => isHelper(w, f));
  const rest = call.slice(at + 1);
  if (!RECORD.has(rest[0] ?? "")) return `${DENY_REASON}, exactly as you were given it.`;
  return `${DENY_REASON}: ${shellLine(["node", f.helper, ...rest])}`;
}
