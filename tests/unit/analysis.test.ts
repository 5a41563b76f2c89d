import fc from "fast-check";
import { type PhaseAnalysis, analyzePhase, isSettled } from "../../lib/core/graph/analysis";
import { analysisToJson } from "../../lib/json/analysis-json";
import { normalizePathEntry } from "../../lib/core/plan/path-entry";
import { overlaps } from "../../lib/core/plan/path-overlap";
import type { PhaseListing, PlanningTree } from "../../lib/core/plan/planning-tree";

const DIR = ".planning/phases/04-api";
const doc = (...lines: string[]): string => lines.join("\n");

function listing(files: string[], dir = DIR, number = "04"): PhaseListing {
  return { dir, name: dir.slice(dir.lastIndexOf("/") + 1), number, container: "phases", active: true, files };
}
/** Analyses a phase whose files are given by name, with texts by name (missing = unreadable). */
function run(files: Record<string, string | undefined>, others: PhaseListing[] = []): PhaseAnalysis {
  const phase = listing(Object.keys(files));
  const tree: PlanningTree = { root: ".planning", phases: [...others, phase] };
  const texts = new Map<string, string>();
  for (const [name, text] of Object.entries(files)) if (text !== undefined) texts.set(`${DIR}/${name}`, text);
  return analyzePhase({ tree, phase, texts });
}
const fm = (...lines: string[]) => doc("---", "phase: 04-api", ...lines, "---", "", "Body.");
const codes = (a: PhaseAnalysis) => a.diagnostics.map((d) => d.code);
const byId = (a: PhaseAnalysis, id: string) => a.plans.find((p) => p.id === id);

describe("analyzePhase: plans", () => {
  it("lists plans in plan order with their files, ids and tokens", () => {
    const a = run({ "04-02-PLAN.md": fm(), "04-01-auth-PLAN.md": fm(), "04-10-PLAN.md": fm() });
    expect(a.plans.map((p) => [p.id, p.file, p.stem, p.planToken])).toEqual([
      ["04-01", `${DIR}/04-01-auth-PLAN.md`, "04-01-auth", "01"],
      ["04-02", `${DIR}/04-02-PLAN.md`, "04-02", "02"],
      ["04-10", `${DIR}/04-10-PLAN.md`, "04-10", "10"],
    ]);
    expect(a.phase).toEqual({ dir: DIR, name: "04-api", number: "04", container: "phases", active: true });
  });

  it("marks a plan with a SUMMARY.md complete and uses its duration", () => {
    const a = run({ "04-01-PLAN.md": fm(), "04-01-SUMMARY.md": doc("---", "duration: 12min", "---"), "04-02-PLAN.md": fm() });
    expect(byId(a, "04-01")).toMatchObject({ status: "complete", summaryFile: `${DIR}/04-01-SUMMARY.md`, durationMinutes: 12, durationSource: "summary" });
    expect(byId(a, "04-02")).toMatchObject({ status: "pending", durationSource: "estimate" });
    expect(byId(a, "04-02")?.summaryFile).toBeUndefined();
  });

  it("marks a plan complete even when its summary has no readable duration", () => {
    const a = run({ "04-01-PLAN.md": fm(), "04-01-SUMMARY.md": "# Summary\n\nDone." });
    expect(byId(a, "04-01")).toMatchObject({ status: "complete", durationSource: "estimate" });
  });

  it("keeps the plan fields people need: declared deps, files, tasks, checkpoints, autonomy", () => {
    const text = doc(
      "---",
      "phase: 04-api",
      "depends_on: [01]",
      "files_modified: [src/api.ts]",
      "---",
      '<task type="auto"><name>A</name></task>',
      '<task type="checkpoint:human-verify" gate="blocking"><name>B</name></task>',
    );
    const a = run({ "04-01-PLAN.md": fm(), "04-02-PLAN.md": text });
    expect(byId(a, "04-02")).toMatchObject({
      declaredDependsOn: ["01"],
      dependsOn: ["04-01"],
      filesModified: ["src/api.ts"],
      taskCount: 2,
      checkpoints: ["human-verify"],
      autonomous: false,
      readable: true,
    });
    expect(byId(a, "04-01")?.autonomous).toBe(true);
  });

  it("treats `autonomous: false` as needing a person", () => {
    expect(byId(run({ "04-01-PLAN.md": fm("autonomous: false") }), "04-01")?.autonomous).toBe(false);
  });

  it("loads a plan without front matter, with a diagnostic naming the file", () => {
    const a = run({ "04-01-PLAN.md": "# Plan\n\n## Task 1: Build\n" });
    expect(byId(a, "04-01")).toMatchObject({ readable: true, taskCount: 1 });
    expect(a.diagnostics).toEqual([expect.objectContaining({ code: "frontmatter-missing", file: `${DIR}/04-01-PLAN.md` })]);
  });

  it("reports an unreadable plan and still places it", () => {
    const a = run({ "04-01-PLAN.md": undefined, "04-02-PLAN.md": fm() });
    expect(byId(a, "04-01")).toMatchObject({ readable: false, autonomous: false, wave: 1, taskCount: 0 });
    expect(a.diagnostics).toEqual([expect.objectContaining({ severity: "error", code: "plan-unreadable", file: `${DIR}/04-01-PLAN.md` })]);
  });

  it("gives a plan whose id is taken another id, with a warning", () => {
    const a = run({ "04-01-PLAN.md": fm(), "04-01-retry-PLAN.md": fm() });
    expect(a.plans.map((p) => p.id)).toEqual(["04-01", "04-01-retry"]);
    expect(a.diagnostics).toEqual([expect.objectContaining({ code: "plan-duplicate-id", file: `${DIR}/04-01-retry-PLAN.md` })]);
  });

  it("warns about a phase with no plans", () => {
    const a = run({ "04-CONTEXT.md": "notes" });
    expect(a.plans).toEqual([]);
    expect(a.waves).toEqual([]);
    expect(a.criticalPath).toEqual([]);
    expect(codes(a)).toEqual(["phase-no-plans"]);
  });
});

describe("analyzePhase: dependencies", () => {
  it("resolves every depends_on form to the same edge", () => {
    for (const dep of ['"04-01"', "04-01", "01", "1", "04-01-PLAN.md", '"04-01 (schema)"', "04-1"]) {
      const a = run({ "04-01-PLAN.md": fm(), "04-02-PLAN.md": fm(`depends_on: [${dep}]`) });
      expect([dep, a.edges.map((e) => `${e.from}>${e.to}`)]).toEqual([dep, ["04-01>04-02"]]);
      expect([dep, codes(a)]).toEqual([dep, []]);
    }
  });

  it("reports an unresolved entry as an error on its line and adds no edge", () => {
    const a = run({ "04-01-PLAN.md": fm("depends_on:", "  - 04-09") });
    expect(a.edges).toEqual([]);
    expect(a.diagnostics).toEqual([expect.objectContaining({ severity: "error", code: "depends-unresolved", file: `${DIR}/04-01-PLAN.md`, line: 4 })]);
  });

  it("warns about a plan that depends on itself and adds no edge", () => {
    const a = run({ "04-01-PLAN.md": fm("depends_on: [04-01]") });
    expect(a.edges).toEqual([]);
    expect(codes(a)).toEqual(["depends-self"]);
  });

  it("waits for every plan an ambiguous entry could mean", () => {
    const a = run({ "04-01-PLAN.md": fm(), "04-1-alt-PLAN.md": fm(), "04-02-PLAN.md": fm("depends_on: [1]") });
    expect(a.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(["04-01>04-02", "04-1>04-02"]);
    expect(codes(a)).toEqual(["depends-ambiguous"]);
  });

  it("names a dependency cycle as an error with the closed path", () => {
    const a = run({ "04-01-PLAN.md": fm("depends_on: [04-03]"), "04-02-PLAN.md": fm("depends_on: [04-01]"), "04-03-PLAN.md": fm("depends_on: [04-02]") });
    expect(a.cycles).toEqual([["04-01", "04-02", "04-03", "04-01"]]);
    const cycle = a.diagnostics.find((d) => d.code === "cycle");
    expect(cycle).toMatchObject({ severity: "error", file: `${DIR}/04-01-PLAN.md` });
    expect(cycle?.message).toContain("04-01 -> 04-02 -> 04-03 -> 04-01");
    expect(a.plans.every((p) => p.wave >= 1)).toBe(true);
  });
});

describe("analyzePhase: waves and critical path", () => {
  const plans = {
    "04-01-PLAN.md": fm(),
    "04-02-PLAN.md": fm(),
    "04-03-PLAN.md": fm("depends_on: [04-01]"),
    "04-04-PLAN.md": fm("depends_on: [04-03, 04-02]"),
    "04-05-PLAN.md": fm(),
  };

  it("puts plans in longest-path waves, 1-based, in plan order", () => {
    const a = run(plans);
    expect(a.waves).toEqual([["04-01", "04-02", "04-05"], ["04-03"], ["04-04"]]);
    expect(a.plans.map((p) => p.wave)).toEqual([1, 1, 2, 3, 1]);
  });

  it("follows the heaviest chain for the critical path, using summary durations", () => {
    const a = run({ ...plans, "04-02-SUMMARY.md": doc("---", "duration: 50min", "---") });
    expect(a.criticalPath).toEqual(["04-02", "04-04"]);
    expect(a.criticalPathMinutes).toBe(50 + (byId(a, "04-04")?.durationMinutes ?? NaN));
  });

  it("uses the estimate where there is no summary", () => {
    const a = run(plans);
    expect(a.criticalPath).toEqual(["04-01", "04-03", "04-04"]);
    const sum = ["04-01", "04-03", "04-04"].reduce((s, id) => s + (byId(a, id)?.durationMinutes ?? NaN), 0);
    expect(a.criticalPathMinutes).toBe(sum);
  });

  it("warns when a declared wave differs from the computed one, showing both, and schedules by dependencies", () => {
    const a = run({ "04-01-PLAN.md": fm("wave: 1"), "04-02-PLAN.md": fm("wave: 1", "depends_on: [04-01]") });
    expect(byId(a, "04-02")).toMatchObject({ wave: 2, declaredWave: 1 });
    const d = a.diagnostics.find((x) => x.code === "wave-mismatch");
    expect(d).toMatchObject({ severity: "warning", file: `${DIR}/04-02-PLAN.md`, line: 3 });
    expect(d?.message).toMatch(/wave 1.*wave 2/);
    expect(byId(a, "04-01")).toMatchObject({ wave: 1, declaredWave: 1 });
    expect(codes(a)).toEqual(["wave-mismatch"]);
  });

  it("sorts diagnostics: errors first", () => {
    const a = run({ "04-01-PLAN.md": "no front matter", "04-02-PLAN.md": fm("depends_on: [04-09]") });
    expect(a.diagnostics.map((d) => d.severity)).toEqual(["error", "warning"]);
  });
});

describe("analyzePhase: cross-phase prerequisites", () => {
  const prior = listing(["03-01-PLAN.md", "03-02-PLAN.md", "03-01-SUMMARY.md"], ".planning/phases/03-db", "03");

  it("lists an external prerequisite in dependsOn without putting it in a wave", () => {
    const a = run({ "04-01-PLAN.md": fm("depends_on: [03-02]") }, [prior]);
    expect(byId(a, "04-01")).toMatchObject({ dependsOn: ["03-02"], wave: 1 });
    expect(a.waves).toEqual([["04-01"]]);
    expect(a.edges).toEqual([expect.objectContaining({ from: "03-02", to: "04-01", external: true, satisfied: false })]);
  });

  it("knows a completed external prerequisite is satisfied", () => {
    const a = run({ "04-01-PLAN.md": fm("depends_on: [03-01]") }, [prior]);
    expect(a.edges).toEqual([expect.objectContaining({ from: "03-01", external: true, satisfied: true })]);
    expect(codes(a)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: random phases whose declared depends_on only point at earlier plans.

const FILE_POOL = [
  "src/a.ts",
  "src/b.ts",
  "src/lib/c.ts",
  "src/lib/d.ts",
  "src/lib/",
  "src/**/*.test.ts",
  "src/lib/c.test.ts",
  "docs/README.md",
  ".planning/STATE.md",
  ".planning/ROADMAP.md",
  "./src/a.ts",
  "src/b.ts  # again",
];

interface RandomPlan {
  deps: number[];
  files: string[];
  reads: string[];
  depForm: number;
}
const randomPhase = (maxPlans: number): fc.Arbitrary<RandomPlan[]> =>
  fc.integer({ min: 1, max: maxPlans }).chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record<RandomPlan>({
          deps: i === 0 ? fc.constant<number[]>([]) : fc.uniqueArray(fc.nat(i - 1), { maxLength: 3 }),
          files: fc.uniqueArray(fc.constantFrom(...FILE_POOL), { maxLength: 3 }),
          reads: fc.uniqueArray(fc.constantFrom("src/a.ts", "src/lib/c.ts", "docs/README.md", ".planning/STATE.md"), { maxLength: 2 }),
          depForm: fc.nat(3),
        }),
      ),
    ),
  );

const planId = (i: number) => `04-${String(i + 1).padStart(2, "0")}`;
function depText(target: number, form: number): string {
  const id = planId(target);
  return [JSON.stringify(id), String(target + 1).padStart(2, "0"), `${id}-PLAN.md`, JSON.stringify(`${id} (needed)`)][form % 4] as string;
}
function phaseFrom(plans: RandomPlan[], depOf: (i: number, dep: number) => number = (_i, d) => d): Record<string, string> {
  const files: Record<string, string> = {};
  plans.forEach((p, i) => {
    const lines = ["---", "phase: 04-api", `depends_on: [${p.deps.map((d) => depText(depOf(i, d), p.depForm)).join(", ")}]`];
    lines.push(p.files.length > 0 ? "files_modified:" : "files_modified: []", ...p.files.map((f) => `  - ${f}`));
    lines.push("---", "", "<context>", ...p.reads.map((r) => `@${r}`), "</context>");
    files[`${planId(i)}-PLAN.md`] = lines.join("\n");
  });
  return files;
}

function reachable(a: PhaseAnalysis, from: string): Set<string> {
  const out = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const n = stack.pop() as string;
    for (const e of a.edges) if (!e.external && e.from === n && !out.has(e.to)) (out.add(e.to), stack.push(e.to));
  }
  return out;
}
function sharedWrite(x: RandomPlan, y: RandomPlan): boolean {
  const entries = (p: RandomPlan) => p.files.map((f) => normalizePathEntry(f)).filter((e) => e !== undefined && !e.path.startsWith(".planning/"));
  return entries(x).some((a) => entries(y).some((b) => a !== undefined && b !== undefined && overlaps(a, b)));
}

function checkInvariants(plans: RandomPlan[], a: PhaseAnalysis, depOf: (i: number, dep: number) => number) {
  const ids = plans.map((_, i) => planId(i));
  expect(a.plans.map((p) => p.id)).toEqual(ids);
  // Declared edges always appear, with a declared reason.
  plans.forEach((p, i) => {
    for (const d of p.deps) {
      const e = a.edges.find((x) => x.from === planId(depOf(i, d)) && x.to === planId(i));
      expect(e?.reasons.some((r) => r.kind === "declared")).toBe(true);
    }
  });
  // No cycle, and every edge goes from a lower wave to a higher one.
  expect(a.cycles).toEqual([]);
  expect(codes(a)).not.toContain("cycle");
  expect(codes(a)).not.toContain("depends-unresolved");
  const wave = new Map(a.plans.map((p) => [p.id, p.wave]));
  for (const e of a.edges) expect(wave.get(e.from)!).toBeLessThan(wave.get(e.to)!);
  for (const id of ids) expect(reachable(a, id).has(id)).toBe(false);
  // Plans that write a common (non-bookkeeping) file are ordered one way or the other.
  for (let i = 0; i < plans.length; i++) {
    for (let j = i + 1; j < plans.length; j++) {
      if (!sharedWrite(plans[i]!, plans[j]!)) continue;
      const ordered = reachable(a, ids[i]!).has(ids[j]!) || reachable(a, ids[j]!).has(ids[i]!);
      expect([ids[i], ids[j], ordered]).toEqual([ids[i], ids[j], true]);
    }
  }
  // Write-conflict edges are only made for files both plans write.
  for (const e of a.edges) {
    if (e.reasons.some((r) => r.kind === "write-conflict")) {
      expect(sharedWrite(plans[ids.indexOf(e.from)]!, plans[ids.indexOf(e.to)]!)).toBe(true);
    }
  }
  // The waves partition the plans.
  expect(a.waves.flat().sort()).toEqual([...ids].sort());
}

describe("analyzePhase: properties", () => {
  it("on random phases: never throws, keeps declared edges, creates no cycle, orders every write conflict", () => {
    fc.assert(
      fc.property(randomPhase(10), (plans) => {
        const a = run(phaseFrom(plans));
        checkInvariants(plans, a, (_i, d) => d);
      }),
      { numRuns: 150 },
    );
  });

  it("the same when depends_on points at later-numbered plans (reversed numbering, still acyclic)", () => {
    fc.assert(
      fc.property(randomPhase(8), (plans) => {
        // Plan i is file (n-1-i): every declared dependency now names a later-numbered plan.
        const n = plans.length;
        const reversed = [...plans].reverse().map((p) => ({ ...p, deps: p.deps.map((d) => n - 1 - d) }));
        const a = run(phaseFrom(reversed));
        checkInvariants(reversed, a, (_i, d) => d);
      }),
      { numRuns: 150 },
    );
  });

  it("never throws on arbitrary front matter and body text", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 200 }), { minLength: 1, maxLength: 4 }), (texts) => {
        const files = Object.fromEntries(texts.map((t, i) => [`${planId(i)}-PLAN.md`, t]));
        const a = run(files);
        expect(a.plans).toHaveLength(texts.length);
      }),
    );
  });
});

describe("analyzePhase: halted and superseded plans", () => {
  const summary = (status: string) => doc("---", `status: ${status}`, "duration: 5min", "---");

  it("gives a plan whose SUMMARY.md says halted or superseded that status, any other status stays complete", () => {
    const a = run({
      "04-01-PLAN.md": fm(),
      "04-01-SUMMARY.md": summary("halted"),
      "04-02-PLAN.md": fm(),
      "04-02-SUMMARY.md": summary("superseded"),
      "04-03-PLAN.md": fm(),
      "04-03-SUMMARY.md": summary("complete"),
      "04-04-PLAN.md": fm(),
    });
    expect(a.plans.map((p) => [p.id, p.status])).toEqual([
      ["04-01", "halted"],
      ["04-02", "superseded"],
      ["04-03", "complete"],
      ["04-04", "pending"],
    ]);
    expect(byId(a, "04-01")).toMatchObject({ summaryFile: `${DIR}/04-01-SUMMARY.md`, durationSource: "summary" });
    expect(isSettled(byId(a, "04-02") as PhaseAnalysis["plans"][number])).toBe(true);
    expect(isSettled(byId(a, "04-01") as PhaseAnalysis["plans"][number])).toBe(false);
  });

  it("keeps the JSON status two-valued and adds the outcome and its counts", () => {
    const a = run({
      "04-01-PLAN.md": fm(),
      "04-01-SUMMARY.md": summary("halted"),
      "04-02-PLAN.md": fm(),
      "04-02-SUMMARY.md": summary("superseded"),
      "04-03-PLAN.md": fm("depends_on: [04-01, 04-02]"),
    });
    const j = analysisToJson(a, "/p");
    expect(j.plans.map((p) => [p.id, p.status, p.outcome])).toEqual([
      ["04-01", "pending", "halted"],
      ["04-02", "complete", "superseded"],
      ["04-03", "pending", "pending"],
    ]);
    expect(j.counts).toMatchObject({ plans: 3, complete: 1, pending: 2, halted: 1, superseded: 1 });
  });
});
