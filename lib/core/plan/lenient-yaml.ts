/**
 * A forgiving reader for the front matter of plans whose YAML does not parse, and for the raw
 * text of values YAML would change (`01` read as the number 1). It understands exactly what
 * plans use: top-level `key: value` lines, inline `[a, b]` lists and indented `- item` lists;
 * anything else is skipped. Values stay strings, as written.
 */
/** Reads `key: value` lines and `  - item` lists when the YAML itself is broken. */
export function lenientYaml(yaml: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let listKey: string | undefined;
  for (const raw of yaml.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const key = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (key && key[1] !== undefined) {
      const value = (key[2] ?? "").replace(/\s+#.*$/, "").trim();
      listKey = undefined;
      if (value === "") {
        out[key[1]] = [];
        listKey = key[1];
      } else if (value.startsWith("[") && value.endsWith("]")) {
        out[key[1]] = splitInline(value.slice(1, -1));
      } else {
        out[key[1]] = unquote(value);
      }
      continue;
    }
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item && listKey !== undefined) {
      const list = out[listKey];
      if (Array.isArray(list)) list.push(unquote((item[1] ?? "").trim()));
    } else if (line.trim() !== "" && !/^\s/.test(line)) {
      listKey = undefined;
    }
  }
  return out;
}

/** Splits `a, "b, c", 'd'` at the commas outside quotes. */
function splitInline(inner: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ",") {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts.map((s) => unquote(s.trim())).filter((s) => s !== "");
}

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/, "$2");
}
