/**
 * A token count as people type it: `45000`, `45_000`, `45,000`, `45k`, `1.5M`. Returns the
 * whole number, or a reason. Pure, so the CLI and tests agree on what is accepted.
 */
export type TokenCount = { ok: true; tokens: number } | { ok: false; reason: string };

const SUFFIX: Record<string, number> = { "": 1, k: 1_000, m: 1_000_000 };

export function parseTokenCount(text: string, allowZero = false): TokenCount {
  const m = /^\s*(\d+(?:[_,]\d{3})*(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(text);
  const bad = { ok: false as const, reason: `'${text}' is not a token count (examples: 45000, 45k, 1.5M)` };
  if (!m || m[1] === undefined) return bad;
  const n = Number(m[1].replace(/[_,]/g, "")) * (SUFFIX[(m[2] ?? "").toLowerCase()] ?? 1);
  if (!Number.isFinite(n) || !Number.isInteger(n)) return { ok: false, reason: `'${text}' is not a whole number of tokens` };
  if (n > 1e12) return { ok: false, reason: `'${text}' is more tokens than any model's context` };
  if (n === 0 && !allowZero) return { ok: false, reason: "a reservation must be above 0 tokens" };
  return { ok: true, tokens: n };
}
