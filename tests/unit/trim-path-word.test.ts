/** trimPathWord's shortcut for words no rule touches gives what its rounds of rules give. */
import fc from "fast-check";
import { trimPathWord } from "../../lib/core/plan/path-token";

/** The rules of trimPathWord, every round run (no shortcut), on short words. */
function reference(word: string): string {
  const count = (s: string, ch: string) => s.split(ch).length - 1;
  let w = word;
  for (let prev = "", round = 0; prev !== w && round < 8; round++) {
    prev = w;
    w = w.replace(/^[`'"]+/, "");
    w = w.replace(/[`'"]+$/, "");
    w = w.replace(/#L\d+(?:-L?\d+)?$/, "");
    w = w.replace(/(.):\d+(?::\d+)?(?:-\d+)?$/, "$1");
    w = w.replace(/[,;:]+$/, "");
    w = w.replace(/([A-Za-z0-9])\.$/, "$1");
    w = w.replace(/(\.[A-Za-z0-9]+)\*\*$/, "$1");
    for (const [open, close] of [
      ["(", ")"],
      ["[", "]"],
      ["{", "}"],
    ] as const) {
      let opens = count(w, open);
      let closes = count(w, close);
      for (; w.endsWith(close) && closes > opens; closes--) w = w.slice(0, -1);
      for (; w.startsWith(open) && opens > closes; opens--) w = w.slice(1);
    }
  }
  return w;
}

describe("trimPathWord", () => {
  it.each(["src/a.ts", "src/a.ts:12", "`a.ts`,", "(x)/y.ts)", "a.ts.", "#L3", "", "a", "dir/"])("%j", (w) => {
    expect(trimPathWord(w)).toBe(reference(w));
  });

  it("agrees with running every round of the rules on generated words", () => {
    const piece = fc.constantFrom("a", "Z", "/", ".", "ts", "1", ":", "#L", "-", ",", ";", "`", "'", '"', "(", ")", "[", "]", "{", "}", "*", "**", " ", "é");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (ps) => {
        const w = ps.join("");
        expect(trimPathWord(w)).toBe(reference(w));
      }),
      { numRuns: 5000 },
    );
  });
});
