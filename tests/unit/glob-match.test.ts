import fc from "fast-check";
import picomatch from "picomatch";
import { compileGlob, runGlob } from "../../lib/core/plan/glob-match";
import { toPicomatchPattern } from "../../lib/core/plan/path-syntax";

function matches(glob: string, path: string): boolean {
  const a = compileGlob(glob);
  if (a === undefined) throw new Error(`does not compile: ${glob}`);
  return runGlob(a, path).matched;
}

describe("glob matching", () => {
  it.each([
    ["src/*.ts", "src/a.ts", true],
    ["src/*.ts", "src/a/b.ts", false],
    ["src/**/*.ts", "src/a.ts", true],
    ["src/**/*.ts", "src/a/b/.c.ts", true],
    ["**", "a/b/c", true],
    ["**/x.md", "x.md", true],
    ["a/**", "a", true],
    ["a/**", "a/b/c", true],
    ["a/**", "ab", false],
    ["a?c", "abc", true],
    ["a?c", "a/c", false],
    ["{a,b}.ts", "b.ts", true],
    ["{a,{b,c}}.ts", "c.ts", true],
    ["{a,}x", "x", true],
    ["v{1..12}.sql", "v12.sql", true],
    ["v{1..12}.sql", "v13.sql", false],
    ["{a..c}.md", "b.md", true],
    ["v{1..100000}.sql", "v99999.sql", true], // too wide a range: read as `*`, so it may overlap
    ["app/[id]/page.tsx", "app/[id]/page.tsx", true],
    ["app/(admin)/*.tsx", "app/(admin)/x.tsx", true],
    ["a{b}c", "a{b}c", true],
    ["a{b,c", "a{b,c", true],
  ])("%s against %s is %s", (glob, path, want) => {
    expect(matches(glob, path)).toBe(want);
  });

  it("never misses a path picomatch matches (it may match a few more: the safe direction)", () => {
    const seg = fc.stringMatching(/^[ab.*?{},]{1,4}$/);
    const pathSeg = fc.stringMatching(/^[ab.]{1,3}$/);
    const normalised = (segs: string[]) => !segs.some((s) => s === "." || s === "..");
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 3 }), fc.array(pathSeg, { minLength: 1, maxLength: 3 }), (gs, ps) => {
        const glob = gs.join("/");
        // picomatch compiles `b./***` with an unescaped `.` and reads `{../,/a}` as a character
        // range: three stars, and `..` inside braces (ranges are tested above), are no oracle.
        fc.pre(normalised(gs) && normalised(ps) && !glob.includes("***") && !/\{[^}]*\.\./.test(glob));
        const path = ps.join("/");
        if (picomatch(toPicomatchPattern(glob), { dot: true })(path)) expect(matches(glob, path)).toBe(true);
      }),
      { numRuns: Number(process.env.GLOB_RUNS ?? 3000) },
    );
  });

  it("the pattern that made picomatch's regex take seconds is answered, and its work grows linearly", () => {
    const glob = `src/${"*a".repeat(12)}*b`;
    const a = compileGlob(glob);
    if (a === undefined) throw new Error("compiles");
    const short = runGlob(a, `src/${"a".repeat(100)}`);
    const long = runGlob(a, `src/${"a".repeat(1000)}`);
    expect(short.matched || long.matched).toBe(false);
    // Ten times the path, about ten times the steps (the state set is the same size throughout).
    expect(long.steps).toBeLessThanOrEqual(short.steps * 11);
  });
});
