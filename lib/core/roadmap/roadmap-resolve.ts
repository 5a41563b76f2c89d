import { compareText } from "../common/compare-text";
import { type Diagnostic, diagnostic } from "../common/diagnostic";
import { comparePhaseNumbers, isPhaseNumber } from "../plan/phase-number";
import type { RoadmapDep, RoadmapPhase } from "./roadmap-types";
import { type PhaseRef, parseDependsText } from "./roadmap-refs";

/**
 * Turns each phase's `Depends on` text into prerequisites among the roadmap's phases.
 * - A phase never depends on itself: naming it is a warning and dropped; a range that
 *   includes it (`Phases 1-5` under Phase 3) means the others.
 * - A range covers every listed phase between its ends, inserted decimals included
 *   (`1-3` covers 2.1), found by binary search over the phases in number order, so a range
 *   costs its size, not the roadmap's.
 * - A descending pair (`Phase 5-02`) is a plan id, not a range: it means phase 5.
 * - Anything not in the roadmap is kept as `unresolved` for the analysis, which knows the
 *   phase directories and decides between "archived elsewhere" and "unknown".
 */
export function resolveDepends(phases: readonly RoadmapPhase[], file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map(phases.map((p) => [p.id, p]));
  const numbered = phases.filter((p) => isPhaseNumber(p.id)).sort((a, b) => comparePhaseNumbers(a.id, b.id));
  const letters = phases.filter((p) => !isPhaseNumber(p.id)).sort((a, b) => compareText(a.id, b.id));

  const inRange = (lo: string, hi: string): RoadmapPhase[] => {
    if (!isPhaseNumber(lo) || !isPhaseNumber(hi)) return letters.filter((p) => p.id >= lo && p.id <= hi);
    let a = 0;
    let b = numbered.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (comparePhaseNumbers((numbered[mid] as RoadmapPhase).id, lo) < 0) a = mid + 1;
      else b = mid;
    }
    const out: RoadmapPhase[] = [];
    for (let k = a; k < numbered.length && comparePhaseNumbers((numbered[k] as RoadmapPhase).id, hi) <= 0; k++) out.push(numbered[k] as RoadmapPhase);
    return out;
  };

  for (const p of phases) {
    const seen = new Set<string>();
    const add = (id: string, line: number, kind: RoadmapDep["kind"]) => {
      if (seen.has(id)) return;
      seen.add(id);
      p.dependsOn.push({ id, line, kind });
    };
    for (const d of p.depends) {
      const parsed = parseDependsText(d.text);
      const where = { file, line: d.line };
      if (!parsed.nothing && parsed.refs.length === 0) {
        diagnostics.push(
          diagnostic(
            "info",
            "roadmap-depends-unparsed",
            `Phase ${p.written}: 'Depends on: ${clip(d.text)}' names no phase number; no prerequisite is recorded`,
            where,
          ),
        );
      }
      for (const ref of parsed.refs) {
        const kind = ref.fromNote ? "note" : "declared";
        const range = rangeOf(ref);
        if (range === undefined) {
          if (ref.id === p.id)
            diagnostics.push(diagnostic("warning", "roadmap-depends-self", `Phase ${p.written} lists itself in 'Depends on: ${clip(d.text)}'; ignored`, where));
          else if (byId.has(ref.id)) add(ref.id, d.line, kind);
          else p.unresolved.push({ id: ref.id, line: d.line, text: d.text });
          continue;
        }
        const members = inRange(range.lo, range.hi).filter((m) => m.id !== p.id);
        if (members.length === 0) p.unresolved.push({ id: range.lo, to: range.hi, line: d.line, text: d.text });
        for (const m of members) add(m.id, d.line, ref.fromNote ? "note" : "range");
      }
    }
  }
  return diagnostics;
}

function rangeOf(ref: PhaseRef): { lo: string; hi: string } | undefined {
  if (ref.to === undefined) return undefined;
  const numeric = isPhaseNumber(ref.id) && isPhaseNumber(ref.to);
  const descending = numeric ? comparePhaseNumbers(ref.id, ref.to) > 0 : ref.id > ref.to;
  return descending ? undefined : { lo: ref.id, hi: ref.to };
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
