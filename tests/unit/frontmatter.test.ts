import { lenientYaml, parseFrontMatter } from "../../lib/core/plan/frontmatter";

const FILE = ".planning/phases/02-core/02-01-PLAN.md";
const doc = (...lines: string[]): string => lines.join("\n");

describe("parseFrontMatter: where the block is", () => {
  it("reads a normal block on line 1, with key lines and the body offset", () => {
    const text = doc("---", "phase: 02-core", "plan: 01", "wave: 2", "---", "# Body");
    const fm = parseFrontMatter(text, FILE);
    expect(fm.data).toEqual({ phase: "02-core", plan: 1, wave: 2 });
    expect(fm.lenient).toBe(false);
    expect(fm.keyLines).toEqual({ phase: 2, plan: 3, wave: 4 });
    expect(text.slice(fm.bodyOffset)).toBe("# Body");
    expect(fm.diagnostics).toEqual([]);
  });

  it("reports a missing block as a warning on line 1 and returns no data", () => {
    const fm = parseFrontMatter(doc("# Plan 02-01", "", "Just prose."), FILE);
    expect(fm.data).toBeUndefined();
    expect(fm.raw).toEqual({});
    expect(fm.bodyOffset).toBe(0);
    expect(fm.diagnostics).toEqual([{ severity: "warning", code: "frontmatter-missing", message: expect.any(String), file: FILE, line: 1 }]);
  });

  it("reads a block that follows a # heading, with a warning at the fence line and file line numbers", () => {
    const text = doc("# Plan 02-01: schema", "", "---", "phase: 02", "depends_on: []", "---", "body");
    const fm = parseFrontMatter(text, FILE);
    expect(fm.data).toEqual({ phase: 2, depends_on: [] });
    expect(fm.keyLines).toEqual({ phase: 4, depends_on: 5 });
    expect(text.slice(fm.bodyOffset)).toBe("body");
    expect(fm.diagnostics).toEqual([expect.objectContaining({ severity: "warning", code: "frontmatter-after-heading", file: FILE, line: 3 })]);
  });

  it("does not warn for blank lines before the block", () => {
    const fm = parseFrontMatter(doc("", "", "---", "phase: 02", "---"), FILE);
    expect(fm.data).toEqual({ phase: 2 });
    expect(fm.diagnostics).toEqual([]);
  });

  it("does not look for a block after prose", () => {
    const fm = parseFrontMatter(doc("Intro sentence.", "---", "phase: 02", "---"), FILE);
    expect(fm.data).toBeUndefined();
    expect(fm.diagnostics.map((d) => d.code)).toEqual(["frontmatter-missing"]);
  });

  it("does not look further than the first dozen lines of headings", () => {
    const headings = Array.from({ length: 14 }, (_, i) => `## Heading ${i}`);
    const fm = parseFrontMatter(doc(...headings, "---", "phase: 02", "---"), FILE);
    expect(fm.data).toBeUndefined();
  });

  it("treats an unclosed fence as no front matter", () => {
    const fm = parseFrontMatter(doc("---", "phase: 02", "no closing fence"), FILE);
    expect(fm.data).toBeUndefined();
    expect(fm.diagnostics.map((d) => d.code)).toEqual(["frontmatter-missing"]);
  });

  it("accepts CRLF line endings and a `...` closing fence", () => {
    expect(parseFrontMatter("---\r\nphase: 02\r\n---\r\nbody", FILE).data).toEqual({ phase: 2 });
    const dots = parseFrontMatter(doc("---", "phase: 02", "...", "body"), FILE);
    expect(dots.data).toEqual({ phase: 2 });
  });

  it("reads a block after a UTF-8 byte-order mark", () => {
    const text = "\uFEFF---\nphase: 02\ndepends_on: [02-01]\n---\nbody";
    const fm = parseFrontMatter(text, FILE);
    expect(fm.data).toEqual({ phase: 2, depends_on: ["02-01"] });
    expect(fm.keyLines).toEqual({ phase: 2, depends_on: 3 });
    expect(text.slice(fm.bodyOffset)).toBe("body");
    expect(fm.diagnostics).toEqual([]);
  });

  it("reads an empty block as an empty mapping", () => {
    const fm = parseFrontMatter(doc("---", "---", "body"), FILE);
    expect(fm.data).toEqual({});
    expect(fm.diagnostics).toEqual([]);
  });

  it("accepts an explicit yaml fence", () => {
    expect(parseFrontMatter(doc("---yaml", "phase: 02", "---"), FILE).data).toEqual({ phase: 2 });
  });
});

describe("parseFrontMatter: nothing is executed", () => {
  afterEach(() => {
    delete (globalThis as Record<string, unknown>).__gsdFrontMatterRan;
  });

  it("refuses a ---js block with frontmatter-unsafe-engine and does not run it", () => {
    const text = doc("---js", "{ phase: (globalThis.__gsdFrontMatterRan = 'yes', '02') }", "---", "body");
    const fm = parseFrontMatter(text, FILE);
    expect(fm.data).toBeUndefined();
    expect(fm.diagnostics).toEqual([expect.objectContaining({ severity: "error", code: "frontmatter-unsafe-engine", file: FILE, line: 1 })]);
    expect((globalThis as Record<string, unknown>).__gsdFrontMatterRan).toBeUndefined();
    expect(text.slice(fm.bodyOffset)).toBe("body");
  });

  it("refuses other engines and spellings (javascript, coffee, a space before the name)", () => {
    for (const fence of ["---javascript", "---coffee", "--- js", "---JS"]) {
      const fm = parseFrontMatter(doc(fence, "module.exports = { a: (globalThis.__gsdFrontMatterRan = 1) }", "---"), FILE);
      expect(fm.data).toBeUndefined();
      expect(fm.diagnostics.map((d) => d.code)).toEqual(["frontmatter-unsafe-engine"]);
    }
    expect((globalThis as Record<string, unknown>).__gsdFrontMatterRan).toBeUndefined();
  });

  it("does not treat a YAML tag as code", () => {
    const fm = parseFrontMatter(doc("---", "phase: !!js/function 'function () { globalThis.__gsdFrontMatterRan = 1 }'", "---"), FILE);
    expect((globalThis as Record<string, unknown>).__gsdFrontMatterRan).toBeUndefined();
    expect(typeof (fm.data as Record<string, unknown> | undefined)?.phase).not.toBe("function");
  });
});

describe("parseFrontMatter: invalid YAML", () => {
  it("points the error at the offending line and falls back to reading depends_on line by line", () => {
    const text = doc(
      "---", //            1
      "phase: 02", //      2
      "depends_on:", //    3
      "  - 02-01", //      4
      "  - 02-02", //      5
      "title: a: b", //    6  <- not valid YAML
      "wave: 2", //        7
      "---",
      "body",
    );
    const fm = parseFrontMatter(text, FILE);
    expect(fm.lenient).toBe(true);
    expect(fm.data).toMatchObject({ phase: "02", depends_on: ["02-01", "02-02"], wave: "2" });
    expect(fm.diagnostics).toEqual([expect.objectContaining({ severity: "error", code: "frontmatter-invalid", file: FILE, line: 6 })]);
    expect(text.slice(fm.bodyOffset)).toBe("body");
  });

  it("counts the error line from the fence when the block follows a heading", () => {
    const text = doc("# Title", "", "---", "phase: 02", "plan: 01", "phase: 03", "---");
    const fm = parseFrontMatter(text, FILE);
    const invalid = fm.diagnostics.find((d) => d.code === "frontmatter-invalid");
    expect(invalid?.line).toBe(6); // the duplicated key
  });

  it("reports a bad indentation on its own line", () => {
    const fm = parseFrontMatter(doc("---", "phase: 02", "depends_on: [02-01]", "  wave: 2", "---"), FILE);
    expect(fm.diagnostics.find((d) => d.code === "frontmatter-invalid")?.line).toBe(4);
    expect(fm.data).toMatchObject({ depends_on: ["02-01"] });
  });

  it("reports a block that is not a mapping", () => {
    const fm = parseFrontMatter(doc("---", "- a", "- b", "---"), FILE);
    expect(fm.data).toBeUndefined();
    expect(fm.diagnostics).toEqual([expect.objectContaining({ severity: "error", code: "frontmatter-invalid", line: 1 })]);
  });
});

describe("parseFrontMatter: raw values", () => {
  it("keeps [01, 02.10] as written, where YAML reads numbers", () => {
    const fm = parseFrontMatter(doc("---", "plan: 01", "depends_on: [01, 02.10]", "---"), FILE);
    expect(fm.raw).toEqual({ plan: "01", depends_on: ["01", "02.10"] });
    expect(fm.data?.plan).toBe(1);
    expect((fm.data?.depends_on as unknown[])[0]).toBe(1);
  });

  it("keeps block-list items as written, with quotes removed and comments dropped", () => {
    const fm = parseFrontMatter(doc("---", "depends_on:", "  - 01", '  - "02.10"', "files_modified: [src/a.ts]  # main", "---"), FILE);
    expect(fm.raw).toEqual({ depends_on: ["01", "02.10"], files_modified: ["src/a.ts"] });
  });

  it("does not split a quoted inline entry at its comma", () => {
    const fm = parseFrontMatter(doc("---", 'depends_on: ["02-01 (schema, api)", 01]', "---"), FILE);
    expect(fm.raw.depends_on).toEqual(["02-01 (schema, api)", "01"]);
  });
});

describe("lenientYaml", () => {
  it("reads scalars, inline lists and block lists, and ends a list at the next key", () => {
    expect(lenientYaml(doc("phase: '02'", "depends_on:", "  - 02-01", "  # a comment line", "  - 02-02", "wave: 3", "tags: [a, 'b']", "empty: []"))).toEqual({
      phase: "02",
      depends_on: ["02-01", "02-02"],
      wave: "3",
      tags: ["a", "b"],
      empty: [],
    });
  });

  it("ignores list items that belong to no key, and a trailing comment on a scalar", () => {
    expect(lenientYaml(doc("  - stray", "plan: 03  # third", "wave: 1"))).toEqual({ plan: "03", wave: "1" });
  });
});
