/** forEachLineWith visits exactly the lines a split-and-test loop would, numbered alike. */
import fc from "fast-check";
import { forEachLineWith } from "../../lib/core/common/lines-with";

const bySplit = (text: string, probe: RegExp) =>
  text
    .split("\n")
    .map((l, i) => [l.replace(/\r$/, ""), i] as const)
    .filter(([l]) => new RegExp(probe.source, probe.flags.replace("g", "")).test(l));

const visited = (text: string, probe: RegExp) => {
  const out: (readonly [string, number])[] = [];
  forEachLineWith(text, probe, (line, i) => out.push([line, i]));
  return out;
};

describe("forEachLineWith", () => {
  it.each(["", "@", "\n@\n", "a@b\r\nno\r\n@c\r", "@@ @\n\n\n@", "x\ny\n", "plan 01-02\nnone\n2.1 plan\n"])("%j", (text) => {
    for (const probe of [/@/g, /[-.]\d|[Pp]lan/g]) expect(visited(text, probe)).toEqual(bySplit(text, probe));
  });

  it("agrees with splitting the text on generated text", () => {
    const piece = fc.constantFrom("@", "\n", "\r", "\r\n", "a", " ", "_k:", "\t", "-", ".", "1", "Plan", "plan", "x@y");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (ps) => {
        const text = ps.join("");
        for (const probe of [/@/g, /[-.]\d|[Pp]lan/g, /@/, /^[A-Za-z_]/gm]) expect(visited(text, probe)).toEqual(bySplit(text, probe));
      }),
      { numRuns: 2000 },
    );
  });
});
