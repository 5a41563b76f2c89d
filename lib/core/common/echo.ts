/**
 * Every user string gsd-async repeats back (in a diagnostic, a reason, a JSON field) goes
 * through `echo`: one line, at most `ECHO_LIMIT` characters, and when cut it says how long the
 * original was. A 200 KB value in a plan costs a diagnostic of a hundred characters.
 */
export const ECHO_LIMIT = 120;
/** The ceiling for a whole diagnostic message, which may quote several values. */
export const MESSAGE_LIMIT = 1000;

const LINE_BREAKS = /[\n\r\u2028\u2029]/g;

/** `text` cut to `limit` characters with an ellipsis and the original length; never splits a surrogate pair. */
export function bounded(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let head = text.slice(0, Math.max(0, limit - 1));
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${head}… (${text.length} characters)`;
}

/** A user value as quoted in a message: line breaks as `\n`, bounded. */
export function echo(value: unknown, limit = ECHO_LIMIT): string {
  const text = typeof value === "string" ? value : describe(value);
  return bounded(text, limit).replace(LINE_BREAKS, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : `\\u${c.charCodeAt(0).toString(16)}`));
}

/** A short description of a non-string YAML value: `[list of 2]`, `{a map}`, `42`, `null`. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `[a list of ${value.length}]`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid date" : value.toISOString();
  if (typeof value === "object") return `{a map with keys ${bounded(Object.keys(value).join(", "), 60)}}`;
  return String(value);
}
