import { isLockName } from "../core/repo/lock-name";
import { runExclusive } from "../shell/repo/run-exclusive";
import type { CommandResult } from "./commands";
import type { CommonOptions, Io } from "./context";
import { openFor } from "./context";
import type { PassThroughExit } from "./exit-codes";

/**
 * `gsd-async exclusive <name> [-- <command...>]`. With a command, that argument vector runs (no
 * shell) under the lock `name`. Without one, `name` must be a command the user wrote in
 * `parallelization.exclusive` of config.json; that string runs through the shell exactly as
 * written, with nothing appended or substituted, so no plan or agent text reaches a shell line.
 */
export async function exclusiveCommand(io: Io, name: string, command: readonly string[], flags: CommonOptions): Promise<CommandResult | PassThroughExit> {
  if (!isLockName(name)) return { kind: "usage", message: `lock name '${name}' is not valid`, hint: "use letters, digits, '.', '_' and '-' (at most 64)" };
  const opened = openFor(io, flags);
  if (!opened.ok) return opened.failure;
  const configured = opened.project.settings.exclusive;
  const cwd = flags.cwd ?? io.cwd;
  let run: { argv: readonly string[] } | { shellLine: string };
  if (command.length > 0) run = { argv: command };
  else {
    const line = Object.prototype.hasOwnProperty.call(configured, name) ? configured[name] : undefined;
    if (line === undefined) {
      const known = Object.keys(configured);
      return {
        kind: "usage",
        message: `no command named '${name}' in parallelization.exclusive of .planning/config.json`,
        hint:
          known.length > 0 ? `configured: ${known.join(", ")}; or give one after --` : "give the command after --, e.g. gsd-async exclusive tests -- npm test",
      };
    }
    run = { shellLine: line };
  }
  try {
    const code = await runExclusive({ cwd, projectRoot: opened.project.root, name, ...run, what: `exclusive ${name}`, onWait: (t) => io.err(t) });
    return { exitCode: code };
  } catch (err) {
    return { kind: "usage", message: `could not run the command for '${name}': ${(err as Error).message}` };
  }
}
