/**
 * Reading Bash command lines without running them. `plainWords` is strict: it accepts one
 * simple command of literal words and nothing a shell would expand, which includes every line
 * `shellQuote` prints (`'it'\''s'` is one word). `looseSegments` never fails: it splits a line
 * into the simple commands a shell would see, well enough to tell whether a line mentions a
 * file; it is for refusing, never for allowing.
 */

const PLAIN = /[A-Za-z0-9_/.,:=@%+-]/;

/** The words of a line that is one simple command of literal words, else undefined. */
export function plainWords(command: string): string[] | undefined {
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
      // Inside double quotes the shell still expands $, ` and \ (and ! in an interactive shell).
      if (/[$`\\!]/.test(inner)) return undefined;
      cur += inner;
      inWord = true;
      i = end + 1;
    } else if (c === "\\") {
      // Outside quotes a backslash makes the next character literal (shellQuote's `\'`); a
      // backslash before a newline joins lines instead, so that is refused.
      const next = command[i + 1];
      if (next === undefined || next === "\n" || next === "\r") return undefined;
      cur += next;
      inWord = true;
      i += 2;
    } else if (PLAIN.test(c)) {
      cur += c;
      inWord = true;
      i++;
    } else {
      // ; & | < > ( ) $ ` * ? [ ] { } ~ ! # newlines and anything else: not a plain word.
      return undefined;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Characters that end a word and a simple command (`$(` and backticks open a new one). */
const SEPARATOR = /[;&|()<>\n`]/;

/**
 * The simple commands of any line, each as its words with quotes removed. Here-document
 * bodies are skipped (their text is data, and a stray quote in it must not swallow the next
 * command); `$(`, backticks, pipes, lists and redirections start a new segment.
 */
export function looseSegments(command: string): string[][] {
  const segments: string[][] = [];
  let words: string[] = [];
  let cur = "";
  let inWord = false;
  const heredocs: Array<{ end: string; tabs: boolean }> = [];
  const endWord = () => {
    if (inWord) words.push(cur);
    cur = "";
    inWord = false;
  };
  const endSegment = () => {
    endWord();
    if (words.length > 0) segments.push(words);
    words = [];
  };
  let i = 0;
  while (i < command.length) {
    const c = command[i] as string;
    if (c === "<" && command[i + 1] === "<" && command[i + 2] !== "<") {
      endSegment();
      i += 2;
      const tabs = command[i] === "-";
      if (tabs) i++;
      while (command[i] === " " || command[i] === "\t") i++;
      const m = /^(?:'([^']*)'|"([^"]*)"|([^\s;&|()<>]+))/.exec(command.slice(i));
      if (m) {
        heredocs.push({ end: (m[1] ?? m[2] ?? m[3] ?? "").replace(/\\/g, ""), tabs });
        i += m[0].length;
      }
    } else if (c === "\n") {
      endSegment();
      i++;
      // Skip the bodies of the here-documents opened on the line that just ended.
      while (heredocs.length > 0) {
        const h = heredocs.shift() as { end: string; tabs: boolean };
        while (i < command.length) {
          const nl = command.indexOf("\n", i);
          const line = command.slice(i, nl < 0 ? command.length : nl);
          i = nl < 0 ? command.length : nl + 1;
          if ((h.tabs ? line.replace(/^\t+/, "") : line) === h.end) break;
        }
      }
    } else if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i++;
    } else if (SEPARATOR.test(c) || (c === "$" && command[i + 1] === "(")) {
      // A file descriptor number before a redirection (`2>&1`) is not a word of the command.
      if ((c === ">" || c === "<") && inWord && /^\d+$/.test(cur)) {
        cur = "";
        inWord = false;
      }
      endSegment();
      i += c === "$" ? 2 : 1;
    } else if (c === "'" || c === '"') {
      const end = command.indexOf(c, i + 1);
      cur += command.slice(i + 1, end < 0 ? command.length : end);
      inWord = true;
      i = end < 0 ? command.length : end + 1;
    } else if (c === "\\") {
      cur += command[i + 1] ?? "";
      inWord = true;
      i += 2;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  endSegment();
  return segments;
}
