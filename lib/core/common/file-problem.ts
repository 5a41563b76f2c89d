/**
 * Why a JSON state file (agent-history.json, token-budget.json) cannot be used as it is: where
 * in the file, and what is wrong. Such a file is never rewritten; the problems are reported.
 */
export interface FileProblem {
  /** `entries.1.status`, `version`, `(root)` for the whole document, `(file)` for its syntax. */
  path: string;
  message: string;
}

/** Parses text that must hold a JSON object, or says why it does not. */
export function parseJsonObject(text: string): { ok: true; json: Record<string, unknown> } | { ok: false; problems: FileProblem[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [{ path: "(file)", message: `not valid JSON: ${(err as Error).message}` }] };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, problems: [{ path: "(root)", message: "expected a JSON object" }] };
  }
  return { ok: true, json: json as Record<string, unknown> };
}

/** zod issues as file problems. */
export function schemaProblems(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FileProblem[] {
  return issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
}
