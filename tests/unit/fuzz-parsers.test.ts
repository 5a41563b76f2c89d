/**
 * Every parser and reader of user input, fed arbitrary and hostile text: no exception escapes,
 * every rejection is a value (a diagnostic with a known code, a file problem with a path, a hook
 * event saying why it is unrelated), and the work is bounded by the input: counted steps for
 * glob matching (the one that used to be exponential), input and output limits for the rest.
 */
import fc from "fast-check";
import { DIAGNOSTIC_CODES, type Diagnostic } from "../../lib/core/common/diagnostic";
import { ECHO_LIMIT, MESSAGE_LIMIT, bounded, echo } from "../../lib/core/common/echo";
import { displayName, nameProblem } from "../../lib/core/common/safe-name";
import { parseBudgetText } from "../../lib/core/budget/budget-schema";
import { parseConfig } from "../../lib/core/plan/config";
import { parseContextRefs } from "../../lib/core/plan/context-refs";
import { parseCurrentPhase } from "../../lib/core/plan/current-phase";
import { cleanDependsValue } from "../../lib/core/plan/depends";
import { parseDuration } from "../../lib/core/plan/duration";
import { parseFrontMatter } from "../../lib/core/plan/frontmatter";
import { MAX_RANGE, MAX_STATES, compileGlob, runGlob } from "../../lib/core/plan/glob-match";
import { lenientYaml } from "../../lib/core/plan/lenient-yaml";
import { normalizePathEntry, splitFilesText } from "../../lib/core/plan/path-entry";
import { overlaps } from "../../lib/core/plan/path-overlap";
import { MAX_ENTRY_CHARS } from "../../lib/core/plan/path-syntax";
import { extractPathToken } from "../../lib/core/plan/path-token";
import { parsePlanDoc } from "../../lib/core/plan/plan-doc";
import { parsePlanFileName } from "../../lib/core/plan/plan-name";
import { parseSummary } from "../../lib/core/plan/summary";
import { parseTasks } from "../../lib/core/plan/tasks";
import { readHistoryText } from "../../lib/core/queue/history-migrate";
import { parsePostToolUse, parsePreAgent, parseSubagentStop } from "../../lib/core/queue/hook-payload";
import { parseRoadmap } from "../../lib/core/roadmap/roadmap";
import { terminalSafe } from "../../lib/render/terminal-safe";

const RUNS = { numRuns: 250 };
const KNOWN = new Set<string>(DIAGNOSTIC_CODES);

/** Pieces of the syntax the parsers look for, so random text reaches their inner branches. */
const PIECES = [
  "---",
  "---js",
  "...",
  "\n",
  "\r\n",
  "  ",
  "\t",
  "- ",
  "depends_on:",
  "files_modified:",
  "wave:",
  "autonomous:",
  "plan:",
  "phase:",
  "duration:",
  "[",
  "]",
  "{",
  "}",
  ",",
  ":",
  "&a ",
  "*a",
  "!!js/function ",
  "'",
  '"',
  "`",
  "01-01",
  "02",
  "01.10",
  "2026-01-01",
  "true",
  "null",
  "~",
  "<task>",
  '<task type="checkpoint:human-verify">',
  "</task>",
  "<files>",
  "</files>",
  "<read_first>",
  "</read_first>",
  "<context>",
  "</context>",
  "## Task 1: x",
  "@",
  "@src/a.ts",
  "src/",
  "*",
  "**",
  "?",
  "{a,b}",
  "{1..300}",
  "#",
  "(",
  ")",
  "\\",
  "../",
  "/abs/",
  "~/",
  "$HOME/",
  "\u001b[2J",
  "\u009b",
  "\u202e",
  "\u0000",
  "# Phase 1: x",
  "Phase: 2 of 3",
  "**Depends on:** Phase 1",
  "- [x] **Phase 2: y**",
  "| 1. x | 1/2 | In Progress |",
  "45 min",
  "1h 30m",
];
const piece = fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 8 }), fc.string({ unit: "binary", maxLength: 4 }));
const hostile = fc.array(piece, { maxLength: 60 }).map((a) => a.join(""));
const lines = (s: string) => s.split("\n").length;

function wellFormed(list: readonly Diagnostic[], file?: string): void {
  for (const d of list) {
    expect(KNOWN.has(d.code)).toBe(true);
    expect(["error", "warning", "info"]).toContain(d.severity);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message.length).toBeLessThanOrEqual(MESSAGE_LIMIT + 40);
    if (file !== undefined && d.file !== undefined) expect(d.file).toBe(file);
  }
}

describe("plan readers", () => {
  it("front matter: never throws, diagnostics carry codes, key lines lie inside the text", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const fm = parseFrontMatter(text, "p.md");
        wellFormed(fm.diagnostics, "p.md");
        for (const line of Object.values(fm.keyLines)) expect(line).toBeLessThanOrEqual(lines(text));
        expect(fm.bodyOffset).toBeLessThanOrEqual(text.length);
        expect(typeof fm.raw).toBe("object");
      }),
      RUNS,
    );
  });

  it("whole plans (depends_on, files lists, tasks, context refs): no throw, output bounded by the input", () => {
    fc.assert(
      fc.property(hostile, (body) => {
        const text = `---\n${body}\n---\n${body}`;
        const doc = parsePlanDoc(text, "p.md", "/proj");
        wellFormed(doc.diagnostics, "p.md");
        expect(doc.dependsOn.length + doc.filesModified.length).toBeLessThanOrEqual(text.length);
        for (const d of doc.dependsOn) expect(d.value.length).toBeLessThanOrEqual(MAX_ENTRY_CHARS);
        for (const f of doc.filesModified) expect(f.outside).toBe(false);
        expect(doc.tasks.length).toBeLessThanOrEqual(text.split("<task").length + text.split("Task").length);
      }),
      RUNS,
    );
  });

  it("every YAML shape of depends_on and files_modified is either read or reported", () => {
    const yamlValue = fc.oneof(
      fc.constantFrom('["01-01"]', '[["01-01"]]', "{a: 1}", "true", "[2026-01-01]", "[1, 2]", "&x [01]", "[null]", '[""]', "[{plan: 01-01}]", "[{x: 1}]"),
      fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
    );
    fc.assert(
      fc.property(yamlValue, yamlValue, (deps, files) => {
        const doc = parsePlanDoc(`---\ndepends_on: ${deps}\nfiles_modified: ${files}\n---\n`, "p.md");
        wellFormed(doc.diagnostics);
        if (doc.diagnostics.some((d) => d.code === "frontmatter-invalid")) return; // reported as a whole
        const fm = parseFrontMatter(`---\ndepends_on: ${deps}\nfiles_modified: ${files}\n---\n`, "q.md").data ?? {};
        const count = (code: string) => doc.diagnostics.filter((d) => d.code === code).length;
        // Every item became an entry or has its own diagnostic: nothing disappears silently.
        const deps_ = fm.depends_on;
        if (Array.isArray(deps_)) expect(doc.dependsOn.length + count("depends-unreadable")).toBe(deps_.length);
        else if (deps_ !== null && typeof deps_ === "object") expect(count("depends-unreadable")).toBe(1);
        const files_ = fm.files_modified;
        const kept = doc.filesModified.length + count("path-outside-project");
        if (Array.isArray(files_)) expect(kept + count("files-unreadable")).toBeLessThanOrEqual(files_.length);
        if (Array.isArray(files_) && files_.every((f) => typeof f !== "string")) expect(count("files-unreadable")).toBe(files_.length);
      }),
      RUNS,
    );
  });

  it("lenient YAML, tasks and context refs alone: no throw, counts bounded by their markers", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(Object.keys(lenientYaml(text)).length).toBeLessThanOrEqual(lines(text));
        expect(parseTasks(text).length).toBeLessThanOrEqual(text.split("<task").length - 1 + text.split("Task").length - 1);
        expect(parseContextRefs(text).length).toBeLessThanOrEqual(text.split("@").length - 1);
      }),
      RUNS,
    );
  });

  it("summaries and durations: no throw, durations finite and not negative", () => {
    fc.assert(
      fc.property(hostile, fc.anything(), (text, value) => {
        const s = parseSummary(text, "s.md");
        wellFormed(s.diagnostics, "s.md");
        if (s.durationMinutes !== undefined) expect(Number.isFinite(s.durationMinutes) && s.durationMinutes >= 0).toBe(true);
        const d = parseDuration(value);
        if (d !== undefined) expect(Number.isFinite(d) && d >= 0).toBe(true);
      }),
      RUNS,
    );
  });

  it("plan file names and depends values: no throw", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        parsePlanFileName(text, "01");
        expect(cleanDependsValue(text).token.length).toBeLessThanOrEqual(text.length);
      }),
      RUNS,
    );
  });
});

describe("path entries and glob overlap", () => {
  it("entries longer than MAX_ENTRY_CHARS are not read (the input limit every per-entry step relies on)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z._-]{1,3}$/), (unit) => {
        const long = `src/${unit.repeat(Math.ceil((MAX_ENTRY_CHARS + 1) / unit.length))}.ts`;
        expect(extractPathToken(long)).toBeUndefined();
        expect(normalizePathEntry(long)).toBeUndefined();
        expect(splitFilesText(long)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it("normalising and splitting never throw; normalised entries stay in the project or are marked outside", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        for (const p of splitFilesText(text)) expect(p.length).toBeLessThanOrEqual(MAX_ENTRY_CHARS);
        const e = normalizePathEntry(text, "/proj");
        if (e && !e.outside) expect(e.path.startsWith("../") || e.path.startsWith("/")).toBe(false);
      }),
      RUNS,
    );
  });

  const globText = fc
    .array(fc.constantFrom("a", "b", "/", "*", "**", "?", "{", "}", ",", "..", "1", "9", ".", "{1..300}", "{a,b}"), { maxLength: 40 })
    .map((a) => a.join(""));
  const pathText = fc.array(fc.constantFrom("a", "b", "/", ".", "1", "x"), { maxLength: 80 }).map((a) => a.join(""));

  it("glob automata are linear in the pattern and matching is (path + 1) x states steps at most", () => {
    fc.assert(
      fc.property(globText, pathText, (glob, path) => {
        const a = compileGlob(glob);
        if (a === undefined) return;
        // Each character makes at most 3 states; a range at most MAX_RANGE alternatives of 4.
        expect(a.states.length).toBeLessThanOrEqual(1 + 4 * glob.length + (glob.split("..").length - 1) * (MAX_RANGE * 5 + 2));
        const { steps } = runGlob(a, path);
        expect(steps).toBeLessThanOrEqual((path.length + 1) * a.states.length * 2);
      }),
      RUNS,
    );
  });

  it("the pair that took exponential time is decided in a number of steps linear in the path", () => {
    for (const k of [8, 16, 32]) {
      const a = compileGlob(`src/${"*a".repeat(k)}*b`);
      if (a === undefined) throw new Error("compiles");
      const path = `src/${"a".repeat(400)}`;
      const r = runGlob(a, path);
      expect(r.matched).toBe(false);
      expect(r.steps).toBeLessThanOrEqual((path.length + 1) * a.states.length * 2);
      expect(runGlob(a, `${path}b`).matched).toBe(true);
    }
  });

  it("a pattern too large to compile falls back to its static prefix (it may overlap, never misses)", () => {
    const huge = `src/${"{1..200}".repeat(100)}`;
    expect(compileGlob(huge)).toBeUndefined();
    const glob = normalizePathEntry(huge);
    const file = normalizePathEntry("src/5.ts");
    if (!glob || !file) throw new Error("normalises");
    expect(overlaps(glob, file)).toBe(true);
    expect(MAX_STATES).toBeGreaterThan(1000);
  });
});

describe("planning documents and state files", () => {
  it("STATE.md: no throw, the line found lies inside the text", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const c = parseCurrentPhase(text);
        if (c) expect(c.line).toBeLessThanOrEqual(lines(text));
      }),
      RUNS,
    );
  });

  it("ROADMAP.md: no throw, diagnostics carry codes and point into the file", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const r = parseRoadmap(text, "ROADMAP.md");
        wellFormed(r.diagnostics, "ROADMAP.md");
        expect(r.phases.length).toBeLessThanOrEqual(lines(text));
      }),
      RUNS,
    );
  });

  const jsonish = fc.oneof(
    hostile,
    fc.json(),
    fc.anything().map((v) => {
      try {
        return JSON.stringify(v) ?? "null";
      } catch {
        return "null";
      }
    }),
  );

  it("config.json: no throw, every problem a config diagnostic", () => {
    fc.assert(
      fc.property(jsonish, (text) => {
        const c = parseConfig(text, ".planning/config.json");
        wellFormed(c.diagnostics, ".planning/config.json");
        expect(c.settings.maxConcurrent).toBeGreaterThanOrEqual(1);
      }),
      RUNS,
    );
  });

  it("agent-history.json and token-budget.json: no throw, a rejection lists problems with a path and a message", () => {
    fc.assert(
      fc.property(jsonish, (text) => {
        for (const r of [readHistoryText(text), parseBudgetText(text)]) {
          if (r.ok) continue;
          expect(r.problems.length).toBeGreaterThan(0);
          for (const p of r.problems) expect(p.path.length > 0 && p.message.length > 0).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("hook payloads: no throw, anything not understood is 'unrelated' with a reason", () => {
    const payload = fc.oneof(
      jsonish,
      fc
        .record({ tool_name: fc.constantFrom("Agent", "Task", "Bash"), tool_input: fc.record({ prompt: hostile }), agent_id: fc.string() })
        .map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(payload, (text) => {
        for (const e of [parsePreAgent(text), parsePostToolUse(text), parseSubagentStop(text)]) {
          if (e.kind === "unrelated") expect(e.why.length).toBeGreaterThan(0);
          else if (e.kind === "pre-agent") expect(e.planFile.length).toBeGreaterThan(0);
          else expect(typeof e.agentId).toBe("string");
        }
      }),
      RUNS,
    );
  });
});

describe("what is printed", () => {
  it("echo is one line and bounded; bounded says how long the original was", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (s) => {
        const e = echo(s);
        expect(e).not.toMatch(/[\n\r\u2028\u2029]/);
        expect(e.length).toBeLessThanOrEqual(ECHO_LIMIT * 2 + 30);
        if (s.length > ECHO_LIMIT) expect(bounded(s, ECHO_LIMIT)).toContain(`(${s.length} characters)`);
      }),
      RUNS,
    );
  });

  it("terminalSafe leaves no control character but newline and tab, and only Style's own colour codes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), fc.boolean(), (s, keep) => {
        const out = terminalSafe(s, keep);
        const rest = keep ? out.replace(/\u001b\[(?:1|2|22|31|32|33|36|39)m/g, "") : out;
        expect(rest).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      }),
      RUNS,
    );
  });

  it("a JSON document stays the same value through terminalSafe", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(JSON.parse(terminalSafe(text, false))).toEqual(JSON.parse(text));
      }),
      RUNS,
    );
  });

  it("a name is safe exactly when displayName leaves it alone, and its display is one line", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (name) => {
        const shown = displayName(name);
        expect(nameProblem(name) === undefined).toBe(shown === name);
        expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      }),
      RUNS,
    );
  });
});
