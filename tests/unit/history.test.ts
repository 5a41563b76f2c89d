import { HISTORY_VERSION, DEFAULT_MAX_ENTRIES, type HistoryEntry, emptyHistory } from "../../lib/core/queue/history-schema";
import { readHistoryText } from "../../lib/core/queue/history-migrate";
import { activeRun, newEntry, replaceEntry, retain, runEntries } from "../../lib/core/queue/history-ops";
import { salvageHistory } from "../../lib/core/queue/history-salvage";
import { v2Entry, v2History, v2Run } from "../helpers/history-fixtures";

function ok(text: string) {
  const r = readHistoryText(text);
  if (!r.ok) throw new Error(`expected a valid history, got: ${JSON.stringify(r.problems)}`);
  return r;
}

function problems(text: string) {
  const r = readHistoryText(text);
  if (r.ok) throw new Error("expected the history to be refused");
  return r.problems;
}

/** A file as the seed (GSD 1.0) wrote it: no queue fields, background_status kept on its own. */
const V1 = {
  version: "1.0",
  max_entries: 20,
  seed_note: "kept by the seed's tooling",
  entries: [
    {
      agent_id: "agent-111",
      task_description: "Execute plan 01-01",
      phase: "01",
      plan: "01",
      segment: null,
      timestamp: "2025-12-01T10:00:00Z",
      status: "completed",
      completion_timestamp: "2025-12-01T10:20:00Z",
      execution_mode: "background",
      output_file: "/tmp/agent-111.output",
      background_status: "completed",
      queue_position: null,
      custom_tag: "keep-me",
    },
    {
      agent_id: "agent-222",
      task_description: "Execute plan 01-02",
      phase: 1,
      plan: 2,
      segment: 3,
      timestamp: "2025-12-01T10:05:00Z",
      // The seed set background_status on its own; here it disagrees with status.
      status: "spawned",
      completion_timestamp: null,
      execution_mode: "foreground",
      output_file: null,
      background_status: "completed",
      queue_position: 2,
      nested: { a: [1, 2] },
    },
    {
      agent_id: null,
      task_description: "Execute plan 01-03",
      phase: "01",
      plan: "03",
      timestamp: "2025-12-01T10:06:00Z",
      status: "queued",
      background_status: "queued",
      queue_position: 1,
    },
  ],
};

describe("reading version 1.0 (migration)", () => {
  const r = ok(JSON.stringify(V1));

  it("migrates to the current version and says so", () => {
    expect(r.migratedFrom).toBe("1.0");
    expect(r.history.version).toBe(HISTORY_VERSION);
    expect(r.history.max_entries).toBe(20);
    expect(r.history.runs).toEqual([]);
    expect(r.history.entries).toHaveLength(3);
  });

  it("keeps the seed's field values", () => {
    const [a, b] = r.history.entries as [HistoryEntry, HistoryEntry];
    expect(a).toMatchObject({
      agent_id: "agent-111",
      task_description: "Execute plan 01-01",
      phase: "01",
      plan: "01",
      timestamp: "2025-12-01T10:00:00Z",
      status: "completed",
      completion_timestamp: "2025-12-01T10:20:00Z",
      execution_mode: "background",
      output_file: "/tmp/agent-111.output",
    });
    // Numbers written by hand become strings; the segment and queue position keep their values.
    expect(b).toMatchObject({ phase: "1", plan: "2", segment: 3, queue_position: 2, execution_mode: "foreground" });
  });

  it("fills the new fields with defaults", () => {
    const c = r.history.entries[2] as HistoryEntry;
    expect(c).toMatchObject({
      status: "queued",
      segment: null,
      completion_timestamp: null,
      output_file: null,
      plan_file: null,
      phase_dir: null,
      depends_on: [],
      run_id: "legacy",
      attempt: 1,
      session_id: null,
      error: null,
      dispatched_at: null,
      blocked_by: [],
    });
    expect(c.transitions).toEqual([{ to: "queued", at: "2025-12-01T10:06:00Z", via: "migrate-1.0" }]);
  });

  it("derives background_status from status instead of trusting the separate 1.0 value", () => {
    const b = r.history.entries[1] as HistoryEntry;
    expect(b.status).toBe("spawned");
    expect(b.background_status).toBe("running");
  });

  it("preserves unknown fields at the top level and in entries", () => {
    const h = r.history as unknown as Record<string, unknown>;
    expect(h.seed_note).toBe("kept by the seed's tooling");
    expect((r.history.entries[0] as unknown as Record<string, unknown>).custom_tag).toBe("keep-me");
    expect((r.history.entries[1] as unknown as Record<string, unknown>).nested).toEqual({ a: [1, 2] });
  });

  it("maps the seed's status words", () => {
    const words: Record<string, string> = {
      running: "spawned",
      pending: "queued",
      done: "completed",
      error: "failed",
      stale: "interrupted",
      canceled: "cancelled",
    };
    for (const [word, status] of Object.entries(words)) {
      const h = ok(JSON.stringify({ version: "1.0", entries: [{ status: word, timestamp: "2025-12-01T10:00:00Z" }] }));
      expect(h.history.entries[0]?.status).toBe(status);
      expect(h.history.max_entries).toBe(DEFAULT_MAX_ENTRIES);
    }
  });

  it("a 1.0 entry with an unknown status is refused with its path", () => {
    const bad = { ...V1, entries: [...V1.entries, { status: "exploded", timestamp: "2025-12-01T10:00:00Z" }] };
    expect(problems(JSON.stringify(bad))).toEqual([{ path: "entries[3].status", message: "unknown status 'exploded'" }]);
  });

  it("round-trips: a migrated history read again is the same", () => {
    const again = ok(JSON.stringify(r.history));
    expect(again.migratedFrom).toBeUndefined();
    expect(again.history).toEqual(r.history);
  });
});

describe("refusing unusable files", () => {
  const good = v2History([v2Entry()]);

  it("accepts a valid current-version file unchanged", () => {
    const r = ok(JSON.stringify(good));
    expect(r.history).toEqual(good);
    expect(r.migratedFrom).toBeUndefined();
  });

  it.each([["3.0"], ["2.2"], [2], [null], ["latest"]])("rejects version %p, naming the version", (version) => {
    const p = problems(JSON.stringify({ ...good, version }));
    expect(p).toHaveLength(1);
    expect(p[0]?.path).toBe("version");
    expect(p[0]?.message).toContain(`unsupported version '${String(version)}'`);
    expect(p[0]?.message).toContain("1.0");
    expect(p[0]?.message).toContain(HISTORY_VERSION);
  });

  it("rejects a file with no version", () => {
    const { version: _v, ...rest } = good;
    expect(problems(JSON.stringify(rest))[0]?.path).toBe("version");
  });

  it("rejects truncated JSON as not JSON", () => {
    const text = JSON.stringify(good, null, 2);
    for (const cut of [1, Math.floor(text.length / 3), text.length - 2]) {
      const p = problems(text.slice(0, cut));
      expect(p).toHaveLength(1);
      expect(p[0]?.path).toBe("(file)");
      expect(p[0]?.message).toMatch(/^not valid JSON/);
    }
  });

  it("rejects an empty file and non-object JSON", () => {
    expect(problems("")[0]?.path).toBe("(file)");
    expect(problems("[]")[0]).toEqual({ path: "(root)", message: "expected a JSON object" });
    expect(problems("null")[0]?.path).toBe("(root)");
    expect(problems('"2.0"')[0]?.path).toBe("(root)");
  });

  const handEdits: Array<[string, (h: Record<string, any>) => void, string]> = [
    ["a misspelt status", (h) => (h.entries[1].status = "runing"), "entries.1.status"],
    ["a zero attempt", (h) => (h.entries[0].attempt = 0), "entries.0.attempt"],
    ["a fractional queue position", (h) => (h.entries[1].queue_position = 1.5), "entries.1.queue_position"],
    ["depends_on as a string", (h) => (h.entries[1].depends_on = "01-01"), "entries.1.depends_on"],
    ["a removed run_id", (h) => delete h.entries[0].run_id, "entries.0.run_id"],
    ["a bad execution mode", (h) => (h.entries[0].execution_mode = "async"), "entries.0.execution_mode"],
    ["a transition to an unknown status", (h) => (h.entries[1].transitions[0].to = "won"), "entries.1.transitions.0.to"],
    ["max_entries as text", (h) => (h.max_entries = "fifty"), "max_entries"],
    ["entries as an object", (h) => (h.entries = {}), "entries"],
    ["a run with an unknown strategy", (h) => (h.runs[0].strategy = "random"), "runs.0.strategy"],
  ];

  it.each(handEdits)("rejects a hand edit (%s) and names the path", (_what, edit, path) => {
    const h = JSON.parse(JSON.stringify(v2History([v2Entry(), v2Entry({ plan: "01-02", plan_file: ".planning/phases/01-x/01-02-PLAN.md" })])));
    edit(h);
    const p = problems(JSON.stringify(h));
    expect(p.map((x) => x.path)).toContain(path);
    for (const x of p) expect(x.message.length).toBeGreaterThan(0);
  });

  it("corrects a hand-edited background_status instead of trusting it", () => {
    const h = v2History([v2Entry({ status: "failed", background_status: "completed" })]);
    const r = ok(JSON.stringify(h));
    expect(r.history.entries[0]?.background_status).toBe("failed");
  });

  it("keeps unknown fields of a 2.0 file", () => {
    const h = { ...v2History([{ ...v2Entry(), extra: { x: 1 } } as HistoryEntry]), tool: "other" };
    const r = ok(JSON.stringify(h));
    expect((r.history as unknown as Record<string, unknown>).tool).toBe("other");
    expect((r.history.entries[0] as unknown as Record<string, unknown>).extra).toEqual({ x: 1 });
  });
});

describe("retention", () => {
  const t = (m: number) => `2026-01-01T00:${String(m).padStart(2, "0")}:00.000Z`;
  const e = (plan: string, status: HistoryEntry["status"], finishedAt: number | null, runId = "r1") =>
    v2Entry({
      plan,
      plan_file: `.planning/phases/01-x/${plan}-PLAN.md`,
      status,
      run_id: runId,
      timestamp: t(0),
      completion_timestamp: finishedAt === null ? null : t(finishedAt),
    });

  it("does nothing under the limit", () => {
    const h = v2History([e("01-01", "completed", 5), e("01-02", "queued", null)], { max_entries: 2 });
    expect(retain(h)).toBe(h);
  });

  const run = (id: string, started: number) => v2Run({ run_id: id, started_at: t(started) });

  it("drops whole finished runs, oldest first, and only as many as needed", () => {
    const entries = [
      e("01-01", "completed", 5, "old"),
      e("01-02", "completed", 6, "old"),
      e("01-03", "completed", 9, "mid"),
      e("01-04", "queued", null, "new"),
    ];
    const h = v2History(entries, { max_entries: 2, runs: [run("old", 1), run("mid", 7), run("new", 10)] });
    const kept = retain(h);
    expect(kept.runs.map((r) => r.run_id)).toEqual(["mid", "new"]);
    expect(kept.entries.map((x) => x.plan)).toEqual(["01-03", "01-04"]);
  });

  it("never drops an entry of an active run, however far above the limit", () => {
    const entries = Array.from({ length: 60 }, (_, i) =>
      e(`01-${String(i + 1).padStart(2, "0")}`, i === 0 ? "failed" : i === 59 ? "queued" : "completed", i === 59 ? null : i),
    );
    const h = v2History(entries, { max_entries: 50 });
    expect(retain(h)).toBe(h);
  });

  it("keeps a finished run whose plan's latest attempt is not completed (a failure stays visible until retried)", () => {
    const entries = [
      e("01-05", "completed", 1, "ancient"),
      e("01-01", "failed", 3, "old"),
      e("01-02", "completed", 4, "old"),
      e("01-02", "completed", 8, "new"),
      e("01-03", "completed", 9, "new"),
    ];
    const h = v2History(entries, { max_entries: 1, runs: [run("ancient", 0), run("old", 1), run("new", 7)] });
    const kept = retain(h);
    expect(kept.runs.map((r) => r.run_id)).toEqual(["old", "new"]);
    expect(kept.entries.find((x) => x.plan === "01-01")?.status).toBe("failed");
  });

  it("drops entries whose run record is gone first", () => {
    const entries = [e("01-01", "completed", 1, "ghost"), e("01-02", "completed", 2, "r1")];
    const h = v2History(entries, { max_entries: 1, runs: [run("r1", 0)] });
    expect(retain(h).entries.map((x) => x.run_id)).toEqual(["r1"]);
  });
});

describe("entry helpers", () => {
  it("runEntries returns the latest attempt of each plan of a run", () => {
    const a1 = v2Entry({ status: "failed", attempt: 1 });
    const a2 = v2Entry({ status: "queued", attempt: 2 });
    const other = v2Entry({ run_id: "r2" });
    const h = v2History([a1, a2, other]);
    expect(runEntries(h, "r1")).toEqual([a2]);
  });

  it("replaceEntry replaces by run, plan and attempt only", () => {
    const a1 = v2Entry({ attempt: 1, status: "failed" });
    const a2 = v2Entry({ attempt: 2 });
    const h = replaceEntry(v2History([a1, a2]), { ...a2, status: "spawned" });
    expect(h.entries.map((x) => x.status)).toEqual(["failed", "spawned"]);
  });

  it("activeRun is the latest run of the phase with unfinished work", () => {
    const h = {
      ...v2History([v2Entry({ run_id: "a", status: "completed" }), v2Entry({ run_id: "b", status: "queued" }), v2Entry({ run_id: "c", status: "failed" })]),
      runs: [v2Run({ run_id: "a" }), v2Run({ run_id: "b" }), v2Run({ run_id: "c" }), v2Run({ run_id: "d", phase_dir: "elsewhere" })],
    };
    expect(activeRun(h, ".planning/phases/01-x")?.run_id).toBe("b");
    expect(activeRun(h, "elsewhere")).toBeUndefined();
  });

  it("newEntry creates a valid queued entry", () => {
    const entry = newEntry({
      run: v2Run(),
      planId: "01-02",
      planFile: "p/01-02-PLAN.md",
      phase: "01",
      phaseDir: "p",
      description: "Execute 01-02",
      dependsOn: ["01-01"],
      at: "2026-01-01T00:00:00.000Z",
      foreground: true,
    });
    const r = ok(JSON.stringify({ ...emptyHistory(), entries: [entry], runs: [v2Run()] }));
    expect(r.history.entries[0]).toMatchObject({
      status: "queued",
      background_status: "queued",
      execution_mode: "foreground",
      depends_on: ["01-01"],
      attempt: 1,
    });
  });
});

describe("salvage", () => {
  it("returns a valid file whole", () => {
    const h = v2History([v2Entry()]);
    const s = salvageHistory(JSON.stringify(h));
    expect(s).toEqual({ history: h, kept: 1, dropped: [] });
  });

  it("keeps every entry that still validates and lists the others with their problems", () => {
    const good1 = v2Entry({ plan: "01-01", status: "completed", completion_timestamp: "2026-01-01T00:10:00.000Z" });
    const good2 = v2Entry({ plan: "01-03", plan_file: ".planning/phases/01-x/01-03-PLAN.md", status: "queued" });
    const bad = { ...v2Entry({ plan: "01-02" }), status: "runing" };
    const text = JSON.stringify({ ...v2History([good1, good2]), max_entries: 7, entries: [good1, bad, good2, "junk"] });
    const s = salvageHistory(text);
    expect(s.kept).toBe(2);
    expect(s.history.entries).toEqual([good1, good2]);
    expect(s.history.max_entries).toBe(7);
    expect(s.history.runs.map((r) => r.run_id)).toEqual(["r1"]);
    expect(s.dropped.map((d) => d.index)).toEqual([1, 3]);
    expect(s.dropped[0]?.reason).toContain("status");
    // The result is itself a valid history.
    expect(readHistoryText(JSON.stringify(s.history)).ok).toBe(true);
  });

  it("drops runs that are invalid or have no entries left", () => {
    const good = v2Entry({ run_id: "keep" });
    const text = JSON.stringify({
      version: "2.0",
      max_entries: 50,
      entries: [good, { run_id: "gone" }],
      runs: [v2Run({ run_id: "keep" }), v2Run({ run_id: "gone" }), { run_id: "broken" }],
    });
    const s = salvageHistory(text);
    expect(s.history.runs.map((r) => r.run_id)).toEqual(["keep"]);
  });

  it("salvages a file with a wrong version by its entries", () => {
    const good = v2Entry();
    const s = salvageHistory(JSON.stringify({ ...v2History([good]), version: "9.9" }));
    expect(s.history.version).toBe(HISTORY_VERSION);
    expect(s.history.entries).toEqual([good]);
  });

  it("keeps the valid entries of a 1.0 file with one broken entry", () => {
    const bad = { ...V1, entries: [...V1.entries, { status: "exploded" }] };
    const s = salvageHistory(JSON.stringify(bad));
    expect(s.kept).toBe(3);
    expect(s.history.entries.map((x) => x.task_description)).toEqual(["Execute plan 01-01", "Execute plan 01-02", "Execute plan 01-03"]);
    expect(s.dropped).toEqual([{ index: 3, reason: "status: unknown status 'exploded'" }]);
    expect(readHistoryText(JSON.stringify(s.history)).ok).toBe(true);
  });

  it("starts empty from text that is not JSON", () => {
    const s = salvageHistory('{"version": "2.0", "entries": [');
    expect(s.kept).toBe(0);
    expect(s.history).toEqual(emptyHistory());
    expect(s.dropped).toEqual([{ index: -1, reason: expect.stringContaining("not JSON") }]);
  });
});
