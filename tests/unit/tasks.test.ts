import { parseTasks } from "../../lib/core/plan/tasks";

const doc = (...lines: string[]): string => lines.join("\n");

describe("parseTasks: XML tasks", () => {
  it("reads type, name, files and read_first of each task, with file line numbers", () => {
    const text = doc(
      "---", // 1
      "phase: 02", // 2
      "---", // 3
      "<tasks>", // 4
      '<task type="auto">', // 5
      "  <name>Task 1: Create the model</name>", // 6
      "  <files>src/model.ts, src/db.ts</files>", // 7
      "  <read_first>docs/schema.md</read_first>", // 8
      "</task>", // 9
      '<task type="tdd">', // 10
      "  <name>Task 2: Test it</name>", // 11
      "</task>", // 12
      "</tasks>",
    );
    const tasks = parseTasks(text);
    expect(tasks).toHaveLength(2);
    expect(tasks[0]).toMatchObject({
      type: "auto",
      name: "Task 1: Create the model",
      filesText: "src/model.ts, src/db.ts",
      readFirstText: "docs/schema.md",
      line: 5,
      form: "xml",
    });
    expect(tasks[1]).toMatchObject({ type: "tdd", name: "Task 2: Test it", line: 10, form: "xml" });
    expect(tasks[1]?.filesText).toBeUndefined();
    expect(tasks[1]?.checkpoint).toBeUndefined();
  });

  it("points innerOffset just after the opening tag", () => {
    const text = '<task type="auto"><name>A</name></task>';
    const [task] = parseTasks(text);
    expect(text.slice(task?.innerOffset)).toMatch(/^<name>A<\/name>/);
  });

  it("defaults the type to auto and keeps multi-line <files> text raw", () => {
    const [task] = parseTasks(doc("<task>", "<name>Build</name>", "<files>", "- src/a.ts", "- src/b.ts", "</files>", "</task>"));
    expect(task).toMatchObject({ type: "auto", name: "Build", filesText: "\n- src/a.ts\n- src/b.ts\n" });
  });

  it("reads every checkpoint kind and its gate", () => {
    const tasks = parseTasks(
      doc(
        '<task type="checkpoint:human-verify" gate="blocking"><name>Look</name></task>',
        '<task type="checkpoint:decision"><name>Choose</name></task>',
        '<task type="checkpoint:human-action" gate="blocking"><name>Click</name></task>',
        '<task type="checkpoint"><name>Bare</name></task>',
      ),
    );
    expect(tasks.map((t) => [t.checkpoint, t.gate])).toEqual([
      ["human-verify", "blocking"],
      ["decision", undefined],
      ["human-action", "blocking"],
      ["checkpoint", undefined],
    ]);
  });

  it("takes a name from title/desc/id attributes when there is no <name>", () => {
    expect(parseTasks('<task type="auto" title="From title"></task>')[0]?.name).toBe("From title");
    expect(parseTasks('<task desc="From desc"></task>')[0]?.name).toBe("From desc");
    expect(parseTasks('<task id="t-3"></task>')[0]?.name).toBe("t-3");
    expect(parseTasks("<task></task>")[0]?.name).toBe("");
  });

  it("ends an unclosed task where the next one starts", () => {
    const tasks = parseTasks(
      doc('<task type="auto"><name>One</name><files>src/a.ts</files>', '<task type="auto"><name>Two</name><files>src/b.ts</files></task>'),
    );
    expect(tasks.map((t) => [t.name, t.filesText])).toEqual([
      ["One", "src/a.ts"],
      ["Two", "src/b.ts"],
    ]);
  });

  it("does not read <files> of the next task into an unclosed one", () => {
    const tasks = parseTasks(doc('<task type="auto"><name>One</name>', '<task type="auto"><name>Two</name><files>src/b.ts</files></task>'));
    expect(tasks[0]?.filesText).toBeUndefined();
  });

  it("skips text before `from` (front matter mentioning <task>)", () => {
    const text = doc("---", "note: <task>fake</task>", "---", '<task type="auto"><name>Real</name></task>');
    const from = text.indexOf("<task type");
    expect(parseTasks(text, from).map((t) => t.name)).toEqual(["Real"]);
    expect(parseTasks(text)).toHaveLength(2);
  });

  it("does not match <tasks> as a task", () => {
    expect(parseTasks("<tasks>\n</tasks>")).toEqual([]);
  });
});

describe("parseTasks: ## Task N headings", () => {
  it("reads headings when there are no XML tasks, with lines and separators", () => {
    const text = doc("# Plan", "", "## Task 1: Build the API", "text", "### Task 2. Wire it", "#### Task 3 — Docs", "#### Task 4");
    const tasks = parseTasks(text);
    expect(tasks.map((t) => [t.name, t.line, t.form, t.type])).toEqual([
      ["Task 1: Build the API", 3, "heading", "auto"],
      ["Task 2: Wire it", 5, "heading", "auto"],
      ["Task 3: Docs", 6, "heading", "auto"],
      ["Task 4", 7, "heading", "auto"],
    ]);
  });

  it("marks a heading that mentions a checkpoint as a human-verify checkpoint", () => {
    const [, second] = parseTasks(doc("## Task 1: Build", "## Task 2: Checkpoint - verify in browser"));
    expect(second?.checkpoint).toBe("human-verify");
  });

  it("ignores # and ##### headings and headings that are not Task N", () => {
    expect(parseTasks(doc("# Task 1: too shallow", "##### Task 2: too deep", "## Tasks", "## Task list"))).toEqual([]);
  });

  it("ignores headings when XML tasks exist", () => {
    const tasks = parseTasks(doc('<task type="auto"><name>X</name></task>', "## Task 1: heading"));
    expect(tasks.map((t) => t.form)).toEqual(["xml"]);
  });

  it("skips headings before `from`", () => {
    const text = doc("## Task 1: in front matter", "---", "## Task 2: body");
    expect(parseTasks(text, text.indexOf("---")).map((t) => t.name)).toEqual(["Task 2: body"]);
  });
});
