import { PLANNING_DIR } from "../shell/planning-root";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { parallelConfigView } from "../json/parallel-config-json";
import { RoadmapCheckJson, RoadmapGraphJson, RoadmapSetJson, roadmapToJson } from "../json/roadmap-json";
import { renderDiagnostics } from "../render/analysis-text";
import { renderDot } from "../render/dot";
import { renderMermaid } from "../render/mermaid";
import { roadmapGraphView } from "../render/roadmap-graph-view";
import { renderRoadmap } from "../render/roadmap-text";
import { openProject } from "../shell/project";
import { type CommandResult, type GraphFormat, problemsOf } from "./commands";
import { type CommonOptions, type Io, styleFor } from "./context";
import { type RoadmapOptions, loadRoadmaps } from "./roadmap-context";

/** `roadmap analyze|check|graph` and `parallel config`; `roadmap simulate` has its own file. */
const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

export function roadmapAnalyzeCommand(io: Io, opts: RoadmapOptions): CommandResult {
  const loaded = loadRoadmaps(io, opts, true);
  if (!loaded.ok) return loaded.failure;
  const { analyses, project } = loaded;
  if (opts.json) {
    const each = analyses.map((a) => roadmapToJson(a, project.root));
    io.out(
      json(
        opts.archived
          ? RoadmapSetJson.parse({ schemaVersion: JSON_SCHEMA_VERSION, command: "roadmap-analyze", projectRoot: project.root, roadmaps: each })
          : each[0],
      ),
    );
  } else {
    const s = styleFor(io, opts);
    io.out(analyses.map((a) => renderRoadmap(a, s)).join("\n"));
  }
  return "ok";
}

export function roadmapCheckCommand(io: Io, opts: RoadmapOptions & { strict?: boolean }): CommandResult {
  const loaded = loadRoadmaps(io, opts, false);
  if (!loaded.ok) return loaded.failure;
  const strict = opts.strict === true;
  const entries = loaded.analyses.map((a) => {
    const problems = problemsOf(a.diagnostics, strict);
    return { roadmap: a.file, ok: problems.length === 0, problems, diagnostics: a.diagnostics, phases: a.phases.length };
  });
  const ok = entries.every((e) => e.ok);
  if (opts.json) {
    const roadmaps = entries.map(({ phases: _phases, ...e }) => e);
    io.out(json(RoadmapCheckJson.parse({ schemaVersion: JSON_SCHEMA_VERSION, command: "roadmap-check", strict, ok, roadmaps })));
  } else {
    const s = styleFor(io, opts);
    const lines: string[] = [];
    for (const [i, e] of entries.entries()) {
      const head = e.ok
        ? s.green(`✓ ${e.roadmap}: ${e.phases} phases, no problems`)
        : s.red(`✗ ${e.roadmap}: ${e.problems.length} problem${e.problems.length === 1 ? "" : "s"}`);
      lines.push(...(i > 0 ? [""] : []), head, ...renderDiagnostics(e.diagnostics, s));
    }
    io.out(lines.join("\n") + "\n");
  }
  return ok ? "ok" : "problems";
}

export function roadmapGraphCommand(io: Io, opts: RoadmapOptions & { format?: GraphFormat; allEdges?: boolean }): CommandResult {
  const loaded = loadRoadmaps(io, opts, false);
  if (!loaded.ok) return loaded.failure;
  const a = loaded.analyses[0];
  if (!a) return { kind: "usage", message: "no roadmap to draw" };
  const view = roadmapGraphView(a);
  const format: GraphFormat = opts.json ? "json" : (opts.format ?? "mermaid");
  if (format === "json") io.out(json(RoadmapGraphJson.parse({ schemaVersion: JSON_SCHEMA_VERSION, command: "roadmap-graph", roadmap: a.file, ...view })));
  else if (format === "dot") io.out(renderDot(view, { allEdges: opts.allEdges === true, title: a.file }));
  else io.out(renderMermaid(view, { allEdges: opts.allEdges === true }));
  return "ok";
}

/** `parallel config`: the effective parallelization settings and where each came from. */
export function parallelConfigCommand(io: Io, opts: CommonOptions): CommandResult {
  const opened = openProject(opts.cwd ?? io.cwd);
  if (!opened.ok) return { kind: "noProject", message: opened.reason, hint: "run inside a GSD project or pass --cwd DIR" };
  const { project } = opened;
  const file = `${PLANNING_DIR}/config.json`;
  const view = parallelConfigView(project.settings, file, existsSync(join(project.root, file)), project.diagnostics);
  if (opts.json) {
    io.out(json(view));
    return "ok";
  }
  const s = styleFor(io, opts);
  const c = view.settings;
  const lines = [
    s.bold(`Parallelization settings (${view.file}${view.found ? "" : ", not found: defaults"})`),
    `  enabled            ${c.enabled ? "yes" : "no"}`,
    `  plan level         ${c.planLevel === null ? s.dim("not set") : c.planLevel ? "yes" : "no"}`,
    `  max concurrent     ${c.maxConcurrent}  ${s.dim(`(${c.maxConcurrentFrom})`)}`,
    `  skip checkpoints   ${c.skipCheckpoints ? "yes (plans that need a person run in the foreground)" : "no"}`,
    `  mode               ${c.mode}`,
    ...(view.diagnostics.length > 0 ? ["", ...renderDiagnostics(project.diagnostics, s)] : []),
  ];
  io.out(lines.join("\n") + "\n");
  return "ok";
}
