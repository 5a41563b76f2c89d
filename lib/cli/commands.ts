import { displayName as dn } from "../core/common/safe-name";
import { analysisToJson, JSON_SCHEMA_VERSION } from "../json/analysis-json";
import type { Diagnostic } from "../core/common/diagnostic";
import { renderAnalysis, renderDiagnostics } from "../render/analysis-text";
import { renderAudit } from "../render/audit-text";
import { auditPhase } from "../core/graph/audit";
import { renderDot } from "../render/dot";
import { graphView } from "../render/graph-view";
import { renderMermaid } from "../render/mermaid";
import { type CommonOptions, type Io, loadPhase, styleFor } from "./context";
import type { Failure, OutcomeKind } from "./exit-codes";

/** Only `check` and `graph` print these shapes: loaded when they do, not when `analyze` starts. */
const queueJson = () => require("../json/queue-json") as typeof import("../json/queue-json");

export type CommandResult = OutcomeKind | Failure;

export function analyzeCommand(io: Io, phase: string | undefined, opts: CommonOptions): CommandResult {
  const loaded = loadPhase(io, opts, phase);
  if (!loaded.ok) return loaded.failure;
  const { analysis, project, note } = loaded;
  io.out(opts.json ? JSON.stringify(analysisToJson(analysis, project.root, note), null, 2) + "\n" : renderAnalysis(analysis, styleFor(io, opts), note));
  return "ok";
}

/** Problems that fail `check`: every error, and with `--strict` every warning too. */
export function problemsOf(diagnostics: readonly Diagnostic[], strict: boolean): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error" || (strict && d.severity === "warning"));
}

export function checkCommand(
  io: Io,
  phase: string | undefined,
  opts: CommonOptions & { strict?: boolean; audit?: boolean; maxConcurrent?: number },
): CommandResult {
  const loaded = loadPhase(io, opts, phase);
  if (!loaded.ok) return loaded.failure;
  const { analysis, project } = loaded;
  const strict = opts.strict === true;
  const problems = problemsOf(analysis.diagnostics, strict);
  const audit = opts.audit === true ? auditPhase(analysis, opts.maxConcurrent ?? project.settings.maxConcurrent) : undefined;
  if (opts.json) {
    io.out(
      queueJson().jsonOutput(queueJson().CheckJson, {
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "check",
        phase: analysis.phase,
        strict,
        ok: problems.length === 0,
        problems,
        diagnostics: analysis.diagnostics,
        ...(audit === undefined ? {} : { audit }),
      }),
    );
  } else {
    const s = styleFor(io, opts);
    const head =
      problems.length === 0
        ? s.green(`✓ ${dn(analysis.phase.dir)}: ${analysis.plans.length} plans, no problems`)
        : s.red(`✗ ${dn(analysis.phase.dir)}: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
    io.out([head, ...renderDiagnostics(analysis.diagnostics, s), ...(audit === undefined ? [] : renderAudit(audit, s))].join("\n") + "\n");
  }
  return problems.length === 0 ? "ok" : "problems";
}

export const GRAPH_FORMATS = ["mermaid", "dot", "json"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function graphCommand(io: Io, phase: string | undefined, opts: CommonOptions & { format?: GraphFormat; allEdges?: boolean }): CommandResult {
  const loaded = loadPhase(io, opts, phase);
  if (!loaded.ok) return loaded.failure;
  const view = graphView(loaded.analysis);
  const format: GraphFormat = opts.json ? "json" : (opts.format ?? "mermaid");
  if (format === "json")
    io.out(queueJson().jsonOutput(queueJson().GraphJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "graph", phase: loaded.analysis.phase, ...view }));
  else if (format === "dot") io.out(renderDot(view, { allEdges: opts.allEdges === true, title: loaded.analysis.phase.name }));
  else io.out(renderMermaid(view, { allEdges: opts.allEdges === true }));
  return "ok";
}
