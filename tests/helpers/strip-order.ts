/**
 * A plan's text with `depends_on` and `wave` removed from its front matter, as if its author had
 * never written an order down: what inference alone has to go on. Block lists and flow lists
 * spread over several lines go with their key. Text without front matter is returned unchanged.
 */
export function stripOrder(text: string): string {
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length && ((lines[i] ?? "").trim() === "" || /^#{1,6}\s/.test(lines[i] ?? ""))) i++;
  if (!/^---\s*\r?$/.test(lines[i] ?? "")) return text;
  const isEnd = (l: string | undefined) => l !== undefined && /^(---|\.\.\.)\s*\r?$/.test(l);
  const brackets = (l: string) => (l.match(/\[/g)?.length ?? 0) - (l.match(/\]/g)?.length ?? 0);
  const out = lines.slice(0, i + 1);
  let j = i + 1;
  for (; j < lines.length && !isEnd(lines[j]); j++) {
    const line = lines[j] ?? "";
    const key = /^(depends_on|wave)\s*:(.*)$/.exec(line.replace(/\r$/, ""));
    if (!key) {
      out.push(line);
      continue;
    }
    let open = brackets(key[2] ?? "");
    while (j + 1 < lines.length && !isEnd(lines[j + 1]) && (open > 0 || /^\s+\S|^-\s/.test(lines[j + 1] ?? ""))) {
      j++;
      open += brackets(lines[j] ?? "");
    }
  }
  return [...out, ...lines.slice(j)].join("\n");
}
