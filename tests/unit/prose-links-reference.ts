/**
 * The plan-mention parser as it was before it skipped lines and patterns that cannot match: the
 * reference the faster one is held to (tests/unit/prose-links-guards.test.ts).
 */
import type { PlanMention } from "../../lib/core/plan/prose-links";

const FULL_ID = /(?<![\w./\\-])(\d{1,3}(?:\.\d{1,2})?[A-Za-z]?)-(\d{1,3}[A-Za-z]?)(?!\w|\.\w|-\d)/g;
const DOTTED_ID = /(?<![\w./\\-])(\d{1,3})\.(\d{1,2}[A-Za-z]?)(?!\w|\.\w|-\d)/g;
const PLAN_WORD = /\b[Pp]lans?\s+(\d{1,3}[A-Za-z]?(?:\s*(?:,|\/|&|\+|and|or)\s*\d{1,3}[A-Za-z]?)*)(?!\w|\.\w|-\d)/g;
const PHASE_BEFORE = /\b[Pp]hase\s+(\d{1,3}(?:\.\d{1,2})?[A-Za-z]?)(?:['’]s)?\s*[,:]?\s*$/;
const UNRELATED =
  /\b(?:parallel|concurrent(?:ly)?|independent(?:ly)?|same wave|no (?:\w+ )?(?:dependency|dependencies|overlaps?|conflicts?|coupling)|(?:does|do|doesn['’]t|don['’]t|not|never|no need to) (?:depend|wait|block|need|require|touch|overlap|conflict))/i;
const MAX_TEXT = 200;

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
  for (const m of line.matchAll(FULL_ID)) {
    const at = m.index ?? 0;
    keep({ phase: m[1] as string, plan: m[2] as string, line: lineNo, text: sentenceAt(line, at) });
  }
  for (const m of line.matchAll(DOTTED_ID)) {
    const at = m.index ?? 0;
    keep({ phase: m[1] as string, plan: m[2] as string, dotted: true, line: lineNo, text: sentenceAt(line, at) });
  }
  for (const m of line.matchAll(PLAN_WORD)) {
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
export function referenceMentions(body: string, lineOffset = 0): PlanMention[] {
  const out: PlanMention[] = [];
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/\r$/, "");
    if (/\d/.test(line) && (/[-.]\d/.test(line) || /[Pp]lan/.test(line))) out.push(...mentionsInLine(line, i + 1 + lineOffset));
  }
  return out;
}
