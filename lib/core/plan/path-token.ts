import { MAX_ENTRY_CHARS, blankComments, decodeEntities, hasExtension, isNotAPath, looksLikePath } from "./path-syntax";

/**
 * Pulling a path out of the prose around it, as authors write it in `files_modified` items and
 * `<files>` elements: `src/a.ts (NEW)`, `"src/b.ts"  # why`, `` `c.ts` — note ``, `- d.ts`.
 *
 * Rule: the path is the first word (or the first quoted/backticked span, which may contain
 * spaces); whatever follows it is a note. When a note follows, the first word must look like
 * a path, so prose such as `None (verification only)` or `All files listed above` is dropped.
 */

const QUOTES = "\"'`";

/** First characters some trimPathWord rule removes or balances. */
const TRIM_FIRST = new Set(["`", "'", '"', "(", "[", "{"]);
/** Last characters some trimPathWord rule looks at (a digit ends `:12` and `#L3`). */
const TRIM_LAST = /[`'",;:.*)\]}0-9]/;

/** Index of the parenthesis closing the one at `s[0]`, or -1. */
function closingParen(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")" && --depth === 0) return i;
  }
  return -1;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * Rounds of `trimPathWord`: real words need two or three (`"src/a.ts:12",` -> `src/a.ts`). The
 * cap bounds the work on a hostile word (`a:1.:1.:1.` ... sheds one piece a round).
 */
const TRIM_ROUNDS = 8;

/** How much of a word's end the suffix rules look at: sentence punctuation is a few characters. */
const SUFFIX_WINDOW = 64;

/**
 * `w.replace(re, to)` for a `$`-anchored `re`, looking only at the word's last SUFFIX_WINDOW
 * characters (a regex scans from every start position, so the whole word would cost its length
 * per rule and round). A match reaching the window's start is redone on the whole word.
 */
function suffix(w: string, re: RegExp, to: string): string {
  if (w.length <= SUFFIX_WINDOW) return w.replace(re, to);
  const cut = w.length - SUFFIX_WINDOW;
  const tail = w.slice(cut);
  const m = re.exec(tail);
  if (m === null) return w;
  return m.index === 0 ? w.replace(re, to) : w.slice(0, cut) + tail.replace(re, to);
}

/**
 * Remove punctuation that belongs to the sentence, not the path. Stable (applying it twice is a
 * no-op) for every word that needs fewer than TRIM_ROUNDS rounds.
 */
export function trimPathWord(word: string): string {
  // Most words (`src/a.ts`) have nothing any rule below could remove: every rule needs a quote or
  // opening bracket first, or one of these characters last. Such a word is returned as it is,
  // as the first round would leave it unchanged and end the loop.
  if (!TRIM_FIRST.has(word.charAt(0)) && !TRIM_LAST.test(word.charAt(word.length - 1))) return word;
  let w = word;
  for (let prev = "", round = 0; prev !== w && round < TRIM_ROUNDS; round++) {
    prev = w;
    w = w.replace(/^[`'"]+/, "");
    w = suffix(w, /[`'"]+$/, "");
    w = suffix(w, /#L\d+(?:-L?\d+)?$/, ""); // GitHub-style line anchor
    w = suffix(w, /(.):\d+(?::\d+)?(?:-\d+)?$/, "$1"); // `path:line[:col][-end]`
    w = suffix(w, /[,;:]+$/, "");
    w = suffix(w, /([A-Za-z0-9])\.$/, "$1"); // full stop after a file name
    w = suffix(w, /(\.[A-Za-z0-9]+)\*\*$/, "$1"); // closing Markdown bold
    for (const [open, close] of [
      ["(", ")"],
      ["[", "]"],
      ["{", "}"],
    ] as const) {
      if (!w.endsWith(close) && !w.startsWith(open)) continue; // nothing to balance: skip the counts
      let opens = count(w, open);
      let closes = count(w, close);
      for (; w.endsWith(close) && closes > opens; closes--) w = w.slice(0, -1);
      for (; w.startsWith(open) && opens > closes; opens--) w = w.slice(1);
    }
  }
  return w;
}

/** Cut a note off a quoted span: `a b.ts (new)` -> `a b.ts`. */
function cutInnerNote(span: string): string {
  return span.replace(/\s(?:\(|#|[—–]|--?\s).*$/s, "").trim();
}

/**
 * The path-like word of one entry, cleaned, or undefined when the entry is empty, a comment,
 * a parenthetical note, a URL or prose.
 */
export function extractPathToken(raw: string): string | undefined {
  if (raw.length > MAX_ENTRY_CHARS) return undefined;
  let s = blankComments(decodeEntities(raw)).trim();
  s = s.replace(/^(?:[-*+•]|\d+[.)])\s+/, "").trim(); // list bullet
  if (s === "" || s.startsWith("#")) return undefined;
  s = s.replace(/\s#.*$/s, "").trim(); // YAML-style trailing comment
  // A leading note such as `(new) src/a.ts` or a whole-entry note `(none — read only)`; but
  // `(group)/page.tsx` is a route-group directory, so a `(...)` glued to more text stays.
  while (s.startsWith("(")) {
    const end = closingParen(s);
    if (end < 0) break; // unterminated: left to the word rules below
    if (end + 1 < s.length && !/\s/.test(s[end + 1] ?? "")) break;
    s = s.slice(end + 1).trim();
  }
  if (s === "") return undefined;

  let word: string;
  let rest: string;
  const quote = s[0] ?? "";
  const close = QUOTES.includes(quote) ? s.indexOf(quote, 1) : -1;
  if (close > 0) {
    word = cutInnerNote(s.slice(1, close));
    rest = s.slice(close + 1).trim();
  } else {
    word = /^\S+/.exec(s)?.[0] ?? "";
    rest = s.slice(word.length).trim();
    // `docs/Motion Spec.html`: a directory-like word then a bare `name.ext` is one spaced path.
    const tail = /^[^\s/()#]+\.[A-Za-z0-9]+(?=\s|$)/.exec(rest)?.[0];
    if (tail && word.includes("/") && !word.endsWith("/") && !hasExtension(word)) {
      word = `${word} ${tail}`;
      rest = rest.slice(tail.length).trim();
    }
  }
  word = trimPathWord(word);
  if (word === "" || isNotAPath(word)) return undefined;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(word)) return undefined; // URL, not a file
  if (rest !== "" && !looksLikePath(word)) return undefined;
  return word;
}

/** Split on `sep` outside (), [], {} and quotes, so `src/{a,b}.ts` and `(x, y)` stay whole. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === "`" || c === '"') quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth = Math.max(0, depth - 1);
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Words that join several paths in one phrase: `a.md -> a.de.md + a.en.md`, `x.pxi or y.pxi`. */
const CONNECTORS = new Set(["->", "→", "=>", "+", "&", "and", "or"]);

/**
 * One comma-separated piece of a files list: the paths it names. A phrase made only of paths
 * joined by connectors, or of space-separated words that all contain `/`, yields every path;
 * anything else yields the piece itself for `extractPathToken` to judge (first word, rest is a
 * note).
 */
export function splitJoinedPaths(piece: string): string[] {
  const core = piece
    .replace(/\s+\([^()]*\)/g, " ") // ` (new)`, ` (create x.md)`
    .replace(/\s+(?:[—–]|--|-|:)\s.*$/s, "") // ` — note`, ` - note`, `: note`
    .trim();
  const words = core.split(/\s+/).filter((w) => w !== "");
  if (words.length < 2) return [piece];
  const paths = words.filter((w) => !CONNECTORS.has(w.toLowerCase())).map(trimPathWord);
  // Without a connector, only words that all contain `/` are a list; `dir/Motion Spec.html`
  // is more likely one path with a space than two paths.
  const joined = paths.length < words.length;
  const isList = joined ? paths.every(looksLikePath) : paths.every((w) => w.includes("/"));
  return paths.length > 0 && isList ? paths : [piece];
}
