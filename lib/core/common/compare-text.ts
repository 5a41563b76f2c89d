/**
 * Plain code-unit order for strings: deterministic, locale-free and cheap. Used wherever output
 * order must be stable (diagnostics, history retention, ISO timestamps, sorted keys) without
 * paying for an ICU collator in a short-lived CLI process.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
