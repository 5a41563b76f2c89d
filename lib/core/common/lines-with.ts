/**
 * The lines of a text that can hold what a parser looks for, without splitting the whole text.
 *
 * Parsers that read plans line by line (prose mentions, `@` references) only act on the few
 * lines that contain a digit or an `@`: splitting every plan into lines and testing each one cost
 * more than the parsing itself (the corpus has about a million plan lines, one in ten of them
 * of interest). Here one search for `probe` over the whole text finds those lines, and only
 * they are cut out.
 *
 * A line is what `text.split("\n")` gives, less one trailing `\r` (CRLF files), and `index` is
 * its 0-based position in that split: the same lines, numbered the same, as a loop over the
 * split that skips every line without a match of `probe`. `probe` must not match a line break.
 */
export function forEachLineWith(text: string, probe: RegExp, visit: (line: string, index: number) => void): void {
  const search = new RegExp(probe.source, probe.flags.includes("g") ? probe.flags : `${probe.flags}g`);
  let index = 0;
  // Line breaks before `counted` are already in `index`.
  let counted = 0;
  for (let m = search.exec(text); m; m = search.exec(text)) {
    const start = text.lastIndexOf("\n", m.index - 1) + 1;
    for (let nl = text.indexOf("\n", counted); nl >= 0 && nl < start; nl = text.indexOf("\n", nl + 1)) index++;
    counted = start;
    const nl = text.indexOf("\n", m.index);
    const end = nl < 0 ? text.length : nl;
    const raw = text.slice(start, end);
    visit(raw.endsWith("\r") ? raw.slice(0, -1) : raw, index);
    if (nl < 0) return;
    // The rest of this line is visited already: go on from the next one.
    search.lastIndex = nl + 1;
  }
}
