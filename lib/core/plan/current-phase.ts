/**
 * The phase STATE.md says the project is in: `Phase: 11 of 11 (Name)`, `**Phase:** 3 of 8`,
 * `Phase: 02.1 of 9`, `Phase: 07 (slug) — EXECUTING`, `Current Phase: 36B`.
 *
 * STATE.md is a running log: phases are named everywhere (`Last activity: Phase 3 completed`,
 * decision lists, progress tables, old "Current Position" sections further down). Only one line
 * is authoritative, found by this rule:
 * 1. The FIRST heading that starts with "Current Position" (or "Position", "Current Phase")
 *    owns the answer. Its phase is the `Phase:` / `Current Phase:` key line in the section's
 *    leading block of `Key: value` lines (bold, italic and bullets allowed, blank lines allowed).
 *    The block ends at the first line that is not a key line, so a `Phase:` buried in prose or
 *    history later in that section is never taken. No key line there means "not stated".
 * 2. Without such a section, the first `Phase:` / `Current Phase:` key line anywhere outside
 *    fenced code. Table rows, quotes and prose never match: the key must start the line.
 * The key is matched with a capital P so YAML front-matter keys (`phase:`) are not read; the
 * corpus has no front-matter form of the current phase (`progress.total_phases` counts only the
 * current milestone's phases), so none is read.
 * The value must start with a phase number (`11`, `02.1`, `3.9.4`, `36B`); otherwise
 * (`Phase: All complete (19/19)`, `Phase: Milestone Closeout`) there is no current phase.
 */
export interface CurrentPhase {
  /** As written: `02.1`, `11`, `36B`. */
  phase: string;
  /** From `N of M`. */
  total?: number;
  /** The parenthesised text right after the number (and total), e.g. `Tool Registry`. */
  name?: string;
  /** 1-based line of the `Phase:` key line. */
  line: number;
}

const SECTION = /^\s*#{1,6}\s+(?:current\s+position|position|current\s+phase)\b/i;
const HEADING = /^\s*#{1,6}\s/;
const FENCE = /^\s*(```|~~~)/;
/** A `Key: value` line once emphasis and bullets are gone. */
const KEY_LINE = /^([A-Za-z][\w ./()&-]{0,40}?)\s*:\s*(.*)$/;
const PHASE_KEY = /^(?:Current |CURRENT )?(?:Phase|PHASE)$/;
const VALUE = /^(?:Phase\s+)?(\d+(?:\.\d+)*[A-Za-z]?)(?![\w.\-/])(?:\s+of\s+(\d+)(?![\w.]))?\s*/;

export function parseCurrentPhase(text: string): CurrentPhase | undefined {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  const section = lines.findIndex((l) => SECTION.test(l));
  if (section >= 0) {
    for (let i = section + 1; i < lines.length; i++) {
      const raw = lines[i] ?? "";
      if (raw.trim() === "") continue;
      const key = keyLine(raw);
      if (key === undefined || HEADING.test(raw)) return undefined;
      if (PHASE_KEY.test(key.key)) return phaseValue(key.value, i + 1);
    }
    return undefined;
  }
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    if (FENCE.test(raw)) {
      inFence = !inFence;
      continue;
    }
    const key = inFence ? undefined : keyLine(raw);
    if (key !== undefined && PHASE_KEY.test(key.key)) return phaseValue(key.value, i + 1);
  }
  return undefined;
}

/** `**Phase:** 3`, `- Phase: 3`, `*Phase*: 3`, `__Phase__: 3` -> { key: "Phase", value: "3" }. */
function keyLine(raw: string): { key: string; value: string } | undefined {
  const plain = raw
    .replace(/^\s*(?:[-+*]\s+)?/, "")
    .replace(/\*+/g, "")
    .replace(/^_+|_+(?=\s*:)|_+$/g, "")
    .trim();
  const m = KEY_LINE.exec(plain);
  if (m?.[1] === undefined) return undefined;
  return { key: m[1].trim(), value: (m[2] ?? "").trim() };
}

function phaseValue(value: string, line: number): CurrentPhase | undefined {
  const m = VALUE.exec(value);
  if (m?.[1] === undefined) return undefined;
  const out: CurrentPhase = { phase: m[1], line };
  if (m[2] !== undefined) out.total = Number(m[2]);
  const name = parenthesised(value.slice(m[0].length));
  if (name !== undefined) out.name = name;
  return out;
}

/** Text inside a leading balanced `( ... )`, so `(Phase A (hotfix))` keeps its inner parens. */
function parenthesised(rest: string): string | undefined {
  if (!rest.startsWith("(")) return undefined;
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "(") depth++;
    else if (rest[i] === ")" && --depth === 0) {
      const inner = rest.slice(1, i).trim();
      return inner === "" ? undefined : inner;
    }
  }
  return undefined;
}
