import { isPhaseNumber, normalizePhaseNumber } from "../plan/phase-number";

/**
 * What a ROADMAP.md `Depends on` line names. Authors write anything from `Phase 2` to a
 * paragraph; the rules, in order:
 * 1. `Nothing`, `None`, `N/A` (with any note after them) mean no prerequisite at all.
 * 2. Text in parentheses or brackets is a note: `Phase 31 (builds on Phase 30's queue)`
 *    depends on 31 only. Only when the text outside the notes names no phase (`v1.2 complete
 *    (Phase 12)`) are the notes read instead, and those references are marked as such.
 * 3. A clause (split at `;`, a sentence end or a spaced em dash) stops at a negation or
 *    ordering cue: `Phase 38; independent of Phase 39` depends on 38 only, and `Phase 52;
 *    sequenced before Phase 56` on 52 only. Reading stops at the first clause without a
 *    reference once one was found: prose after the list (`... . NOTE: this did not depend on
 *    Phase 170`) is commentary.
 * 4. A reference is `Phase N` / `Phases N` followed by a list (`, N`, `and N`, `& N`, `/ N`,
 *    `+ Phase N`, `or N`) and ranges (`1-3`, `39–42`, `5 to 7`). Numbers without the word
 *    Phase count only at the very start, ended by punctuation or a note (`Depends on: 1, 2`,
 *    `155 (undo fencing) ...`), never inside prose. Milestone versions (`v1.2`) are never
 *    phase numbers.
 */
export interface PhaseRef {
  /** Normalised phase id: `2`, `2.1`, `36B`, or a provisional letter `A`. */
  id: string;
  /** Upper end of a range (`Phases 1-3`), normalised; absent for a single phase. */
  to?: string;
  /** Read from a parenthetical note because the main text named no phase. */
  fromNote: boolean;
}

export interface DependsText {
  refs: PhaseRef[];
  /** The text says there is no prerequisite (`Nothing (first phase)`). */
  nothing: boolean;
}

/** A phase id as written in a roadmap: a number (`02.1`, `36b`) or a provisional letter (`A`). */
const ID = String.raw`(?:\d+(?:\.\d+)*(?:[A-Za-z](?![A-Za-z0-9]))?(?!\d|\.\d)|[A-Z](?![A-Za-z0-9]))`;
// Case-sensitive on purpose: a lone capital letter is a provisional phase (`Phase A`), while
// `phase a` in prose is not.
const FIRST = new RegExp(String.raw`\b[Pp]hases?\s+(${ID})`, "g");
const NEXT = new RegExp(String.raw`^\s*(?:(,\s*(?:and|&)?|&|\+|\/|and|or)\s*(?:[Pp]hases?\s+)?|(-|–|to|through|thru|\.\.)\s*(?:[Pp]hase\s+)?)(${ID})`);
const BARE_LIST = new RegExp(String.raw`^\s*${ID}(?:\s*(?:,|&|and|-|–)\s*${ID})*(?=\s*(?:$|[,;.(]))`);
const NOTHING = /^\s*(?:nothing|none|n\/a|no\s+(?:prerequisites?|dependenc(?:y|ies)))\b/i;
const NEGATION =
  /\b(?:independent(?:ly)?\s+of|(?:can\s+run\s+)?(?:in\s+)?parallel(?:-eligible|-friendly)?\s+(?:with|to)|no\s+(?:hard\s+|code\s+|intra-[\w-]+\s+)?dependenc(?:y|ies)|not\s+(?:on|depend\w*|blocked)|(?:does|did)\s*n[o']t|except|unlike|without|before|precedes)\b/i;

/** `02.1` -> `2.1`, `36b` -> `36B`, `a` -> `A`; undefined when the token is not a phase id. */
export function roadmapPhaseId(token: string): string | undefined {
  const t = token.trim();
  if (isPhaseNumber(t)) return normalizePhaseNumber(t);
  return /^[A-Za-z]$/.test(t) ? t.toUpperCase() : undefined;
}

/** Splits text into what is outside parentheses/brackets and what is inside them. */
function splitNotes(text: string): { main: string; notes: string } {
  let depth = 0;
  let main = "";
  let notes = "";
  for (const ch of text) {
    if (ch === "(" || ch === "[") {
      depth++;
      main += " ";
      notes += depth === 1 ? "; " : " ";
    } else if ((ch === ")" || ch === "]") && depth > 0) {
      depth--;
      main += " ";
    } else if (depth > 0) notes += ch;
    else main += ch;
  }
  return { main, notes };
}

function scan(text: string, fromNote: boolean): PhaseRef[] {
  const refs: PhaseRef[] = [];
  const add = (a: string, b?: string) => {
    const id = roadmapPhaseId(a);
    if (id === undefined) return;
    const to = b === undefined ? undefined : roadmapPhaseId(b);
    refs.push(to === undefined || to === id ? { id, fromNote } : { id, to, fromNote });
  };
  for (const raw of text.split(/;|\.(?:\s|$)|\s—\s/)) {
    const cue = NEGATION.exec(raw);
    const clause = cue ? raw.slice(0, cue.index) : raw;
    FIRST.lastIndex = 0;
    const found = refs.length;
    for (let m = FIRST.exec(clause); m; m = FIRST.exec(clause)) {
      let pos = m.index + m[0].length;
      let pending: string | undefined = m[1] as string;
      for (let n = NEXT.exec(clause.slice(pos)); n; n = NEXT.exec(clause.slice(pos))) {
        const id = n[3] as string;
        if (n[2] !== undefined && pending !== undefined) {
          add(pending, id);
          pending = undefined;
        } else {
          if (pending !== undefined) add(pending);
          pending = id;
        }
        pos += n[0].length;
      }
      if (pending !== undefined) add(pending);
      FIRST.lastIndex = pos;
    }
    if (found > 0 && refs.length === found) break;
  }
  return refs;
}

/** A bare `1, 2` or `1-3` opening the text: the only form without the word Phase. */
function bareList(text: string): PhaseRef[] {
  const m = BARE_LIST.exec(text);
  return m ? scan(`Phase ${m[0].trim()}`, false) : [];
}

export function parseDependsText(text: string): DependsText {
  const clean = text
    .replace(/<!--.*?(?:-->|$)/g, " ")
    .replace(/\*\*|__|`|~~/g, "")
    .trim();
  if (clean === "" || NOTHING.test(clean)) return { refs: [], nothing: true };
  const { main, notes } = splitNotes(clean);
  const refs = scan(main, false);
  if (refs.length > 0) return { refs, nothing: false };
  const bare = bareList(clean);
  if (bare.length > 0) return { refs: bare, nothing: false };
  return { refs: scan(notes, true), nothing: false };
}
