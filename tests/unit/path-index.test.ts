import fc from "fast-check";
import { type PathEntry, normalizePathEntry } from "../../lib/core/plan/path-entry";
import { type OwnedEntry, WriteIndex, overlaps } from "../../lib/core/plan/path-index";
import { covers } from "../../lib/core/plan/path-overlap";

function e(raw: string): PathEntry {
  const entry = normalizePathEntry(raw, "/proj");
  if (entry === undefined) throw new Error(`fixture does not normalise: ${raw}`);
  return entry;
}
const index = (pairs: [string, string][]) => new WriteIndex(pairs.map(([owner, raw]) => ({ owner, entry: e(raw) })));

describe("WriteIndex.match", () => {
  it("matches an exact file", () => {
    const idx = index([
      ["p1", "lib/a.ts"],
      ["p2", "lib/b.ts"],
    ]);
    expect(idx.match("lib/a.ts")).toEqual(["p1"]);
    expect(idx.match("lib/c.ts")).toEqual([]);
  });
  it("matches every file under a dir entry, but not a sibling sharing a name prefix", () => {
    const idx = index([["p1", "lib/core/"]]);
    expect(idx.match("lib/core/a.ts")).toEqual(["p1"]);
    expect(idx.match("lib/core/deep/b.ts")).toEqual(["p1"]);
    expect(idx.match("lib/core-extra/a.ts")).toEqual([]);
  });
  it("matches files a glob covers, dot files included", () => {
    const idx = index([
      ["p1", "lib/**/*.ts"],
      ["p2", "docs/*.md"],
    ]);
    expect(idx.match("lib/x/.hidden.ts")).toEqual(["p1"]);
    expect(idx.match("docs/a.md")).toEqual(["p2"]);
    expect(idx.match("docs/sub/a.md")).toEqual([]);
  });
  it("matches root-anchored globs and the whole-project entry", () => {
    const idx = index([
      ["p1", "*.md"],
      ["p2", "./"],
    ]);
    expect(idx.match("README.md")).toEqual(["p1", "p2"]);
    expect(idx.match("lib/a.ts")).toEqual(["p2"]);
  });
  it("treats brackets and parentheses in globs literally", () => {
    const idx = index([
      ["p1", "app/[id]/*.tsx"],
      ["p2", "app/(admin)/**/*.tsx"],
    ]);
    expect(idx.match("app/[id]/page.tsx")).toEqual(["p1"]);
    expect(idx.match("app/i/page.tsx")).toEqual([]);
    expect(idx.match("app/(admin)/x/page.tsx")).toEqual(["p2"]);
  });
  it("treats $, ^ and quotes in globs literally", () => {
    const idx = index([
      ["p1", "routes/$id/*.tsx"],
      ["p2", "a^b/*.md"],
    ]);
    expect(idx.match("routes/$id/edit.tsx")).toEqual(["p1"]);
    expect(idx.match("a^b/x.md")).toEqual(["p2"]);
  });
  it("skips entries outside the project", () => {
    const idx = index([
      ["p1", "/elsewhere/lib/a.ts"],
      ["p2", "../lib/a.ts"],
      ["p3", "~/lib/"],
    ]);
    expect(idx.match("lib/a.ts")).toEqual([]);
    expect(idx.match("elsewhere/lib/a.ts")).toEqual([]);
  });
  it("lists each owner once, in the order owners were first added", () => {
    const idx = index([
      ["p2", "lib/"],
      ["p1", "lib/a.ts"],
      ["p2", "lib/*.ts"],
      ["p3", "lib/a.ts"],
    ]);
    expect(idx.match("lib/a.ts")).toEqual(["p2", "p1", "p3"]);
  });
  it("treats a path ending with / as a directory and finds writes below it", () => {
    const idx = index([
      ["p1", "lib/core/a.ts"],
      ["p2", "lib/"],
      ["p3", "docs/a.md"],
    ]);
    expect(idx.match("lib/core/")).toEqual(["p1", "p2"]);
  });
});

describe("WriteIndex.matchEntry", () => {
  it("finds files, dirs and globs overlapping a glob read", () => {
    const idx = index([
      ["p1", "lib/a.ts"],
      ["p2", "lib/a.md"],
      ["p3", "lib/sub/"],
      ["p4", "docs/x.ts"],
    ]);
    expect(idx.matchEntry(e("lib/**/*.ts"))).toEqual(["p1", "p3"]);
  });
  it("finds globs anchored above a dir read, by static prefix", () => {
    const idx = index([
      ["p1", "lib/*.ts"],
      ["p2", "docs/**"],
    ]);
    expect(idx.matchEntry(e("lib/core/"))).toEqual(["p1"]);
  });
  it("returns nothing for an outside entry", () => {
    expect(index([["p1", "lib/"]]).matchEntry(e("/other/lib/"))).toEqual([]);
  });
});

describe("overlaps", () => {
  it("compares files by equality", () => {
    expect(overlaps(e("lib/a.ts"), e("./lib/a.ts"))).toBe(true);
    expect(overlaps(e("lib/a.ts"), e("lib/b.ts"))).toBe(false);
  });
  it("says a dir overlaps files and dirs inside it, not beside it", () => {
    expect(overlaps(e("lib/"), e("lib/x/a.ts"))).toBe(true);
    expect(overlaps(e("lib/x/"), e("lib/"))).toBe(true);
    expect(overlaps(e("lib/"), e("lib2/a.ts"))).toBe(false);
  });
  it("matches a glob against a file exactly", () => {
    expect(overlaps(e("lib/*.ts"), e("lib/a.ts"))).toBe(true);
    expect(overlaps(e("lib/a.md"), e("lib/*.ts"))).toBe(false);
  });
  it("is conservative for glob/glob and glob/dir: overlapping static prefixes", () => {
    expect(overlaps(e("lib/*.ts"), e("lib/*.md"))).toBe(true); // same prefix: assumed to overlap
    expect(overlaps(e("lib/**/*.ts"), e("lib/core/"))).toBe(true);
    expect(overlaps(e("lib/*.ts"), e("docs/*.ts"))).toBe(false);
    expect(overlaps(e("docs/"), e("lib/**"))).toBe(false);
  });
  it("never reports an overlap with an outside entry", () => {
    expect(overlaps(e("/other/lib/a.ts"), e("/other/lib/a.ts"))).toBe(false);
  });
});

describe("properties", () => {
  const seg = fc.constantFrom("lib", "core", "a.ts", "b.md", "[id]", "(g)", ".hidden", "x-y");
  // A lone `(g)` reads as a note, not a path (see path-token), so it is not generated alone.
  const relPath = fc
    .array(seg, { minLength: 1, maxLength: 5 })
    .map((s) => s.join("/"))
    .filter((p) => p !== "(g)");
  const rawEntry = fc.oneof(
    relPath,
    relPath.map((p) => `${p}/`),
    relPath.map((p) => `${p}/*.ts`),
    relPath.map((p) => `${p}/**/*.md`),
    fc.constant("*.md"),
  );

  it("a file always matches itself", () => {
    fc.assert(
      fc.property(relPath, (p) => {
        const entry = e(p);
        expect(new WriteIndex([{ owner: "o", entry }]).match(entry.path)).toEqual(["o"]);
      }),
    );
  });
  it("a dir entry matches any generated child path", () => {
    fc.assert(
      fc.property(relPath, relPath, (dir, child) => {
        const idx = new WriteIndex([{ owner: "o", entry: e(`${dir}/`) }]);
        expect(idx.match(e(`${dir}/${child}`).path)).toEqual(["o"]);
      }),
    );
  });
  it("overlaps is symmetric", () => {
    fc.assert(
      fc.property(rawEntry, rawEntry, (a, b) => {
        expect(overlaps(e(a), e(b))).toBe(overlaps(e(b), e(a)));
      }),
    );
  });
  it("match and matchEntry agree with a brute-force scan", () => {
    fc.assert(
      fc.property(fc.array(rawEntry, { maxLength: 12 }), rawEntry, relPath, (raws, query, path) => {
        const owned: OwnedEntry[] = raws.map((r, i) => ({ owner: `p${i}`, entry: e(r) }));
        const idx = new WriteIndex(owned);
        const file = e(path).path;
        expect(idx.match(file)).toEqual(owned.filter((o) => covers(o.entry, file)).map((o) => o.owner));
        const q = e(query);
        expect(idx.matchEntry(q)).toEqual(owned.filter((o) => overlaps(q, o.entry)).map((o) => o.owner));
      }),
    );
  });
});

describe("scale", () => {
  // Speed is bench row (3), the synthetic 1,000- and 10,000-plan phases, not an assertion here.
  it("indexes 10,000 plans and answers 50,000 queries with the right owners", () => {
    const owned: OwnedEntry[] = [];
    for (let p = 0; p < 10_000; p++) {
      const area = `pkg${p % 200}`;
      owned.push({ owner: `plan-${p}`, entry: e(`${area}/src/file${p}.ts`) });
      owned.push({ owner: `plan-${p}`, entry: e(`${area}/shared/${p % 7}.ts`) });
      if (p % 50 === 0) owned.push({ owner: `plan-${p}`, entry: e(`${area}/gen/`) });
      if (p % 100 === 0) owned.push({ owner: `plan-${p}`, entry: e(`${area}/**/*.snap`) });
    }
    const idx = new WriteIndex(owned);
    let hits = 0;
    for (let q = 0; q < 50_000; q++) hits += idx.match(`pkg${q % 200}/src/file${q % 10_000}.ts`).length;
    // Each query names one plan's own file; a few also fall under a directory or glob entry of another plan.
    expect(hits).toBeGreaterThanOrEqual(50_000);
    expect(idx.match("pkg3/src/file3.ts")).toContain("plan-3");
  });
});
