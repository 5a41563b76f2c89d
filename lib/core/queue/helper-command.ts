/**
 * Recognises a Bash command that is exactly a call of this helper, so the PreToolUse hook can
 * allow it without a prompt (Claude Code asks for every Bash call outside a command's own turn,
 * which would stall dependents started from task notifications). The rule is deliberately
 * narrow: `node <this cli.js> <subcommand> <args...>` where no word can run anything else.
 */
export const AUTO_ALLOWED = ["analyze", "check", "graph", "start", "status", "spawned", "complete", "fail", "cancel", "simulate"] as const;

/** Splits a command line into words, or returns undefined if it has anything but plain words. */
export function strictWords(command: string): string[] | undefined {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let i = 0;
  while (i < command.length) {
    const c = command[i] as string;
    if (c === " " || c === "\t") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return undefined;
      cur += command.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const end = command.indexOf('"', i + 1);
      if (end < 0) return undefined;
      const inner = command.slice(i + 1, end);
      // Inside double quotes the shell still expands $, ` and \ : refuse them.
      if (/[$`\\!]/.test(inner)) return undefined;
      cur += inner;
      inWord = true;
      i = end + 1;
    } else if (/[A-Za-z0-9_/.,:=@%+-]/.test(c)) {
      cur += c;
      inWord = true;
      i++;
    } else {
      // ; & | < > ( ) $ ` \ * ? [ ] { } ~ ! # newlines and anything else: not a plain word.
      return undefined;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

export function isOwnHelperCall(command: string, helperPath: string, normalize: (p: string) => string = (p) => p): boolean {
  const words = strictWords(command.trim());
  if (!words || words.length < 3) return false;
  const [node, script, sub] = words as [string, string, string];
  return (node === "node" || node.endsWith("/node")) && normalize(script) === normalize(helperPath) && (AUTO_ALLOWED as readonly string[]).includes(sub);
}
