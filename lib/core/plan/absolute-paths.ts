/**
 * Absolute paths written in plan text: a drive (`C:\` or `C:/`), `/` or `~/` root at the start of
 * a line or after a space, quote, backtick or opening bracket, then a run of path characters.
 *
 * The same matches, in the same order, as
 * `/(?:^|[\s"'`([])((?:[A-Za-z]:[\\/]|\/|~\/)[^\s"'`()[\]<>|,;]+)/gm` (the test holds it to
 * that), but found from the slashes: that regular expression has no literal to search for, so
 * it is tried at every character of every plan, which cost as much as reading the plans.
 */
const PATH_RUN = /[^\s"'`()[\]<>|,;]+/y;
/** One search for either slash: an indexOf per slash kind would rescan the text for a backslash it never has. */
const SLASH = /[\\/]/g;
const BEFORE_ROOT = /[\s"'`([]/;
const LETTER = /[A-Za-z]/;

export function absolutePathsIn(text: string): string[] {
  const out: string[] = [];
  // Before `from`, characters belong to the last match and cannot start or precede another.
  let from = 0;
  // The character before a root: none (start of text), or one of BEFORE_ROOT (a newline is a space).
  const rootAfter = (i: number) => i < 0 || BEFORE_ROOT.test(text.charAt(i));
  for (let p = 0; p < text.length;) {
    SLASH.lastIndex = p;
    const slash = SLASH.exec(text)?.index ?? -1;
    if (slash < 0) break;
    p = slash + 1;
    let start = -1;
    if (slash - 2 >= from && text.charAt(slash - 1) === ":" && LETTER.test(text.charAt(slash - 2)) && rootAfter(slash - 3)) start = slash - 2;
    else if (text.charAt(slash) === "/" && slash - 1 >= from && text.charAt(slash - 1) === "~" && rootAfter(slash - 2)) start = slash - 1;
    else if (text.charAt(slash) === "/" && rootAfter(slash - 1)) start = slash;
    if (start < 0) continue;
    PATH_RUN.lastIndex = slash + 1;
    if (!PATH_RUN.test(text)) continue;
    out.push(text.slice(start, PATH_RUN.lastIndex));
    from = p = PATH_RUN.lastIndex;
  }
  return out;
}
