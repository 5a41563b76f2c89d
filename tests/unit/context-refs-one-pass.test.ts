/** parseAllContextRefs reads both kinds of reference in one pass, as the two separate parsers do. */
import fc from "fast-check";
import { parseAllContextRefs, parseContextRefs, parseForeignContextRefs } from "../../lib/core/plan/context-refs";

const BARE = /^\s*(?:[-*]\s+)?`?@[\w.~/]/;
/** What a plan without `<context>` used to be read as: only its bare reference lines, the rest blanked. */
const blanked = (body: string) =>
  body
    .split("\n")
    .map((l) => (BARE.test(l) ? l : ""))
    .join("\n");

const piece = fc.constantFrom(
  "@src/a.ts",
  "@C:/proj/.planning/x.md",
  "@/Users/me/p/b.ts",
  "@~/w/c.md",
  "- @dir with space/file.md (note)",
  "@.env",
  "me@x.com",
  " ",
  "\n",
  "\r\n",
  "`",
  "(",
  ",",
  "- ",
  "text",
);

describe("parseAllContextRefs", () => {
  it("agrees with parseContextRefs and parseForeignContextRefs, and with blanking non-reference lines", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.nat(50), (ps, offset) => {
        const text = ps.join("");
        const all = parseAllContextRefs(text, offset);
        expect(all.local).toEqual(parseContextRefs(text, offset));
        expect(all.foreign).toEqual(parseForeignContextRefs(text, offset));
        const bare = parseAllContextRefs(text, offset, BARE);
        expect(bare.local).toEqual(parseContextRefs(blanked(text), offset));
        expect(bare.foreign).toEqual(parseForeignContextRefs(blanked(text), offset));
      }),
      { numRuns: 1500 },
    );
  });
});
