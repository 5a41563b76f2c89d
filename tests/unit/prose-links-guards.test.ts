/** parsePlanMentions finds exactly what the line-by-line parser it replaces found. */
import fc from "fast-check";
import { parsePlanMentions } from "../../lib/core/plan/prose-links";
import { referenceMentions } from "./prose-links-reference";

describe("parsePlanMentions", () => {
  it("agrees with reading every line with every pattern on generated text", () => {
    const piece = fc.constantFrom(
      "01-02",
      "3a-1b",
      "2.1",
      "12.3",
      "Plan 02",
      "plans 01 and 03",
      "Phase 4 ",
      "Plan",
      "-",
      ".",
      "1",
      "a",
      " ",
      "\n",
      "\r\n",
      ". ",
      "; ",
      "in parallel",
      "/",
      "<b>",
      "2026-01-15",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.nat(20), (ps, offset) => {
        const text = ps.join("");
        expect(parsePlanMentions(text, offset)).toEqual(referenceMentions(text, offset));
      }),
      { numRuns: 3000 },
    );
  });
});
