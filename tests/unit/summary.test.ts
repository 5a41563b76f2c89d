import { parseSummary } from "../../lib/core/plan/summary";

const FILE = ".planning/phases/03-api/03-02-SUMMARY.md";
const doc = (...lines: string[]): string => lines.join("\n");

describe("parseSummary: duration in front matter", () => {
  it("reads a top-level duration with the line of its key", () => {
    const s = parseSummary(doc("---", "phase: 03-api", "plan: 02", "duration: 4min", "---", "", "# Summary"), FILE);
    expect(s).toMatchObject({ durationMinutes: 4, durationSource: "frontmatter", durationLine: 4 });
    expect(s.diagnostics).toEqual([]);
  });

  it("reads a duration nested under metrics with the line of the nested key", () => {
    const s = parseSummary(doc("---", "phase: 03-api", "metrics:", "  tasks: 3", "  duration: ~6 min", "---"), FILE);
    expect(s).toMatchObject({ durationMinutes: 6, durationSource: "metrics", durationLine: 5 });
  });

  it("reads duration_minutes as minutes and duration_seconds as seconds", () => {
    expect(parseSummary(doc("---", "metrics:", "  duration_minutes: 12", "---"), FILE).durationMinutes).toBe(12);
    expect(parseSummary(doc("---", "metrics:", "  duration_seconds: 90", "---"), FILE).durationMinutes).toBe(1.5);
    expect(parseSummary(doc("---", "duration_min: 7", "---"), FILE).durationMinutes).toBe(7);
  });

  it("prefers top level over metrics, and metrics over the body", () => {
    const both = doc("---", "duration: 4min", "metrics:", "  duration: 9min", "---", "- **Duration:** 20 min");
    expect(parseSummary(both, FILE)).toMatchObject({ durationMinutes: 4, durationSource: "frontmatter" });
    const nested = doc("---", "metrics:", "  duration: 9min", "---", "- **Duration:** 20 min");
    expect(parseSummary(nested, FILE)).toMatchObject({ durationMinutes: 9, durationSource: "metrics" });
  });

  it("falls through an unreadable value to the next source without a diagnostic", () => {
    const s = parseSummary(doc("---", "duration: multi-session", "---", "**Duration:** ~3 hours (with UAT)"), FILE);
    expect(s).toMatchObject({ durationMinutes: 180, durationSource: "body", durationLine: 4 });
    expect(s.diagnostics).toEqual([]);
  });

  it("reports a stated duration that is not a length of time as info", () => {
    const s = parseSummary(doc("---", "plan: 02", "duration: ~1 session", "---"), FILE);
    expect(s.durationMinutes).toBeUndefined();
    expect(s.diagnostics).toEqual([expect.objectContaining({ severity: "info", code: "duration-unreadable", file: FILE, line: 3 })]);
  });
});

describe("parseSummary: duration in the body", () => {
  it("reads `- **Duration:** 4 min` with its line", () => {
    const s = parseSummary(doc("# Plan 02 Summary", "", "## Performance", "", "- **Duration:** 4 min", "- **Tasks:** 3"), FILE);
    expect(s).toMatchObject({ durationMinutes: 4, durationSource: "body", durationLine: 5 });
  });

  it("reads `**Duration**: ...`, `Duration: ...` and `*Duration: ...*`", () => {
    expect(parseSummary("**Duration**: 2m 30s", FILE).durationMinutes).toBe(2.5);
    expect(parseSummary("- Duration: ~43 seconds", FILE).durationMinutes).toBeCloseTo(43 / 60);
    expect(parseSummary("*Duration: ~5 minutes*", FILE).durationMinutes).toBe(5);
  });

  it("reads a `| Duration | ... |` table row", () => {
    const s = parseSummary(doc("| Metric | Value |", "|---|---|", "| Duration | ~18 min |"), FILE);
    expect(s).toMatchObject({ durationMinutes: 18, durationLine: 3 });
  });

  it("reads the first value line under a `## Duration` heading", () => {
    expect(parseSummary(doc("## Duration", "", "~45 minutes (debugging included)", "", "## Next"), FILE)).toMatchObject({
      durationMinutes: 45,
      durationLine: 3,
    });
    expect(parseSummary(doc("## Duration", "- Start: 2026-01-02T10:00:00Z", "- Duration: ~12 min"), FILE)).toMatchObject({
      durationMinutes: 12,
      durationLine: 3,
    });
  });

  it("ignores fenced code and lines where Duration is not the label", () => {
    const text = doc("```", "Duration: 1.2s", "```", "Session duration: 5s", "The duration: 9 min of waiting", "- **Duration:** 6 min");
    expect(parseSummary(text, FILE)).toMatchObject({ durationMinutes: 6, durationLine: 6 });
  });

  it("does not warn about missing front matter, which old summaries never had", () => {
    expect(parseSummary("# Summary\n\n**Duration:** 3 min\n", FILE).diagnostics).toEqual([]);
  });

  it("counts lines the same with CRLF line endings", () => {
    const s = parseSummary("---\r\nplan: 1\r\nduration: 5 min\r\n---\r\n", FILE);
    expect(s).toMatchObject({ durationMinutes: 5, durationLine: 3 });
  });
});

describe("parseSummary: broken front matter", () => {
  const broken = doc("---", "phase: 03-api", "tags: [a, b", "duration: 8 min", "metrics:", "  duration_minutes: 9", "---", "body");

  it("still reads top-level fields and reports the YAML error", () => {
    const s = parseSummary(broken, FILE);
    expect(s).toMatchObject({ durationMinutes: 8, durationSource: "frontmatter", durationLine: 4 });
    expect(s.diagnostics.map((d) => d.code)).toContain("frontmatter-invalid");
  });

  it("still reads metrics from the indented lines", () => {
    const s = parseSummary(broken.replace("duration: 8 min\n", ""), FILE);
    expect(s).toMatchObject({ durationMinutes: 9, durationSource: "metrics", durationLine: 5 });
  });
});

describe("parseSummary: completed", () => {
  it("gives an unquoted YAML date back as written", () => {
    expect(parseSummary(doc("---", "completed: 2026-02-11", "---"), FILE).completed).toBe("2026-02-11");
    expect(parseSummary(doc("---", "completed: 2026-02-12T21:02:22Z", "---"), FILE).completed).toBe("2026-02-12T21:02:22Z");
  });

  it("reads quoted dates and the completed_at / completed_date spellings, also under metrics", () => {
    expect(parseSummary(doc("---", 'completed_date: "2026-03-01"', "---"), FILE).completed).toBe("2026-03-01");
    expect(parseSummary(doc("---", "metrics:", "  completed_at: 2026-03-02", "---"), FILE).completed).toBe("2026-03-02");
  });

  it("reads `*Completed: date*` and `**Completed:** timestamp` in the body", () => {
    expect(parseSummary("*Completed: 2026-01-05*", FILE).completed).toBe("2026-01-05");
    expect(parseSummary("- **Completed:** 2026-01-05T10:11:12Z", FILE).completed).toBe("2026-01-05T10:11:12Z");
  });

  it("ignores a completed value that is not a date", () => {
    expect(parseSummary(doc("---", "completed: true", "---", "Completed: all tasks"), FILE).completed).toBeUndefined();
  });
});

describe("parseSummary: plan outcomes", () => {
  it("reads status: halted and status: superseded with the line of the key", () => {
    expect(parseSummary(doc("---", "phase: 03-api", "status: halted", "---"), FILE)).toMatchObject({ outcome: "halted", outcomeLine: 3 });
    expect(parseSummary(doc("---", "status: Superseded", "---"), FILE)).toMatchObject({ outcome: "superseded", outcomeLine: 2 });
    expect(parseSummary(doc("---", 'status: "halted"', "---"), FILE).outcome).toBe("halted");
  });

  it("treats every other status, and none, as a completed plan", () => {
    for (const status of ["complete", "completed", "shipped", "partial", "halted-ish", "skipped"]) {
      expect(parseSummary(doc("---", `status: ${status}`, "---"), FILE).outcome).toBeUndefined();
    }
    expect(parseSummary("# Summary\n\nStatus: halted\n", FILE).outcome).toBeUndefined();
    expect(parseSummary(doc("---", "metrics:", "  status: halted", "---"), FILE).outcome).toBeUndefined();
  });
});
