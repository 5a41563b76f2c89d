/**
 * Whether an agent ended on a limit, from what Claude Code's StopFailure hook says: its `error`
 * (the matcher value) and the API error text. Measured on 2.1.197 and 2.1.332 (tests/e2e/README.md):
 * a 429 arrives as `rate_limit`, a 529 as `server_error` with "529" in the text; `overloaded` is in
 * the hook's list of values too. A usage limit of a subscription says so in its text ("usage limit",
 * "hit your limit"). Anything else (authentication, a bad request) is not a limit: it stays a failure.
 */
export const LIMIT_KINDS = ["rate_limit", "overloaded", "usage_limit"] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

const USAGE = /usage limit|hit your (?:\w+ )?limit|out of usage|limit reached/i;
const OVERLOAD = /\b529\b|overloaded/i;

export function limitKindOf(error: string | null, message: string | null): LimitKind | null {
  const text = message ?? "";
  if (USAGE.test(text)) return "usage_limit";
  if (error === "rate_limit") return "rate_limit";
  if (error === "overloaded") return "overloaded";
  if (error === "server_error" && OVERLOAD.test(text)) return "overloaded";
  if (error === null && /\b429\b|rate.?limit/i.test(text)) return "rate_limit";
  if (error === null && OVERLOAD.test(text)) return "overloaded";
  return null;
}

export const LIMIT_WORDS: Record<LimitKind, string> = {
  rate_limit: "rate limit",
  overloaded: "API overloaded",
  usage_limit: "usage limit",
};

/** A queued plan whose last attempt met a limit and whose retry time has not come: not handed out yet. */
export function waitsOnLimit(e: { status: string; limited?: { retry_at: string } | null } | undefined, now: string): boolean {
  return e !== undefined && e.status === "queued" && e.limited != null && Date.parse(e.limited.retry_at) > Date.parse(now);
}
