import { commonOptions as common, positiveInt } from "./options";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { version } from "../../package.json";
import { type CommandResult, GRAPH_FORMATS, analyzeCommand, checkCommand, graphCommand } from "./commands";
import { STRATEGIES, type Strategy } from "../core/schedule/scheduler";
import { ISOLATIONS } from "../core/repo/isolation";
import { ENGINES } from "../core/workflow/engine";
import type { QueueFlags } from "./queue-shared";
import type { RecordFlags } from "./record-command";
import { registerBudget } from "./budget-command";
import { registerRoadmap } from "./roadmap-command";
import type { ExportFlags } from "./export-command";
import type { CommitFlags } from "./commit-command";
import type { WorktreeFlags } from "./worktree-command";
import { commandModules as load } from "./lazy-commands";
import type { CommonOptions, Io } from "./context";
import { EXIT, type Failure, type PassThroughExit } from "./exit-codes";
import { stateFailure } from "./state-failure";
import { colorWanted } from "../render/style";
import { terminalSafe } from "../render/terminal-safe";

const EXAMPLES = `
Examples:
  $ gsd-async analyze                 # the current phase (from .planning/STATE.md)
  $ gsd-async analyze 2 --json        # phase 2, machine-readable
  $ gsd-async check 02.1 --strict     # fail on warnings too (for CI)
  $ gsd-async check 2 --audit         # declared edges without evidence, inferred ones, makespans
  $ gsd-async graph 3 > phase3.mmd    # Mermaid, paste into GitHub
  $ gsd-async graph 3 --format dot | dot -Tsvg > phase3.svg
  $ gsd-async start 2 --max-concurrent 4   # queue phase 2, print the first agents to start
  $ gsd-async status --wait                # block until a running plan finishes
  $ gsd-async simulate 2 --format mermaid  # compare schedules as a Mermaid gantt
  $ gsd-async export github-actions 2 --max-concurrent 4   # the phase as a GitHub Actions workflow

PHASE is a number in any padding (2, 02, 002, 2.1, 36B) or a phase directory path.
Exit codes: 0 ok (status: phase done), 1 problems found (status: stopped on failures),
2 usage error, 3 no .planning/ found, 4 agent-history.json or token-budget.json unusable,
5 status: work in progress, 6 a file could not be read or written, 7 a lock could not be taken,
8 commit: paths refused (nothing committed),
70 internal error.`;

/**
 * Builds the CLI. Actions store their result instead of exiting, so `run` can map every
 * outcome (including commander's own usage errors) to an exit code in one place.
 */
function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 86_400) throw new InvalidArgumentError("timeout must be a number of seconds from 0 to 86400");
  return n;
}

/** An Agent tool `subagent_type`: a name such as `general-purpose` or `gsd:gsd-executor`, nothing a prompt could hide in. */
function agentType(v: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$/.test(v)) throw new InvalidArgumentError("agent type must be a name like general-purpose or gsd:gsd-executor");
  return v;
}

function queueOptions(cmd: Command): Command {
  return cmd
    .option("--max-concurrent <n>", "agents at once (default: config, else 3)", positiveInt("--max-concurrent"))
    .addOption(new Option("--strategy <name>", "which ready plan goes first").choices(STRATEGIES as string[]));
}

/** For the orchestrating model: one compact JSON line with what it acts on, and exit 0 whenever an answer was printed. */
const brief = (cmd: Command): Command => cmd.option("--brief", "compact JSON for the orchestrating model (exit 0 when it printed an answer)");

type InstallOptions = { global?: boolean; local?: boolean; cwd?: string; json?: boolean };

/** What an action hands back: an outcome, or (for `exclusive`) another program's own exit code. */
type ActionResult = CommandResult | PassThroughExit;

export function buildProgram(io: Io, done: (r: ActionResult | Promise<ActionResult>) => void, argv: readonly string[] = []): Command {
  const program = new Command("gsd-async")
    .description("Analyse and run a GSD phase's plans as parallel background agents.")
    .version(version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .addHelpText("after", EXAMPLES)
    .exitOverride();

  common(
    program
      .command("analyze")
      .argument("[phase]", "phase number or directory")
      .description("plans, status, dependency edges with reasons, waves, critical path, diagnostics"),
  )
    .addHelpText("after", EXAMPLES)
    .action((phase: string | undefined, opts: CommonOptions) => done(analyzeCommand(io, phase, opts)));

  common(
    program
      .command("check")
      .argument("[phase]", "phase number or directory")
      .description("validate a phase for people and CI: exit 0 clean, 1 problems, 2 usage"),
  )
    .option("--strict", "treat warnings as problems")
    .option("--audit", "also compare the declared dependencies with the evidence in the files")
    .option("--max-concurrent <n>", "agents at once for the audit's makespans (default: config, else 3)", positiveInt("--max-concurrent"))
    .addHelpText("after", EXAMPLES)
    .action((phase: string | undefined, opts: CommonOptions & { strict?: boolean; audit?: boolean; maxConcurrent?: number }) =>
      done(checkCommand(io, phase, opts)),
    );

  common(
    program
      .command("graph")
      .argument("[phase]", "phase number or directory")
      .description("draw the dependency graph (Mermaid by default), coloured by status, edges labelled by reason"),
  )
    .addOption(new Option("--format <format>", "output format").choices(GRAPH_FORMATS).default("mermaid"))
    .option("--all-edges", "also draw edges implied by longer paths")
    .addHelpText("after", EXAMPLES)
    .action((phase: string | undefined, opts: CommonOptions & { format?: (typeof GRAPH_FORMATS)[number]; allEdges?: boolean }) =>
      done(graphCommand(io, phase, opts)),
    );

  queueOptions(
    common(
      program
        .command("start")
        .argument("[phase]", "phase number or directory")
        .description("queue every unexecuted plan of a phase (or resume its run) and print the first agents to start"),
    ),
  )
    .option("--include-checkpoints", "also start plans with checkpoints in the background")
    .option("--dry-run", "show what would start without recording anything")
    .option("--agent-type <type>", "Agent tool subagent_type for the run's agents (default: the plugin's executor agent when run from the plugin)", agentType)
    .option("--brief", "compact JSON for the orchestrating model (exit 0 when it printed an answer)")
    .addOption(
      new Option("--isolation <mode>", "shared: one working tree; worktree: a git worktree per plan (default: config, else shared)").choices(ISOLATIONS),
    )
    .addOption(
      new Option(
        "--engine <name>",
        "agents: one background agent per plan; workflow: one Claude Code Workflow runs the graph (default: config, else agents)",
      ).choices(ENGINES as unknown as string[]),
    )
    .action((phase: string | undefined, opts: QueueFlags) => done(load.start().startCommand(io, phase, opts)));

  common(
    program
      .command("status")
      .argument("[target]", "phase number or directory, or an agent id")
      .description("reconcile and show the run: states, waits, queue positions, progress, agents to start now"),
  )
    .option(
      "--wait",
      "block until a running plan finishes (or --timeout passes); with --brief under a Claude Code that wakes conversations up, answer at once with the wake-up to schedule",
    )
    .option("--timeout <seconds>", "longest --wait, default 540 (under Claude Code's 10-minute Bash limit)", seconds)
    .option("--peek", "read only: reconcile nothing and hand out no spawn instructions")
    .option("--blocking", "with --wait: hold the call until a plan finishes, even where Claude Code could wake the conversation up")
    .option("--brief", "compact JSON for the orchestrating model (exit 0 when it printed an answer)")
    .option(
      "--agent-type <type>",
      "switch the run's agents to this subagent_type (general-purpose when the plugin's type is unknown) and hand out again what no agent took",
      agentType,
    )
    .action(
      (
        target: string | undefined,
        opts: CommonOptions & { wait?: boolean; timeout?: number; peek?: boolean; brief?: boolean; agentType?: string; blocking?: boolean },
      ) => done(load.status().statusCommand(io, target, opts)),
    );

  brief(common(program.command("spawned").argument("<plan>", "plan file or id").description("record that an agent started a plan")))
    .requiredOption("--agent-id <id>", "the agent's id")
    .option("--output-file <file>", "the agent's output file")
    .option("--run <id>", "run id (default: the newest run with this plan)")
    .action((plan: string, opts: RecordFlags) => done(load.record().recordCommand(io, "spawned", plan, opts)));

  brief(common(program.command("complete").argument("<plan>", "plan file or id").description("record that a plan finished (its SUMMARY.md is checked)")))
    .option("--run <id>", "run id (default: the newest run with this plan)")
    .action((plan: string, opts: RecordFlags) => done(load.record().recordCommand(io, "complete", plan, opts)));

  brief(common(program.command("fail").argument("<plan>", "plan file or id").description("record that a plan failed; its dependents become blocked")))
    .requiredOption("--reason <text>", "what went wrong, one line")
    .option("--run <id>", "run id (default: the newest run with this plan)")
    .action((plan: string, opts: RecordFlags) => done(load.record().recordCommand(io, "fail", plan, opts)));

  common(
    program
      .command("commit")
      .argument("<plan>", "plan id or file the commit belongs to")
      .argument("[paths...]", "the files to commit, after --")
      .description("commit exactly the named paths (nothing else of the tree) under the repository lock, hooks included; recorded on the plan"),
  )
    .requiredOption("-m, --message <text>", "commit message")
    .option("--run <id>", "run id (default: the newest run with this plan)")
    .action((plan: string, paths: string[], opts: CommitFlags) => done(load.commit().commitCommand(io, plan, paths, opts)));

  common(
    program
      .command("worktree")
      .argument("<plan>", "plan id or file")
      .description("make (or find) the git worktree of a running plan of a worktree-mode run, once its prerequisites completed; prints where it is"),
  )
    .option("--run <id>", "run id (default: the newest run with this plan)")
    .action((plan: string, opts: WorktreeFlags) => done(load.worktree().worktreeCommand(io, plan, opts)));

  common(
    program
      .command("exclusive")
      .argument("<name>", "lock name; alone, a command named in parallelization.exclusive of config.json")
      .argument("[command...]", "the command to run, after --")
      .description("run a command while holding a named lock, so no two agents run it at once; its exit code and output are its own"),
  ).action((name: string, command: string[], opts: CommonOptions) => {
    // A command of the caller's own only after `--`: without it, words after NAME would run as a program
    // under a line shaped like the configured form (`exclusive tests touch x`).
    const raw = argv;
    const dash = raw.indexOf("--");
    if (command.length > 0 && (dash < 0 || raw.length - dash - 1 !== command.length)) {
      done({ kind: "usage", message: `exclusive ${name}: a command to run goes after --`, hint: `gsd-async exclusive ${name} -- ${command.join(" ")}` });
      return;
    }
    done(load.exclusive().exclusiveCommand(io, name, command, opts));
  });

  common(
    program
      .command("cancel")
      .argument("[phase]", "phase number or directory")
      .description("stop handing out work: plans not started become cancelled (start retries them); running agents are listed"),
  )
    .option("--plan <file>", "cancel only this plan (file or id)")
    .action((phase: string | undefined, opts: CommonOptions & { plan?: string }) => done(load.cancel().cancelCommand(io, phase, opts)));

  program
    .command("hook")
    .argument("<event>", "pre-tool-use, pre-agent, post-tool-use, subagent-stop or stop-failure")
    .description("read a Claude Code hook payload on stdin and record agent starts and stops (always exits 0)")
    .option("--cwd <dir>", "project directory (default: the payload's cwd)")
    .action((event: string, opts: { cwd?: string }) => done(load.hook().hookCommand(io, event, opts)));

  queueOptions(
    common(
      program
        .command("simulate")
        .argument("[phase]", "phase number or directory")
        .description("replay the phase: sequential vs wave barrier vs gsd-async vs the lower bound, with a Gantt chart"),
    ),
  )
    .addOption(new Option("--format <format>", "chart format").choices(["text", "mermaid"]).default("text"))
    .action((phase: string | undefined, opts: CommonOptions & { maxConcurrent?: number; strategy?: Strategy; format?: "text" | "mermaid" }) =>
      done(load.simulate().simulateCommand(io, phase, opts)),
    );

  common(program.command("repair").description("back up an unusable agent-history.json and rebuild it from what still validates")).action(
    (opts: CommonOptions) => done(load.repair().repairCommand(io, opts)),
  );

  for (const [name, fn, what] of [
    [
      "install",
      (o: InstallOptions) => load.install().installCommand(io, o),
      "copy the slash commands, workflow, hooks and helper into ~/.claude (--global) or ./.claude (--local, default)",
    ],
    ["uninstall", (o: InstallOptions) => load.install().uninstallCommand(io, o), "remove exactly what install added (files changed since are kept)"],
  ] as const) {
    program
      .command(name)
      .description(what)
      .option("--global", "the user's ~/.claude")
      .option("--local", "this project's ./.claude (default)")
      .option("--cwd <dir>", "project directory for --local")
      .option("--json", "print machine-readable JSON")
      .action((opts: InstallOptions) => done(fn(opts)));
  }

  const exporter = program.command("export").description("hand a phase to another engine (GitHub Actions)");
  common(
    exporter
      .command("github-actions")
      .argument("[phase]", "phase number or directory")
      .description("write a workflow_dispatch workflow that runs the phase's plans as jobs, at most N at once"),
  )
    .option("--max-concurrent <n>", "plan jobs at once (default: config, else 3)", positiveInt("--max-concurrent"))
    .option("--runs-on <label>", "runner label for every job", "ubuntu-latest")
    .option("--out <file>", "workflow file (default: .github/workflows/gsd-phase-<phase>.yml in the repository)")
    .option("--force", "replace files changed by hand since the last export")
    .option("--dry-run", "write nothing; print the workflow (with --json: what would be written)")
    .action((phase: string | undefined, opts: ExportFlags) => done(load.export().exportGithubActions(io, phase, opts)));
  common(
    exporter
      .command("run-summary")
      .argument("[phase]", "phase number or directory")
      .description("Markdown summary of a workflow run (used by the exported workflow's summary job)"),
  )
    .requiredOption("--results <file>", "JSON with the workflow's job ids (jobs) and GitHub's needs context (needs)")
    .action((phase: string | undefined, opts: CommonOptions & { results?: string }) => done(load.export().exportRunSummary(io, phase, opts)));

  registerBudget(program, io, done);
  registerRoadmap(program, io, done);

  return program;
}

/**
 * Runs the CLI on `argv` (without node and script) and resolves to the exit code.
 *
 * `--bang` is for `!` lines in slash commands: a failing `!` line silently aborts the whole
 * command in Claude Code, so in that mode every message goes to stdout (where the model sees
 * it) and the exit code is always 0.
 */
export async function run(argv: readonly string[], rawIo: Io): Promise<number> {
  // One gate for every byte written: no terminal control from user text gets through.
  const keepStyle = colorWanted(rawIo.env, rawIo.isTTY, argv.includes("--no-color") ? false : undefined);
  const io: Io = { ...rawIo, out: (t) => rawIo.out(terminalSafe(t, keepStyle)), err: (t) => rawIo.err(terminalSafe(t, keepStyle)) };
  if (argv.includes("--bang")) {
    const code = await runCli(
      argv.filter((a) => a !== "--bang"),
      { ...io, err: (t) => io.out(t) },
    );
    if (code !== EXIT.ok) io.out(`(gsd-async exited with code ${code})\n`);
    return EXIT.ok;
  }
  const code = await runCli(argv, io);
  // --brief: the model reads the answer, and a non-zero exit would only make Claude Code cut it short.
  const answers = argv[0] === "start" || argv[0] === "status";
  if (answers && argv.includes("--brief") && (code === EXIT.problems || code === EXIT.inProgress)) return EXIT.ok;
  return code;
}

/** A state file, the file system or a lock said no: a failure with its own exit code, not a bug. */
function knownFailure(err: unknown): Failure | undefined {
  try {
    return stateFailure(err);
  } catch {
    return undefined;
  }
}

async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let pending: ActionResult | Promise<ActionResult> | undefined;
  const program = buildProgram(io, (r) => (pending = r), argv);
  let result: ActionResult | undefined;
  try {
    await program.parseAsync([...argv], { from: "user" });
    result = await pending;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof InvalidArgumentError) return EXIT.usage;
    const failure = knownFailure(err);
    if (failure) {
      io.err(`gsd-async: ${failure.message}\n${failure.hint ? `  ${failure.hint}\n` : ""}`);
      return EXIT[failure.kind];
    }
    io.err(`gsd-async: internal error: ${(err as Error)?.stack ?? String(err)}\nPlease report this with the command you ran.\n`);
    return EXIT.internal;
  }
  if (result === undefined) {
    // No subcommand: that is a usage error; show the help.
    if (argv.length === 0) io.err(program.helpInformation());
    return EXIT.usage;
  }
  if (typeof result === "string") return EXIT[result];
  if ("exitCode" in result) return result.exitCode;
  io.err(`gsd-async: ${result.message}\n${result.hint ? `  ${result.hint}\n` : ""}`);
  return EXIT[result.kind];
}
