import { commonOptions, positiveInt } from "./options";
import { type Command, Option } from "commander";
import { STRATEGIES } from "../core/schedule/scheduler";
import { type CommandResult, GRAPH_FORMATS, type GraphFormat } from "./commands";
import type { CommonOptions, Io } from "./context";
import type { RoadmapOptions } from "./roadmap-context";
import type { RoadmapSimulateFlags } from "./roadmap-simulate";

// The actions and their JSON schemas load when a roadmap command runs (see lazy-commands).
const actions = () => require("./roadmap-actions") as typeof import("./roadmap-actions");
const simulate = () => require("./roadmap-simulate") as typeof import("./roadmap-simulate");

const EXAMPLES = `
Examples:
  $ gsd-async roadmap analyze                   # phases, status, levels, critical path
  $ gsd-async roadmap check --strict            # CI: exit 1 on cycles, unknown phases, mismatches
  $ gsd-async roadmap graph --format dot | dot -Tsvg > roadmap.svg
  $ gsd-async roadmap simulate --max-concurrent 2
  $ gsd-async roadmap analyze --milestone v1.0  # .planning/milestones/v1.0-ROADMAP.md
  $ gsd-async parallel config                   # the parallelization settings in effect

Phases come from ROADMAP.md headings (### Phase 2.1: Name), checklist items and the progress
table; prerequisites from each phase's "Depends on" line. Complete phases are met
prerequisites, not work. Exit codes: 0 ok, 1 problems (check), 2 usage, 3 no .planning/.`;

function common(cmd: Command, which: "one" | "many" | "none"): Command {
  commonOptions(cmd);
  if (which !== "none") cmd.option("--milestone <file>", "an archived roadmap: a version (v1.0) or a file in .planning/milestones/");
  if (which === "many") cmd.option("--archived", "the live roadmap and every archived milestones/*-ROADMAP.md");
  return cmd.addHelpText("after", EXAMPLES);
}

type Done = (r: CommandResult | Promise<CommandResult>) => void;
type Verb = "analyze" | "check" | "graph" | "simulate" | "config";

function addVerb(group: Command, verb: Verb, io: Io, done: Done): void {
  switch (verb) {
    case "analyze":
      common(group.command("analyze").description("phases with status (directories vs roadmap marks), prerequisites, levels, critical path"), "many").action(
        (opts: RoadmapOptions) => done(actions().roadmapAnalyzeCommand(io, opts)),
      );
      return;
    case "check":
      common(group.command("check").description("validate the roadmap for people and CI: exit 0 clean, 1 problems, 2 usage"), "many")
        .option("--strict", "treat warnings as problems")
        .action((opts: RoadmapOptions & { strict?: boolean }) => done(actions().roadmapCheckCommand(io, opts)));
      return;
    case "graph":
      common(group.command("graph").description("draw the phase dependency graph (Mermaid by default)"), "one")
        .addOption(new Option("--format <format>", "output format").choices(GRAPH_FORMATS).default("mermaid"))
        .option("--all-edges", "also draw edges implied by longer paths")
        .action((opts: RoadmapOptions & { format?: GraphFormat; allEdges?: boolean }) => done(actions().roadmapGraphCommand(io, opts)));
      return;
    case "simulate":
      common(group.command("simulate").description("replay the phases still to do: sequential vs level barrier vs gsd-async vs the lower bound"), "one")
        .option("--max-concurrent <n>", "phases at once (default: config, else 3)", positiveInt("--max-concurrent"))
        .addOption(new Option("--strategy <name>", "which ready phase goes first").choices(STRATEGIES as string[]))
        .addOption(new Option("--format <format>", "chart format").choices(["text", "mermaid"]).default("text"))
        .action((opts: RoadmapSimulateFlags) => done(simulate().roadmapSimulateCommand(io, opts)));
      return;
    case "config":
      common(
        group.command("config").description("show the parallelization settings in effect (.planning/config.json) and where each came from"),
        "none",
      ).action((opts: CommonOptions) => done(actions().parallelConfigCommand(io, opts)));
      return;
  }
}

/**
 * Adds `gsd-async roadmap analyze|check|graph|simulate` and, for GSD users' habits and
 * scripts, `gsd-async parallel analyze|check|config|simulate` (the same commands, plus
 * `config`). Results go to `done`, so the program maps them to exit codes in one place.
 */
export function registerRoadmap(program: Command, io: Io, done: Done): void {
  const roadmap = program.command("roadmap").description("the same engine one level up: ROADMAP.md phases, their dependencies, levels and schedule");
  for (const verb of ["analyze", "check", "graph", "simulate"] as const) addVerb(roadmap, verb, io, done);
  const parallel = program.command("parallel").description("GSD's names for the roadmap commands: analyze, check, config, simulate");
  for (const verb of ["analyze", "check", "config", "simulate"] as const) addVerb(parallel, verb, io, done);
}
