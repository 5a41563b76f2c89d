/**
 * The one rule for names that gsd-async prints, puts into agent prompts or into command lines:
 * phase directory names, plan and summary file names, ids derived from them.
 *
 * A name may not hold a line break or other control character, a bidi override, a backslash
 * or a quote. Such a name would split an agent prompt into lines of its own (adding
 * instructions), cut a plan marker, turn into a different path on the way back through a
 * shell (`\`), or close the quotes around it. A phase that has one is refused by `start` (the
 * `name-unsafe` diagnostic); wherever such a name is still shown, `displayName` writes it with
 * visible escapes, so it stays on one line and reads as what it is.
 */

const UNSAFE_NAME = /[\u2028\u2029\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\\"'`]/;

const WHAT: readonly [RegExp, string][] = [
  [/[\n\r\u2028\u2029]/, "a line break"],
  [/[\u0000-\u001f\u007f-\u009f]/, "a control character"],
  [/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/, "a bidirectional-text control"],
  [/\\/, "a backslash"],
  [/["'`]/, "a quote"],
];

/** Why `name` is not safe to print or pass on, or undefined when it is. */
export function nameProblem(name: string): string | undefined {
  if (!UNSAFE_NAME.test(name)) return undefined;
  return WHAT.find(([re]) => re.test(name))?.[1] ?? "a character that cannot be printed safely";
}

/** `name` with every unsafe character as a visible escape (`\n`, `\\`, `\"`, `\u001b`). */
export function displayName(name: string): string {
  if (!UNSAFE_NAME.test(name)) return name;
  return name.replace(new RegExp(UNSAFE_NAME.source, "g"), (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    if (c === "\\" || c === '"' || c === "'" || c === "`") return `\\${c}`;
    return `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;
  });
}
