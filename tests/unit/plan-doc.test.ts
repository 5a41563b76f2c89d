import { parsePlanDoc } from "../../lib/core/plan/plan-doc";

const FILE = ".planning/phases/02-core/02-03-PLAN.md";
const ROOT = "/home/dev/app";
const doc = (...lines: string[]): string => lines.join("\n");

describe("parsePlanDoc: front-matter fields", () => {
  const text = doc(
    "---", // 1
    "phase: 02-core", // 2
    "plan: 03", // 3
    "type: execute", // 4
    "wave: 2", // 5
    "depends_on:", // 6
    "  - 02-01", // 7
    '  - "02-02 (schema)"', // 8
    "files_modified:", // 9
    "  - src/api.ts  # main entry", // 10
    '  - "./src/routes.ts"', // 11
    "  - src/new.ts (NEW)", // 12
    `  - ${ROOT}/src/abs.ts`, // 13
    "  - /etc/hosts", // 14
    "  - src/components/", // 15
    "  - src/**/*.test.ts", // 16
    "autonomous: true", // 17
    "requirements: [API-01, API-02]", // 18
    "must_haves:", // 19
    '  truths: ["the API answers"]', // 20
    "---",
    "",
    "Body.",
  );
  const plan = parsePlanDoc(text, FILE, ROOT);

  it("reads the scalar fields", () => {
    expect(plan).toMatchObject({ hasFrontMatter: true, phase: "02-core", plan: "03", type: "execute", wave: 2, autonomous: true });
  });

  it("keeps `plan: 03` as written, not as the number 3", () => {
    expect(plan.plan).toBe("03");
  });

  it("reads depends_on entries as written, each with its own line", () => {
    expect(plan.dependsOn).toEqual([
      { value: "02-01", line: 7 },
      { value: "02-02 (schema)", line: 8 },
    ]);
  });

  it("normalises files_modified: comments, quotes, ./, (NEW) notes, absolute paths under the root, dirs and globs", () => {
    expect(plan.filesModified.map((f) => [f.path, f.kind])).toEqual([
      ["src/api.ts", "file"],
      ["src/routes.ts", "file"],
      ["src/new.ts", "file"],
      ["src/abs.ts", "file"],
      ["src/components/", "dir"],
      ["src/**/*.test.ts", "glob"],
    ]);
  });

  it("keeps an absolute path outside the project apart, for the analysis to relate to the project", () => {
    expect(plan.filesModified.some((f) => f.raw === "/etc/hosts")).toBe(false);
    expect(plan.foreignWrites.map((f) => f.path)).toEqual(["/etc/hosts"]);
    expect(plan.diagnostics).toEqual([]);
  });

  it("drops a path that climbs out of the project with a warning on the files_modified line", () => {
    const doc = parsePlanDoc(["---", "files_modified:", "  - ../other/x.ts", "---", ""].join("\n"), FILE);
    expect(doc.filesModified).toEqual([]);
    expect(doc.foreignWrites).toEqual([]);
    expect(doc.diagnostics).toEqual([expect.objectContaining({ severity: "warning", code: "path-outside-project", file: FILE, line: 2 })]);
  });

  it("reads requirements and keeps must_haves as data", () => {
    expect(plan.requirements).toEqual(["API-01", "API-02"]);
    expect(plan.mustHaves).toEqual({ truths: ["the API answers"] });
  });

  it("records the line of every key", () => {
    expect(plan.keyLines).toMatchObject({ phase: 2, plan: 3, wave: 5, depends_on: 6, files_modified: 9, autonomous: 17 });
  });
});

describe("parsePlanDoc: depends_on forms", () => {
  const deps = (yaml: string) => parsePlanDoc(doc("---", yaml, "---"), FILE).dependsOn.map((d) => d.value);

  it("an empty list", () => {
    expect(deps("depends_on: []")).toEqual([]);
  });
  it("quoted and unquoted inline lists", () => {
    expect(deps('depends_on: ["11-02"]')).toEqual(["11-02"]);
    expect(deps("depends_on: [11-02, 11-03]")).toEqual(["11-02", "11-03"]);
  });
  it("bare numbers keep their padding and decimals", () => {
    expect(deps("depends_on: [01, 02.10]")).toEqual(["01", "02.10"]);
    expect(deps("depends_on: 01")).toEqual(["01"]);
  });
  it("a comma list in one string", () => {
    expect(deps('depends_on: "02-01, 02-02"')).toEqual(["02-01", "02-02"]);
  });
  it("file names", () => {
    expect(deps("depends_on: [12-01-PLAN.md]")).toEqual(["12-01-PLAN.md"]);
  });
  it("mapping entries name the plan by `plan` or `id`", () => {
    expect(deps(doc("depends_on:", "  - plan: 02-01", "  - id: 02-02"))).toEqual(["02-01", "02-02"]);
  });
  it("a quoted annotated entry with a comma next to a bare number keeps both entries whole", () => {
    expect(deps('depends_on: ["02-01 (schema, api)", 03]')).toEqual(["02-01 (schema, api)", "03"]);
  });
  it("null, empty strings and booleans are dropped", () => {
    expect(deps("depends_on:")).toEqual([]);
    expect(deps('depends_on: ["", "02-01"]')).toEqual(["02-01"]);
  });
  it("gives inline entries the key's line", () => {
    const plan = parsePlanDoc(doc("---", "phase: 02", "depends_on: [01, 02]", "---"), FILE);
    expect(plan.dependsOn).toEqual([
      { value: "01", line: 3 },
      { value: "02", line: 3 },
    ]);
  });
  it("gives block-list entries their own lines past comments and blank lines", () => {
    const plan = parsePlanDoc(doc("---", "depends_on:", "  # schema first", "  - 02-01", "", "  - 02-02", "wave: 2", "---"), FILE);
    expect(plan.dependsOn).toEqual([
      { value: "02-01", line: 4 },
      { value: "02-02", line: 6 },
    ]);
  });
  it("keeps depends_on when the rest of the YAML is broken", () => {
    const plan = parsePlanDoc(doc("---", "depends_on:", "  - 02-01", "title: a: b", "---"), FILE);
    expect(plan.dependsOn.map((d) => d.value)).toEqual(["02-01"]);
    expect(plan.diagnostics.map((d) => d.code)).toContain("frontmatter-invalid");
  });
});

describe("parsePlanDoc: other fields", () => {
  it("reads files_modified given as one string or as mappings", () => {
    expect(parsePlanDoc(doc("---", "files_modified: src/a.ts", "---"), FILE).filesModified.map((f) => f.path)).toEqual(["src/a.ts"]);
    expect(
      parsePlanDoc(doc("---", "files_modified:", "  - path: src/a.ts", "  - file: src/b.ts", "  - note: nothing", "---"), FILE).filesModified.map(
        (f) => f.path,
      ),
    ).toEqual(["src/a.ts", "src/b.ts"]);
  });

  it("accepts wave as a string number and warns about one that is not a whole number", () => {
    expect(parsePlanDoc(doc("---", 'wave: "3"', "---"), FILE).wave).toBe(3);
    const bad = parsePlanDoc(doc("---", "phase: 02", "wave: two", "---"), FILE);
    expect(bad.wave).toBeUndefined();
    expect(bad.diagnostics).toEqual([expect.objectContaining({ code: "field-invalid", severity: "warning", line: 3 })]);
    expect(parsePlanDoc(doc("---", "wave: 1.5", "---"), FILE).wave).toBeUndefined();
  });

  it("reads autonomous true/false, as booleans or text, and treats anything else as needing a person", () => {
    expect(parsePlanDoc(doc("---", "autonomous: false", "---"), FILE).autonomous).toBe(false);
    expect(parsePlanDoc(doc("---", 'autonomous: "true"', "---"), FILE).autonomous).toBe(true);
    expect(parsePlanDoc(doc("---", "phase: 02", "---"), FILE).autonomous).toBeUndefined();
    const maybe = parsePlanDoc(doc("---", "autonomous: maybe", "---"), FILE);
    expect(maybe.autonomous).toBe(false);
    expect(maybe.diagnostics).toEqual([expect.objectContaining({ code: "field-invalid", line: 2 })]);
  });
});

describe("parsePlanDoc: body", () => {
  it("collects tasks, checkpoint kinds and the files tasks touch or read first", () => {
    const text = doc(
      "---", // 1
      "phase: 02", // 2
      "---", // 3
      "<tasks>", // 4
      '<task type="auto">', // 5
      "  <name>Build</name>", // 6
      "  <files>src/a.ts, src/c.ts, /etc/passwd, src/dir/</files>", // 7
      "  <read_first>docs/spec.md</read_first>", // 8
      "</task>", // 9
      '<task type="checkpoint:human-verify" gate="blocking">', // 10
      "  <name>Look at it</name>", // 11
      "</task>", // 12
      "</tasks>",
    );
    const plan = parsePlanDoc(text, FILE, ROOT);
    expect(plan.tasks.map((t) => t.name)).toEqual(["Build", "Look at it"]);
    expect(plan.checkpoints).toEqual(["human-verify"]);
    expect(plan.reads).toEqual([
      { path: "src/a.ts", line: 5, via: "task" },
      { path: "src/c.ts", line: 5, via: "task" },
      { path: "docs/spec.md", line: 5, via: "read_first" },
    ]);
  });

  it("reads @-references in <context> with file line numbers", () => {
    const text = doc(
      "---", // 1
      "phase: 02", // 2
      "---", // 3
      "<context>", // 4
      "@.planning/phases/02-core/02-01-SUMMARY.md", // 5
      "- @src/types.ts (for the types)", // 6
      "</context>", // 7
      "@src/outside-context.ts", // 8
    );
    expect(parsePlanDoc(text, FILE).reads).toEqual([
      { path: ".planning/phases/02-core/02-01-SUMMARY.md", line: 5, via: "context" },
      { path: "src/types.ts", line: 6, via: "context" },
    ]);
  });

  it("reads lines that are only @-references when there is no <context> block", () => {
    const text = doc("---", "phase: 02", "---", "Intro mentions me@example.com.", "@src/a.ts", "- @src/b.ts", "Prose with @src/c.ts inside.");
    expect(parsePlanDoc(text, FILE).reads.map((r) => [r.path, r.line])).toEqual([
      ["src/a.ts", 5],
      ["src/b.ts", 6],
    ]);
  });

  it("does not read tasks or references from the front matter", () => {
    const text = doc("---", 'note: "<task type=\\"auto\\"><name>fake</name></task> @src/fm.ts"', "---", "body");
    const plan = parsePlanDoc(text, FILE);
    expect(plan.tasks).toEqual([]);
    expect(plan.reads).toEqual([]);
  });
});

describe("parsePlanDoc: unusual files", () => {
  it("loads a plan without front matter, from its body, with a warning", () => {
    const plan = parsePlanDoc(doc("# Plan 02-03", "", "## Task 1: Build", "## Task 2: Ship"), FILE);
    expect(plan.hasFrontMatter).toBe(false);
    expect(plan.dependsOn).toEqual([]);
    expect(plan.tasks.map((t) => t.name)).toEqual(["Task 1: Build", "Task 2: Ship"]);
    expect(plan.diagnostics.map((d) => d.code)).toEqual(["frontmatter-missing"]);
  });

  it("loads a plan whose front matter follows a heading, with file line numbers", () => {
    const plan = parsePlanDoc(doc("# Plan 02-03", "", "---", "depends_on:", "  - 02-01", "---", "body"), FILE);
    expect(plan.hasFrontMatter).toBe(true);
    expect(plan.dependsOn).toEqual([{ value: "02-01", line: 5 }]);
    expect(plan.diagnostics.map((d) => d.code)).toEqual(["frontmatter-after-heading"]);
  });

  it("never throws on odd input", () => {
    for (const text of ["", "---", "---\n---", "<task", "<context>@", "---\ndepends_on: {a: 1}\nfiles_modified: 3\n---"]) {
      expect(() => parsePlanDoc(text, FILE)).not.toThrow();
    }
  });
});
