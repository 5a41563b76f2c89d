import fc from "fast-check";
import { parseContextRefs } from "../../lib/core/plan/context-refs";
import { normalizePathEntry } from "../../lib/core/plan/path-entry";

const paths = (text: string) => parseContextRefs(text).map((r) => r.path);

describe("parseContextRefs", () => {
  it("reads @.planning/ references with raw text and line", () => {
    expect(parseContextRefs("@.planning/STATE.md")).toEqual([{ raw: "@.planning/STATE.md", path: ".planning/STATE.md", kind: "file", line: 1 }]);
  });
  it("reads @src/ and @./ references, normalising ./", () => {
    expect(paths("@lib/core/a.ts\n@./README.md")).toEqual(["lib/core/a.ts", "README.md"]);
  });
  it("ignores a parenthesised note after the reference, with or without a space", () => {
    expect(paths("@lib/a.ts (for types)\n@lib/b.ts(shape)")).toEqual(["lib/a.ts", "lib/b.ts"]);
  });
  it("ignores a dash note after the reference", () => {
    expect(paths("@lib/a.ts — why we read it\n@lib/b.ts - also")).toEqual(["lib/a.ts", "lib/b.ts"]);
  });
  it("reads backticked and bulleted references", () => {
    expect(paths("- `@lib/a.ts`\n* @lib/b.ts\n1. @lib/c.ts")).toEqual(["lib/a.ts", "lib/b.ts", "lib/c.ts"]);
  });
  it("reads several references on one line", () => {
    expect(paths("See @lib/a.ts and @lib/b.ts, then @docs/c.md.")).toEqual(["lib/a.ts", "lib/b.ts", "docs/c.md"]);
  });
  it("counts lines from 1 and adds lineOffset", () => {
    const refs = parseContextRefs("intro\r\n\r\n@lib/a.ts\n@lib/b.ts", 10);
    expect(refs.map((r) => r.line)).toEqual([13, 14]);
  });
  it("strips :line suffixes and sentence punctuation", () => {
    expect(paths("@lib/a.ts:12 and @lib/b.ts; and **@lib/c.ts**")).toEqual(["lib/a.ts", "lib/b.ts", "lib/c.ts"]);
  });
  it("ignores email addresses and version pins (@ not at a token start)", () => {
    expect(paths("mail dev@example.com, uses actions/checkout@v4 and pkg@^5")).toEqual([]);
  });
  it("ignores npm scoped package names", () => {
    expect(paths("install @scope/pkg and @types/node, replace `@scope/*`")).toEqual([]);
  });
  it("ignores path aliases and absolute or home paths", () => {
    expect(paths("@/lib/alias\n@~/.claude/workflows/x.md\n@/Users/me/x.md\n@C:/tools/x.md\n@$HOME/x.md")).toEqual([]);
  });
  it("ignores references that escape the project", () => {
    expect(paths("@../other/x.md")).toEqual([]);
  });
  it("ignores decorators and variables without a known extension", () => {
    expect(paths("@dataclass\n@click.stop\n@lib.compile(x)\n@user = users(:one)")).toEqual([]);
  });
  it("accepts slash-less files with a source extension, dotfiles and extensionless names", () => {
    expect(paths("@types.ts @CLAUDE.md @.env.example @Makefile @lib/Dockerfile")).toEqual([
      "types.ts",
      "CLAUDE.md",
      ".env.example",
      "Makefile",
      "lib/Dockerfile",
    ]);
  });
  it("reads directory and glob references with their kind", () => {
    const refs = parseContextRefs("@.planning/phases/ @lib/**/*.ts");
    expect(refs.map((r) => [r.path, r.kind])).toEqual([
      [".planning/phases/", "dir"],
      ["lib/**/*.ts", "glob"],
    ]);
  });
  it("reads a whole-line reference whose directory names contain spaces", () => {
    expect(paths("- @Design Files/ui/App.jsx (reference)")).toEqual(["Design Files/ui/App.jsx"]);
  });
  it("keeps route-group parentheses inside a path", () => {
    expect(paths("@app/(admin)/page.tsx (the page)")).toEqual(["app/(admin)/page.tsx"]);
  });

  it("never throws, and returns normalised in-project paths (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        for (const ref of parseContextRefs(text)) {
          const again = normalizePathEntry(`"${ref.path}"`);
          expect(again?.path).toBe(ref.path);
          expect(again?.outside).toBe(false);
        }
      }),
    );
  });
  it("finds every generated reference among filler words (property)", () => {
    const seg = fc.constantFrom("lib", "core", "a-b", "x_y", "[id]");
    const ref = fc
      .tuple(fc.array(seg, { minLength: 0, maxLength: 3 }), fc.constantFrom("a.ts", "N.md", "c.py"))
      .map(([dirs, name]) => [...dirs, name].join("/"));
    const filler = fc.constantFrom("see", "and", "(for types)", "—", "email x@y.com", "", "@decorator");
    fc.assert(
      fc.property(fc.array(fc.tuple(filler, ref), { maxLength: 5 }), (parts) => {
        const text = parts.map(([f, r]) => `${f} @${r}`).join(" ");
        expect(paths(text)).toEqual(parts.map(([, r]) => r));
      }),
    );
  });
});
