import { forEachLineWith } from "../common/lines-with";

/**
 * Plans named in a plan's prose: "added by Plan 01", "uses the table from 16-01", an
 * `<interfaces>` block saying "From 02-03: ...". Each mention keeps the sentence it was found
 * in, which becomes the reason of a `prose` edge.
 *
 * Rules (chosen from what real plans write):
 * - `NN-MM` (phase, dash, plan) with no digit, dot, dash, slash or letter glued to either side,
 *   so dates (`2026-01-15`), versions and paths do not count; `NN-MM-SUMMARY.md` does.
 * - `NN.M` likewise, but it only names a plan in trees whose plan ids are dotted (`01.3-PLAN.md`).
 * - `Plan MM`, `Plans 01 and 02`, `plans 01/02, 03` (a list of plan numbers after the word),
 *   unless "Phase NN" comes right before it: then the phase is that one.
 * - A sentence that says the plans are unrelated ("in parallel with Plan 02", "independent",
 *   "same wave", "no file overlaps with", "does not depend on") names no prerequisite: its
 *   mentions are dropped.
 */
export interface PlanMention {
  /** Phase number as written, when the mention names one. */
  phase?: string;
  /** Plan token as written (`01`, `3a`). */
  plan: string;
  /** Written `NN.M`, as trees that name plans `01.3-PLAN.md` do. */
  dotted?: boolean;
  /** 1-based line in the plan file. */
  line: number;
  /** The sentence, trimmed to at most 200 characters. */
  text: string;
}

const FULL_ID = /(?<![\w./\\-])(\d{1,3}(?:\.\d{1,2})?[A-Za-z]?)-(\d{1,3}[A-Za-z]?)(?!\w|\.\w|-\d)/g;
const DOTTED_ID = /(?<![\w./\\-])(\d{1,3})\.(\d{1,2}[A-Za-z]?)(?!\w|\.\w|-\d)/g;
const PLAN_WORD = /\b[Pp]lans?\s+(\d{1,3}[A-Za-z]?(?:\s*(?:,|\/|&|\+|and|or)\s*\d{1,3}[A-Za-z]?)*)(?!\w|\.\w|-\d)/g;
const PHASE_BEFORE = /\b[Pp]hase\s+(\d{1,3}(?:\.\d{1,2})?[A-Za-z]?)(?:['’]s)?\s*[,:]?\s*$/;
const UNRELATED =
  /\b(?:parallel|concurrent(?:ly)?|independent(?:ly)?|same wave|no (?:\w+ )?(?:dependency|dependencies|overlaps?|conflicts?|coupling)|(?:does|do|doesn['’]t|don['’]t|not|never|no need to) (?:depend|wait|block|need|require|touch|overlap|conflict))/i;
const MAX_TEXT = 200;
/**
 * What each pattern above cannot match without, found by a search the engine does quickly (the
 * patterns start with a look-behind, tried at every character): a line without it is skipped.
 * FULL_ID has a digit or letter-after-digit before its `-` and a digit after it.
 */
const HAS_FULL = /\d[A-Za-z]?-\d/;
const HAS_DOTTED = /\d\.\d/;
const HAS_PLAN = /[Pp]lans?\s+\d/;
const NONE: readonly RegExpMatchArray[] = [];
/** What every line that can hold a mention contains (see parsePlanMentions). */
const CANDIDATE = /[-.]\d|[Pp]lan/g;

/** The sentence of `line` around character `at`. */
function sentenceAt(line: string, at: number): string {
  const before = line.slice(0, at);
  const start = Math.max(before.lastIndexOf(". "), before.lastIndexOf("; ")) + 1;
  const rest = line.slice(at);
  const endRel = rest.search(/[.;](?:\s|$)/);
  const end = endRel < 0 ? line.length : at + endRel + 1;
  return line
    .slice(start, end)
    .replace(/<\/?[A-Za-z_][\w-]*>/g, " ")
    .replace(/^[\s>*#|-]+/, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_TEXT);
}

function mentionsInLine(line: string, lineNo: number): PlanMention[] {
  const out: PlanMention[] = [];
  // The mention's text is its sentence: a sentence saying the plans are unrelated drops it.
  const keep = (m: PlanMention) => {
    if (!UNRELATED.test(m.text)) out.push(m);
  };
  for (const m of HAS_FULL.test(line) ? line.matchAll(FULL_ID) : NONE) {
    const at = m.index ?? 0;
    keep({ phase: m[1] as string, plan: m[2] as string, line: lineNo, text: sentenceAt(line, at) });
  }
  for (const m of HAS_DOTTED.test(line) ? line.matchAll(DOTTED_ID) : NONE) {
    const at = m.index ?? 0;
    keep({ phase: m[1] as string, plan: m[2] as string, dotted: true, line: lineNo, text: sentenceAt(line, at) });
  }
  for (const m of HAS_PLAN.test(line) ? line.matchAll(PLAN_WORD) : NONE) {
    const at = m.index ?? 0;
    const phase = PHASE_BEFORE.exec(line.slice(Math.max(0, at - 24), at))?.[1];
    const text = sentenceAt(line, at);
    for (const token of (m[1] as string).split(/\s*(?:,|\/|&|\+|and|or)\s*/)) {
      if (token === "") continue;
      const mention: PlanMention = { plan: token, line: lineNo, text };
      if (phase !== undefined) mention.phase = phase;
      keep(mention);
    }
  }
  return out;
}

/** Every plan mention in `body` (the text after the front matter), in order. Never throws. */
export function parsePlanMentions(body: string, lineOffset = 0): PlanMention[] {
  const out: PlanMention[] = [];
  // Only a line with `-1`/`.1` or "plan" in it can name a plan (found without splitting the body).
  forEachLineWith(body, CANDIDATE, (line, i) => {
    if (/\d/.test(line) && (/[-.]\d/.test(line) || /[Pp]lan/.test(line))) out.push(...mentionsInLine(line, i + 1 + lineOffset));
  });
  return out;
}
