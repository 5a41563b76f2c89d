import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { version } from "../../package.json";
import { type CommandResult, GRAPH_FORMATS, analyzeCommand, checkCommand, graphCommand } from "./commands";
import type { CommonOptions, Io } from "./context";
import { EXIT } from "./exit-codes";

const EXAMPLES = `
Examples:
  $ gsd-async analyze                 # the current phase (from .planning/STATE.md)
  $ gsd-async analyze 2 --json        # phase 2, machine-readable
  $ gsd-async check 02.1 --strict     # fail on warnings too (for CI)
  $ gsd-async graph 3 > phase3.mmd    # Mermaid, paste into GitHub
  $ gsd-async graph 3 --format dot | dot -Tsvg > phase3.svg

PHASE is a number in any padding (2, 02, 002, 2.1, 36B) or a phase directory path.
Exit codes: 0 ok, 1 problems found, 2 usage error, 3 no .planning/ found, 70 internal error.`;

function common(cmd: Command): Command {
  return cmd
    .option("--cwd <dir>", "project directory (default: the nearest directory with .planning/ above the current one)")
    .option("--json", "print machine-readable JSON (documented in the README)")
    .option("--no-color", "plain text even on a terminal (NO_COLOR is honoured too)");
}

/**
 * Builds the CLI. Actions store their result instead of exiting, so `run` can map every
 * outcome (including commander's own usage errors) to an exit code in one place.
 */
export function buildProgram(io: Io, done: (r: CommandResult) => void): Command {
  const program = new Command("gsd-async")
    .description("Analyse and run a GSD phase's plans as parallel background agents.")
    .version(version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .addHelpText("after", EXAMPLES)
    .exitOverride();

  common(program.command("analyze").argument("[phase]", "phase number or directory").description("plans, status, dependency edges with reasons, waves, critical path, diagnostics"))
    .addHelpText("after", EXAMPLES)
    .action((phase: string | undefined, opts: CommonOptions) => done(analyzeCommand(io, phase, opts)));

  common(program.command("check").argument("[phase]", "phase number or directory").description("validate a phase for people and CI: exit 0 clean, 1 problems, 2 usage"))
    .option("--strict", "treat warnings as problems")
    .addHelpText("after", EXAMPLES)
    .action((phase: string | undefined, opts: CommonOptions & { strict?: boolean }) => done(checkCommand(io, phase, opts)));

  common(program.command("graph").argument("[phase]", "phase number or directory").description("draw the dependency graph (Mermaid by default), coloured by status, edges labelled by reason"))
    .addOption(new Option("--format <format>", "output format").choices(GRAPH_FORMATS).default("mermaid"))
    .option("--all-edges", "also draw edges implied by longer paths")
    .addHelpText("after", EXAMPLES)
    .action((phase: string | undefined, opts: CommonOptions & { format?: (typeof GRAPH_FORMATS)[number]; allEdges?: boolean }) => done(graphCommand(io, phase, opts)));

  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export function run(argv: readonly string[], io: Io): number {
  let result: CommandResult | undefined;
  const program = buildProgram(io, (r) => (result = r));
  try {
    program.parse([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return EXIT.ok;
      if (err.code === "commander.executeSubCommandAsync") return EXIT.internal;
      return EXIT.usage;
    }
    if (err instanceof InvalidArgumentError) return EXIT.usage;
    io.err(`gsd-async: internal error: ${(err as Error)?.stack ?? String(err)}\nPlease report this with the command you ran.\n`);
    return EXIT.internal;
  }
  if (result === undefined) {
    // No subcommand: commander printed help (or nothing); that is a usage error.
    if (argv.length === 0) io.err(program.helpInformation());
    return EXIT.usage;
  }
  if (typeof result === "string") return EXIT[result];
  io.err(`gsd-async: ${result.message}\n${result.hint ? `  ${result.hint}\n` : ""}`);
  return EXIT[result.kind];
}
