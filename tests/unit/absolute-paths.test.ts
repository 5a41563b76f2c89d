/** absolutePathsIn finds exactly what the regular expression it replaces found. */
import fc from "fast-check";
import { absolutePathsIn } from "../../lib/core/plan/absolute-paths";

const REFERENCE = /(?:^|[\s"'`([])((?:[A-Za-z]:[\\/]|\/|~\/)[^\s"'`()[\]<>|,;]+)/gm;
const byRegex = (text: string) => [...text.matchAll(REFERENCE)].map((m) => m[1]);

describe("absolutePathsIn", () => {
  it.each([
    "writes /Users/me/proj/src/a.ts and `~/x/y` and C:\\proj\\b.ts",
    "/at/start\n/next/line (/in/brackets) [/sq] '/quoted' \"/dq\"",
    "a/b not absolute; x:/y no prefix; C:/ alone; / alone; //double; ~/; ~/~/z",
    "/a/b,/c;/d|/e<f>/g",
    "C:/p/q:/r/s ~/t\\u",
    "",
  ])("%j", (text) => {
    expect(absolutePathsIn(text)).toEqual(byRegex(text));
  });

  it("agrees with the regular expression on generated text", () => {
    const piece = fc.constantFrom("/", "\\", "~", ":", "C", "x", " ", "\n", "\t", '"', "'", "`", "(", ")", "[", "]", "<", ">", "|", ",", ";", "a/b", "\u00a0");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (ps) => {
        const text = ps.join("");
        expect(absolutePathsIn(text)).toEqual(byRegex(text));
      }),
      { numRuns: 2000 },
    );
  });
});
