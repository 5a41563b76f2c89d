import type { Slot } from "../core/schedule/simulate";

/** A text Gantt chart: one row per plan, `width` characters for the whole makespan. */
export function renderGanttText(slots: readonly Slot[], makespan: number, width = 60): string[] {
  if (slots.length === 0 || makespan <= 0) return [];
  const scale = width / makespan;
  const idWidth = Math.max(...slots.map((s) => s.id.length));
  const rows = [...slots].sort((a, b) => a.start - b.start || a.lane - b.lane);
  return rows.map((s) => {
    const from = Math.round(s.start * scale);
    const to = Math.max(from + 1, Math.round(s.end * scale));
    return `  ${s.id.padEnd(idWidth)} |${" ".repeat(from)}${"█".repeat(to - from)}${" ".repeat(Math.max(0, width - to))}| ${fmt(s.start)}-${fmt(s.end)} min`;
  });
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Mermaid `gantt`: minutes are drawn as seconds from 00:00, since Mermaid needs a date axis. */
export function renderGanttMermaid(title: string, sections: { name: string; slots: readonly Slot[] }[]): string {
  const lines = ["gantt", `  title ${title.replace(/[:#;]/g, " ")}`, "  dateFormat X", "  axisFormat %s"];
  for (const sec of sections) {
    lines.push(`  section ${sec.name}`);
    for (const s of [...sec.slots].sort((a, b) => a.start - b.start)) {
      lines.push(`  ${s.id.replace(/[:#;]/g, " ")} : ${Math.round(s.start * 60)}, ${Math.max(1, Math.round((s.end - s.start) * 60))}s`);
    }
  }
  return lines.join("\n") + "\n";
}
