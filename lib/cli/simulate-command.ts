import { displayName as dn } from "../core/common/safe-name";
import { SimulateJson, jsonOutput } from "../json/queue-json";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { simPlansOf } from "../core/schedule/sim-plans";
import { compareSchedules } from "../core/schedule/simulate";
import type { Strategy } from "../core/schedule/scheduler";
import { renderGanttMermaid, renderGanttText } from "../render/gantt";
import type { CommandResult } from "./commands";
import { type CommonOptions, type Io, loadPhase, styleFor } from "./context";

const round = (n: number) => Math.round(n * 10) / 10;

/** `gsd-async simulate`: replays the phase from scratch under each policy and compares makespans. */
export function simulateCommand(
  io: Io,
  phase: string | undefined,
  flags: CommonOptions & { maxConcurrent?: number; strategy?: Strategy; format?: "text" | "mermaid" },
): CommandResult {
  const loaded = loadPhase(io, flags, phase);
  if (!loaded.ok) return loaded.failure;
  const { analysis, project } = loaded;
  const cap = flags.maxConcurrent ?? project.settings.maxConcurrent;
  const plans = simPlansOf(analysis);
  const c = compareSchedules(plans, cap, flags.strategy ?? "critical-path");
  const makespan = { sequential: round(c.sequential), waveBarrier: round(c.waveBarrier), scheduler: round(c.scheduler), lowerBound: round(c.lowerBound) };
  if (flags.json) {
    io.out(
      jsonOutput(SimulateJson, {
        schemaVersion: JSON_SCHEMA_VERSION,
        command: "simulate",
        phase: analysis.phase,
        maxConcurrent: cap,
        makespan,
        criticalPath: round(c.criticalPath),
        totalWork: round(c.totalWork),
        plans: analysis.plans.map((p) => ({ id: p.id, durationMinutes: p.durationMinutes, source: p.durationSource, outcome: p.status })),
        timeline: c.timelines.scheduler.map((s) => ({ id: s.id, start: round(s.start), end: round(s.end), lane: s.lane })),
      }),
    );
    return "ok";
  }
  if (flags.format === "mermaid") {
    io.out(
      renderGanttMermaid(`${analysis.phase.name} at ${cap} agents`, [
        { name: "gsd-async scheduler", slots: c.timelines.scheduler },
        { name: "wave barrier", slots: c.timelines.waveBarrier },
      ]),
    );
    return "ok";
  }
  const s = styleFor(io, flags);
  const pct = (n: number) => (c.sequential > 0 ? `${Math.round((n / c.sequential) * 100)}%` : "-");
  const inSim = new Set(plans.map((p) => p.id));
  const estimated = analysis.plans.filter((p) => inSim.has(p.id) && p.durationSource === "estimate").length;
  const outcomeIds = (st: string) => analysis.plans.filter((p) => p.status === st).map((p) => p.id);
  const outcomes = [
    ...(outcomeIds("superseded").length > 0 ? [`superseded, left out: ${outcomeIds("superseded").join(", ")}`] : []),
    ...(outcomeIds("halted").length > 0 ? [`halted, replayed as work to do: ${outcomeIds("halted").join(", ")}`] : []),
  ];
  const lines = [
    s.bold(`Simulated ${dn(analysis.phase.name)}: ${plans.length} plans, at most ${cap} at once`),
    s.dim(`durations: ${plans.length - estimated} from SUMMARY.md, ${estimated} estimated`),
    ...outcomes.map((o) => s.dim(o)),
    "",
    `  sequential          ${String(makespan.sequential).padStart(7)} min  ${pct(c.sequential)}`,
    `  wave barrier (GSD)  ${String(makespan.waveBarrier).padStart(7)} min  ${pct(c.waveBarrier)}`,
    `  gsd-async           ${String(makespan.scheduler).padStart(7)} min  ${pct(c.scheduler)}`,
    `  lower bound         ${String(makespan.lowerBound).padStart(7)} min  ${pct(c.lowerBound)}  (max of critical path ${round(c.criticalPath)}, work/cap ${round(c.totalWork / cap)})`,
    "",
    s.bold("gsd-async schedule"),
    ...renderGanttText(c.timelines.scheduler, c.scheduler),
  ];
  io.out(lines.join("\n") + "\n");
  return "ok";
}
