/**
 * normalizePathEntry shares results that do not depend on the project root between roots: the
 * answer for a root never depends on which entries were normalised before, with or without one.
 */
import fc from "fast-check";

type Normalize = typeof import("../../lib/core/plan/path-entry").normalizePathEntry;
const fresh = (): Normalize => {
  let fn: Normalize | undefined;
  jest.isolateModules(() => {
    fn = (require("../../lib/core/plan/path-entry") as { normalizePathEntry: Normalize }).normalizePathEntry;
  });
  return fn as Normalize;
};

const ROOTS = ["/home/me/proj", "C:/work/proj", "/"];
const piece = fc.constantFrom("/home/me/proj/", "C:/work/proj/", "./", "../", "C:/", "/", "~/", "src", "a.ts", "{x}", "*", " (new)", "`", "none", "dir/");

describe("normalizePathEntry memo", () => {
  it("gives each root the same answer whatever was normalised before", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(piece, { minLength: 1, maxLength: 6 }).map((ps) => ps.join("")),
          { minLength: 1, maxLength: 8 },
        ),
        (raws) => {
          const warmed = fresh();
          for (const r of raws) warmed(r);
          for (const root of ROOTS) {
            const alone = fresh();
            for (const r of raws) expect(warmed(r, root)).toEqual(alone(r, root));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
