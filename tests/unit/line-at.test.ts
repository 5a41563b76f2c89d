/** lineAt, which finds line starts only as far as asked, answers any sequence of queries exactly. */
import fc from "fast-check";
import { lineAt } from "../../lib/core/common/diagnostic";

const counted = (text: string, offset: number) => text.slice(0, Math.min(Math.max(offset, 0), text.length)).split("\n").length;

describe("lineAt", () => {
  it("agrees with counting line breaks, whatever the order of the offsets and texts asked", () => {
    const text = fc.array(fc.constantFrom("a", "\n", "\r\n", "bc", " "), { maxLength: 30 }).map((ps) => ps.join(""));
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(2), fc.integer({ min: -2, max: 70 })), { maxLength: 20 }),
        (texts, asks) => {
          for (const [t, offset] of asks) {
            const s = texts[t % texts.length] as string;
            expect(lineAt(s, offset)).toBe(counted(s, offset));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
