import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { RoadmapSimulateJson } from "../json/roadmap-json";
import { simPhasesOf } from "../core/roadmap/roadmap-sim";
import type { Strategy } from "../core/schedule/scheduler";
import { compareSchedules } from "../core/schedule/simulate";
import { renderGanttMermaid, renderGanttText } from "../render/gantt";
import type { CommandResult } from "./commands";
import { styleFor, type Io } from "./context";
import { type RoadmapOptions, loadRoadmaps } from "./roadmap-context";

const round = (n: number) => Math.round(n * 10) / 10;

export type RoadmapSimulateFlags = RoadmapOptions & { maxConcurrent?: number; strategy?: Strategy; format?: "text" | "mermaid" };

/**
 * `roadmap simulate`: the phases still to do, replayed at a cap: one after another, level by
 * level with a barrier (every phase of level n done before level n+1 starts), the dynamic
 * scheduler (a phase starts when its last prerequisite finishes), and the lower bound
 * max(critical path, work / cap). Complete phases are not work; cycle-blocked ones cannot run.
 */
export function roadmapSimulateCommand(io: Io, flags: RoadmapSimulateFlags): CommandResult {
  const loaded = loadRoadmaps(io, flags, true);
  if (!loaded.ok) return loaded.failure;
  const a = loaded.analyses[0];
  if (!a) return { kind: "usage", message: "no roadmap to simulate" };
  const cap = flags.maxConcurrent ?? loaded.project.settings.maxConcurrent;
  const sim = simPhasesOf(a);
  const c = compareSchedules(sim.plans, cap, flags.strategy ?? "critical-path");
  const makespan = { sequential: round(c.sequential), levelBarrier: round(c.waveBarrier), scheduler: round(c.scheduler), lowerBound: round(c.lowerBound) };
  const byId = new Map(a.phases.map((p) => [p.id, p]));
  if (flags.json) {
    const phases = sim.plans.map((p) => ({ id: p.id, minutes: round(p.minutes), source: byId.get(p.id)?.durationSource ?? "assumed", level: p.wave }));
    const timeline = c.timelines.scheduler.map((t) => ({ id: t.id, start: round(t.start), end: round(t.end), lane: t.lane }));
    const out = {
      schemaVersion: JSON_SCHEMA_VERSION,
      command: "roadmap-simulate",
      roadmap: a.file,
      maxConcurrent: cap,
      makespan,
      criticalPath: round(c.criticalPath),
      totalWork: round(c.totalWork),
      phases,
      skipped: sim.skipped,
      timeline,
    };
    io.out(JSON.stringify(RoadmapSimulateJson.parse(out), null, 2) + "\n");
    return "ok";
  }
  const label = (slots: typeof c.timelines.scheduler) => slots.map((t) => ({ ...t, id: `Phase ${byId.get(t.id)?.written ?? t.id}` }));
  if (flags.format === "mermaid") {
    io.out(
      renderGanttMermaid(`${a.file} at ${cap} at once`, [
        { name: "gsd-async scheduler", slots: label(c.timelines.scheduler) },
        { name: "level barrier", slots: label(c.timelines.waveBarrier) },
      ]),
    );
    return "ok";
  }
  const s = styleFor(io, flags);
  const count = (src: string) => sim.plans.filter((p) => byId.get(p.id)?.durationSource === src).length;
  const pct = (n: number) => (c.sequential > 0 ? `${Math.round((n / c.sequential) * 100)}%` : "-");
  const lines = [
    s.bold(`Simulated ${a.file}: ${sim.plans.length} phase${sim.plans.length === 1 ? "" : "s"} still to do, at most ${cap} at once`),
    s.dim(`skipped: ${sim.skipped.complete.length} complete (met prerequisites, not work), ${sim.skipped.blocked.length} blocked by a cycle`),
    s.dim(
      `minutes: ${count("summary")} phases from SUMMARY.md, ${count("mixed") + count("estimate")} partly or wholly estimated, ${count("assumed")} unplanned (assumed)`,
    ),
  ];
  if (sim.plans.length === 0) {
    io.out([...lines, "", "Nothing left to simulate."].join("\n") + "\n");
    return "ok";
  }
  lines.push(
    "",
    `  sequential          ${String(makespan.sequential).padStart(8)} min  ${pct(c.sequential)}`,
    `  level barrier       ${String(makespan.levelBarrier).padStart(8)} min  ${pct(c.waveBarrier)}`,
    `  gsd-async           ${String(makespan.scheduler).padStart(8)} min  ${pct(c.scheduler)}`,
    `  lower bound         ${String(makespan.lowerBound).padStart(8)} min  ${pct(c.lowerBound)}  (max of critical path ${round(c.criticalPath)}, work/cap ${round(c.totalWork / cap)})`,
    "",
    s.bold("gsd-async schedule"),
    ...renderGanttText(label(c.timelines.scheduler), c.scheduler),
  );
  io.out(lines.join("\n") + "\n");
  return "ok";
}
