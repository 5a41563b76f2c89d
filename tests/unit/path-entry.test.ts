import fc from "fast-check";
import { type PathEntry, normalizePathEntry, splitFilesText } from "../../lib/core/plan/path-entry";

const ROOT = "/home/dev/proj";

function n(raw: string, root?: string): Pick<PathEntry, "path" | "kind" | "outside"> | undefined {
  const e = normalizePathEntry(raw, root);
  return e && { path: e.path, kind: e.kind, outside: e.outside };
}
const file = (path: string) => ({ path, kind: "file", outside: false });

describe("normalizePathEntry", () => {
  it("keeps a plain relative file path and the raw text", () => {
    expect(normalizePathEntry("lib/util.ts")).toEqual({ raw: "lib/util.ts", ...file("lib/util.ts") });
  });
  it("drops ./ prefixes, . segments and duplicate slashes", () => {
    expect(n("./lib//core/./x.ts")).toEqual(file("lib/core/x.ts"));
  });
  it("turns backslash separators into slashes", () => {
    expect(n("lib\\core\\x.ts")).toEqual(file("lib/core/x.ts"));
  });
  it("resolves .. inside the project", () => {
    expect(n("lib/core/../shell/y.ts")).toEqual(file("lib/shell/y.ts"));
  });
  it("strips parenthesised notes such as (NEW) and (new file)", () => {
    expect(n("lib/a.ts (NEW)")).toEqual(file("lib/a.ts"));
    expect(n("lib/b.ts   (new file, created here)")).toEqual(file("lib/b.ts"));
    expect(n("(new) lib/c.ts")).toEqual(file("lib/c.ts"));
  });
  it("strips dash and em-dash descriptions", () => {
    expect(n("lib/a.ts - creates the parser")).toEqual(file("lib/a.ts"));
    expect(n("lib/a.ts — why it changes")).toEqual(file("lib/a.ts"));
    expect(n("lib/a.ts -- also this")).toEqual(file("lib/a.ts"));
  });
  it("strips a trailing # comment and drops a comment-only entry", () => {
    expect(n("lib/a.ts        # touched for the parser")).toEqual(file("lib/a.ts"));
    expect(n("# Infra and tooling")).toBeUndefined();
  });
  it("removes surrounding quotes and backticks, keeping spaces inside them", () => {
    expect(n('"lib/a.ts"')).toEqual(file("lib/a.ts"));
    expect(n("`lib/a.ts` — note")).toEqual(file("lib/a.ts"));
    expect(n("'docs/Design Notes/x.md'")).toEqual(file("docs/Design Notes/x.md"));
  });
  it("returns undefined for empty and placeholder words", () => {
    for (const raw of ["", "   ", "-", "(none)", "None", "N/A", "n/a — checkpoint", "TBD", "~"]) {
      expect(normalizePathEntry(raw)).toBeUndefined();
    }
  });
  it("returns undefined for prose whose first word is not a path", () => {
    expect(n("None (verification only)")).toBeUndefined();
    expect(n("All files listed in the inventory")).toBeUndefined();
    expect(n("(read-only — no files modified)")).toBeUndefined();
  });
  it("accepts well-known extensionless files, even with a note", () => {
    expect(n("Makefile (new target)")).toEqual(file("Makefile"));
    expect(n("justfile")).toEqual(file("justfile"));
  });
  it("drops URLs", () => {
    expect(n("https://example.org/docs/page")).toBeUndefined();
  });
  it("strips :line suffixes and #L anchors", () => {
    expect(n("lib/a.ts:42")).toEqual(file("lib/a.ts"));
    expect(n("lib/a.ts:10-20")).toEqual(file("lib/a.ts"));
    expect(n("lib/a.ts#L7")).toEqual(file("lib/a.ts"));
  });
  it("makes absolute paths under the project root relative", () => {
    expect(n(`${ROOT}/lib/a.ts`, ROOT)).toEqual(file("lib/a.ts"));
    expect(n(`${ROOT}/lib/a.ts`, `${ROOT}/`)).toEqual(file("lib/a.ts"));
    expect(n("C:\\work\\proj\\lib\\a.ts", "c:\\work\\proj")).toEqual(file("lib/a.ts"));
  });
  it("marks absolute paths outside the root (or with no root given) as outside", () => {
    expect(n("/etc/hosts", ROOT)).toEqual({ path: "/etc/hosts", kind: "file", outside: true });
    expect(n(`${ROOT}-other/a.ts`, ROOT)?.outside).toBe(true);
    expect(n(`${ROOT}/lib/a.ts`)?.outside).toBe(true);
  });
  it("marks home and environment-relative paths as outside", () => {
    expect(n("~/.claude/skills/x.md")).toEqual({ path: "~/.claude/skills/x.md", kind: "file", outside: true });
    expect(n("$HOME/notes/x.md")?.outside).toBe(true);
  });
  it("marks paths escaping with ../ as outside", () => {
    expect(n("../sibling/x.ts")).toEqual({ path: "../sibling/x.ts", kind: "file", outside: true });
    expect(n("lib/../../x.ts")?.path).toBe("../x.ts");
  });
  it("marks a path under an unknown placeholder root as outside", () => {
    expect(n("<scratch>/demo/**")?.outside).toBe(true);
  });
  it("recognises directories by a trailing slash", () => {
    expect(n("lib/core/")).toEqual({ path: "lib/core/", kind: "dir", outside: false });
    expect(n("lib/core/ (whole folder)")?.kind).toBe("dir");
  });
  it("expresses dir/** as the dir and the project root as **", () => {
    expect(n("lib/**")).toEqual({ path: "lib/", kind: "dir", outside: false });
    expect(n("lib/**/*")?.path).toBe("lib/");
    expect(n("./")).toEqual({ path: "**", kind: "glob", outside: false });
  });
  it("recognises *, **, ?, and brace globs", () => {
    for (const g of ["lib/*.ts", "lib/**/*.test.ts", "lib/a?.ts", "lib/{a,b}.ts", "v{1..3}.md"]) {
      expect(n(g)).toEqual({ path: g, kind: "glob", outside: false });
    }
  });
  it("treats brackets and parentheses as literal route segments", () => {
    expect(n("app/[slug]/page.tsx")).toEqual(file("app/[slug]/page.tsx"));
    expect(n("app/(marketing)/layout.tsx")).toEqual(file("app/(marketing)/layout.tsx"));
  });
  it("turns {name} and <name> placeholders into *", () => {
    expect(n("db/migrations/{timestamp}_init.sql")?.path).toBe("db/migrations/*_init.sql");
    expect(n("db/migrations/&lt;TS&gt;_init.sql")).toEqual({
      path: "db/migrations/*_init.sql",
      kind: "glob",
      outside: false,
    });
  });

  const segment = fc.constantFrom("lib", "a", "b.ts", "x.md", "[id]", "(g)", ".planning", "c-d_e", "*", "..", ".");
  const pathish = fc
    .tuple(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.constantFrom("", "/", "./", "/x"))
    .map(([segs, extra]) => (extra === "./" ? `./${segs.join("/")}` : `${segs.join("/")}${extra === "/x" ? "" : extra}`));

  it("is idempotent on its own output (property)", () => {
    fc.assert(
      fc.property(fc.oneof(pathish, fc.string()), (raw) => {
        const once = normalizePathEntry(raw);
        if (once === undefined) return;
        const twice = normalizePathEntry(/\s/.test(once.path) ? `"${once.path}"` : once.path);
        expect(twice && { path: twice.path, kind: twice.kind, outside: twice.outside }).toEqual({
          path: once.path,
          kind: once.kind,
          outside: once.outside,
        });
      }),
    );
  });
  it("produces paths without ./, //, backslashes or inner .. (property)", () => {
    fc.assert(
      fc.property(pathish, (raw) => {
        const e = normalizePathEntry(raw);
        if (e === undefined || e.outside) return;
        expect(e.path).not.toMatch(/^\.\/|\/\/|\\|(^|\/)\.\.?(\/|$)/);
      }),
    );
  });
  it("never throws on arbitrary strings (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.option(fc.string()), (raw, root) => {
        normalizePathEntry(raw, root ?? undefined);
      }),
    );
  });
});

describe("splitFilesText", () => {
  it("returns a single path", () => {
    expect(splitFilesText("lib/a.ts")).toEqual(["lib/a.ts"]);
  });
  it("splits comma-separated paths", () => {
    expect(splitFilesText("lib/a.ts, lib/b.ts,lib/c.ts")).toEqual(["lib/a.ts", "lib/b.ts", "lib/c.ts"]);
  });
  it("splits one path per line, ignoring blank lines and trailing commas", () => {
    expect(splitFilesText("\n  lib/a.ts,\n\n  lib/b.ts\n")).toEqual(["lib/a.ts", "lib/b.ts"]);
  });
  it("accepts bullet lines and backticked paths", () => {
    expect(splitFilesText("- `lib/a.ts`\n* lib/b.ts")).toEqual(["lib/a.ts", "lib/b.ts"]);
  });
  it("strips (new) and — notes, even when the note contains commas", () => {
    expect(splitFilesText("lib/a.ts (new, small), lib/b.ts — note")).toEqual(["lib/a.ts", "lib/b.ts"]);
    expect(splitFilesText("lib/c.ts   # why, and more")).toEqual(["lib/c.ts"]);
  });
  it("does not split commas inside brace globs", () => {
    expect(splitFilesText("lib/{a,b}.ts, docs/x.md")).toEqual(["lib/{a,b}.ts", "docs/x.md"]);
  });
  it("expands phrases joined by ->, + and or", () => {
    expect(splitFilesText("docs/x.md -> docs/x.de.md + docs/x.en.md")).toEqual(["docs/x.md", "docs/x.de.md", "docs/x.en.md"]);
    expect(splitFilesText("lib/a.pyx or lib/b.pyx")).toEqual(["lib/a.pyx", "lib/b.pyx"]);
  });
  it("keeps a dir/name-with-space.ext path whole", () => {
    expect(splitFilesText("design/Motion Spec.html")).toEqual(["design/Motion Spec.html"]);
  });
  it("returns nothing for prose, none-notes and HTML comments", () => {
    expect(splitFilesText("(none — verification only)")).toEqual([]);
    expect(splitFilesText("N/A (manual check)")).toEqual([]);
    expect(splitFilesText("No new files. This task only checks output.")).toEqual([]);
    expect(splitFilesText("<!-- read only: lib/a.ts -->")).toEqual([]);
  });
  it("accepts an inline [a, b] list and HTML entities", () => {
    expect(splitFilesText("[lib/a.ts, lib/b.ts]")).toEqual(["lib/a.ts", "lib/b.ts"]);
    expect(splitFilesText("db/&lt;TS&gt;_x.sql")).toEqual(["db/<TS>_x.sql"]);
  });
  it("only returns strings that normalise to an entry, and never throws (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        for (const p of splitFilesText(text)) expect(normalizePathEntry(p)).toBeDefined();
      }),
    );
  });
});
