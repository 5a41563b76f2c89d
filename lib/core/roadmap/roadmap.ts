import { type Diagnostic, diagnostic, sortDiagnostics } from "../common/diagnostic";
import type { ParsedRoadmap, RoadmapPhase } from "./roadmap-types";
import { isSeparatorRow, isTableLine, progressHeader, progressRow } from "./roadmap-progress";
import { roadmapPhaseId } from "./roadmap-refs";
import { resolveDepends } from "./roadmap-resolve";

/**
 * ROADMAP.md as data: its phases, where each is written, what it depends on, and what the
 * roadmap itself says about its state (checkbox, progress table).
 *
 * A phase is introduced by any of three forms, merged by normalised number (`02.1` = `2.1`):
 * a heading `### Phase 2.1: Name (INSERTED)` (any level; `## Phase 36B: ...`; a line that is
 * only `**Phase 15: Name**` counts as the lowest heading), a list item `- [x] **Phase 2: Name**`
 * / `- [ ] Phase 2: Name (2/3 plans)` / `- Phase 27: Name` (no checkbox), and a progress-table row.
 * Phase ids are keys, never numbers: `2.1` can never overwrite `2`.
 * A `Depends on` line (`**Depends on**:`, `**Depends on:**`, `Depends on:`, `- **Dependencies:**`)
 * belongs to the phase heading above it until a heading of the same or a higher level, or to
 * the checklist item it is indented under. Fenced code and HTML comments are skipped.
 * The same form twice for one phase is a duplicate: the first one counts, the later one is
 * reported and ignored (its dependencies too), so a copy never silently replaces the original.
 */
const PHASE_ID = String.raw`(\d+(?:\.\d+)*[A-Za-z]?|[A-Z])`;
const SEP = String.raw`(?=\s*(?::|\.\s|\s[-—–]\s|\*|$))[*_]*\s*(?::|\.(?=\s)|[-—–](?=\s))?`;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const PHASE_HEADING = new RegExp(String.raw`^(?:~~)?[*_]*Phase\s+${PHASE_ID}${SEP}\s*(.*)$`);
const BOLD_HEADING = new RegExp(String.raw`^\*\*Phase\s+${PHASE_ID}${SEP}\s*(.*?)\*\*\s*$`);
const LIST_ITEM = new RegExp(String.raw`^(\s*)[-*+]\s+(?:\[([ xX✓✔])\]\s+)?(?:~~)?[*_]*\s*Phase\s+${PHASE_ID}${SEP}\s*(.*)$`);
const DEPENDS = /^(\s*)(?:[-*+]\s+)?[*_]{0,2}\s*(?:depends\s+on|dependencies)\s*[*_]{0,2}\s*:\s*[*_]{0,2}\s*(.*)$/i;

/** The name part of a heading or checklist item, without status notes and markers. */
function cleanName(rest: string): string {
  const bold = /^(.*?)\*\*/.exec(rest);
  let name = bold ? (bold[1] as string) : (rest.split(/\s[—–]\s|\s\(\d+\/\d+ plans?\)/)[0] ?? rest);
  name = name.replace(/[([]?\s*INSERTED\s*[)\]]?/gi, "").replace(/\s[—–-]+\s*$/, "");
  return name.replace(/[*_~`]/g, "").trim();
}

type Kind = "heading" | "item" | "progress";

export function parseRoadmap(text: string, file: string): ParsedRoadmap {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, RoadmapPhase>();
  const lines = text.split("\n");
  let fence: string | undefined;
  let inComment = false;
  let section: { phase: RoadmapPhase; level: number } | undefined;
  let item: { phase: RoadmapPhase; indent: number } | undefined;
  let statusColumn = -1;

  const entry = (kind: Kind, written: string, line: number, name: string, inserted: boolean): RoadmapPhase => {
    const id = roadmapPhaseId(written) as string;
    let p = byId.get(id);
    if (!p) {
      p = { id, written, name, line, inserted, depends: [], dependsOn: [], unresolved: [] };
      byId.set(id, p);
      return p;
    }
    const first = kind === "heading" ? p.heading : kind === "item" ? p.item : p.progress?.line;
    if (first !== undefined) {
      diagnostics.push(
        diagnostic(
          "warning",
          "roadmap-duplicate-phase",
          `Phase ${written} is listed again (first at line ${first}); the first ${kind === "heading" ? "heading" : kind === "item" ? "list item" : "progress row"} counts, this one is ignored`,
          { file, line },
        ),
      );
      return { id, written, name, line, inserted, depends: [], dependsOn: [], unresolved: [] };
    }
    if (kind === "heading" || (p.heading === undefined && kind === "item")) {
      p.line = line;
      if (name !== "") p.name = name;
    }
    p.inserted ||= inserted;
    return p;
  };

  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, "");
    const n = i + 1;
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      const mark = (f[1] as string).charAt(0);
      if (fence === undefined) fence = mark;
      else if (mark === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    if (inComment) {
      inComment = !line.includes("-->");
      continue;
    }
    if (/^\s*<!--/.test(line) && !line.includes("-->")) {
      inComment = true;
      continue;
    }
    if (statusColumn >= 0 && isTableLine(line)) {
      const row = isSeparatorRow(line) ? undefined : progressRow(line, statusColumn, n);
      if (row) entry("progress", row.id, n, row.name, /\bINSERTED\b/.test(line)).progress ??= row;
      continue;
    }
    statusColumn = progressHeader(line);
    if (statusColumn >= 0) continue;

    const h = HEADING.exec(line);
    const bold = h ? undefined : BOLD_HEADING.exec(line);
    if (h || bold) {
      // A bold line is a heading below `######`: it ends at any real heading or the next one.
      const level = h ? (h[1] as string).length : 7;
      const ph = h ? PHASE_HEADING.exec(h[2] as string) : bold;
      item = undefined;
      if (ph) {
        const p = entry("heading", ph[1] as string, n, cleanName(ph[2] ?? ""), /\bINSERTED\b/i.test(line));
        p.heading ??= n;
        section = { phase: p, level };
      } else if (section && level <= section.level) section = undefined;
      continue;
    }
    const c = LIST_ITEM.exec(line);
    if (c) {
      const p = entry("item", c[3] as string, n, cleanName(c[4] ?? ""), /\bINSERTED\b/i.test(line));
      if (p.item === undefined) {
        p.item = n;
        if (c[2] !== undefined) p.checkbox = { checked: c[2] !== " ", line: n };
      }
      item = { phase: p, indent: (c[1] as string).length };
      continue;
    }
    const d = DEPENDS.exec(line);
    if (d) {
      const under = item && (d[1] as string).length > item.indent ? item.phase : section?.phase;
      if (under) under.depends.push({ text: (d[2] as string).trim(), line: n });
      else
        diagnostics.push(
          diagnostic("warning", "roadmap-depends-orphan", "this Depends on line is not under a phase heading or checklist item; it is ignored", {
            file,
            line: n,
          }),
        );
      continue;
    }
    if (line.trim() !== "" && !/^\s/.test(line)) item = undefined;
  }

  const phases = [...byId.values()];
  if (phases.length === 0)
    diagnostics.push(
      diagnostic("info", "roadmap-no-phases", "no phases found (no `### Phase N: Name` headings, `- [ ] Phase N:` items or progress-table rows)", { file }),
    );
  diagnostics.push(...resolveDepends(phases, file));
  return { file, phases, diagnostics: sortDiagnostics(diagnostics) };
}

export type { ParsedRoadmap, RoadmapDep, RoadmapDepKind, RoadmapDepends, RoadmapPhase } from "./roadmap-types";
