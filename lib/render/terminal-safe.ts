/**
 * What reaches a terminal: text from plans, agent ids and failure reasons may hold escape
 * sequences (ESC/CSI/OSC, C1 controls) that move the cursor, retitle the window or hide text,
 * and bidi overrides that reorder what a person reads. Every such character is written as a
 * visible `\uXXXX` escape instead; newline and tab stay. The colour codes `Style` itself emits
 * are kept when colour is on, and only those.
 *
 * Applied to everything the CLI writes. JSON stays equivalent: JSON.stringify already escapes
 * C0 controls, and a C1 or bidi character can only stand inside a JSON string, where `\uXXXX`
 * means the same character.
 */

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The SGR sequences of lib/render/style.ts: bold, dim, normal, red, green, yellow, cyan, default. */
const STYLE_SGR = /\u001b\[(?:1|2|22|31|32|33|36|39)m/y;

const hex = (c: string) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;

export function terminalSafe(text: string, keepStyle: boolean): string {
  return text.replace(UNSAFE, (c, offset: number) => {
    if (keepStyle && c === "\u001b") {
      STYLE_SGR.lastIndex = offset;
      if (STYLE_SGR.test(text)) return c;
    }
    return hex(c);
  });
}
