import fc from "fast-check";
import { samePhaseNumber } from "../../lib/core/plan/phase-number";
import { normalizePlanToken, parsePlanFileName } from "../../lib/core/plan/plan-name";

describe("parsePlanFileName: plans", () => {
  it("NN-MM-PLAN.md", () => {
    expect(parsePlanFileName("02-01-PLAN.md", "02")).toEqual({ kind: "plan", stem: "02-01", planToken: "01", id: "02-01" });
  });

  it("NN-MM-slug-PLAN.md: the slug is not part of the id", () => {
    expect(parsePlanFileName("02-01-user-model-PLAN.md", "02")).toEqual({
      kind: "plan",
      stem: "02-01-user-model",
      planToken: "01",
      id: "02-01",
    });
  });

  it("NN-slug-MM-PLAN.md: the plan number is the last segment", () => {
    expect(parsePlanFileName("33-export-flow-01-PLAN.md", "33")).toEqual({
      kind: "plan",
      stem: "33-export-flow-01",
      planToken: "01",
      id: "33-01",
    });
  });

  it("NN-MMa-PLAN.md: a letter suffix stays in the plan token", () => {
    expect(parsePlanFileName("02-01a-PLAN.md", "02")).toEqual({ kind: "plan", stem: "02-01a", planToken: "01a", id: "02-01a" });
  });

  it("NN-FIX-PLAN.md: a word in place of the plan number", () => {
    expect(parsePlanFileName("02-FIX-PLAN.md", "02")).toEqual({ kind: "plan", stem: "02-FIX", planToken: "FIX", id: "02-FIX" });
  });

  it("NN-PLAN.md: a whole-phase plan has no plan token", () => {
    expect(parsePlanFileName("02-PLAN.md", "02")).toEqual({ kind: "plan", stem: "02", id: "02" });
  });

  it("NN.M-PLAN.md inside phase NN: a dotted plan number", () => {
    expect(parsePlanFileName("05.1-PLAN.md", "05")).toEqual({ kind: "plan", stem: "05.1", planToken: "1", id: "05.1" });
  });

  it("NN.M-PLAN.md inside phase NN.M is the whole-phase plan of the decimal phase", () => {
    expect(parsePlanFileName("05.1-PLAN.md", "05.1")).toEqual({ kind: "plan", stem: "05.1", id: "05.1" });
  });

  it("MM-slug-PLAN.md in another phase: the leading number is the plan, the phase comes from the directory", () => {
    expect(parsePlanFileName("07-cleanup-PLAN.md", "01")).toEqual({ kind: "plan", stem: "07-cleanup", planToken: "07", id: "01-07" });
    expect(parsePlanFileName("07-PLAN.md", "01")).toEqual({ kind: "plan", stem: "07", planToken: "07", id: "01-07" });
  });

  it("MM-slug-PLAN.md with no directory number keeps the stem as id", () => {
    expect(parsePlanFileName("07-cleanup-PLAN.md")).toEqual({ kind: "plan", stem: "07-cleanup", planToken: "07", id: "07-cleanup" });
  });

  it("a file number padded differently from its directory keeps the file's spelling", () => {
    expect(parsePlanFileName("82-01-PLAN.md", "082")).toEqual({ kind: "plan", stem: "82-01", planToken: "01", id: "82-01" });
  });

  it("a lettered phase", () => {
    expect(parsePlanFileName("36B-02-PLAN.md", "36B")).toEqual({ kind: "plan", stem: "36B-02", planToken: "02", id: "36B-02" });
  });

  it("a multi-level decimal phase", () => {
    expect(parsePlanFileName("3.9.4-01-PLAN.md", "3.9.4")).toEqual({ kind: "plan", stem: "3.9.4-01", planToken: "01", id: "3.9.4-01" });
    expect(parsePlanFileName("02.1-03-PLAN.md", "02.1")).toEqual({ kind: "plan", stem: "02.1-03", planToken: "03", id: "02.1-03" });
  });

  it("a plan of another phase number in this directory is named by its own number", () => {
    expect(parsePlanFileName("06-01-PLAN.md", "02")).toEqual({ kind: "plan", stem: "06-01", planToken: "01", id: "06-01" });
  });

  it("works without a directory number", () => {
    expect(parsePlanFileName("02-01-PLAN.md")).toEqual({ kind: "plan", stem: "02-01", planToken: "01", id: "02-01" });
  });

  it("PLAN.md alone has an empty stem", () => {
    expect(parsePlanFileName("PLAN.md", "02")).toEqual({ kind: "plan", stem: "", id: "PLAN" });
  });

  it("a name without a number keeps its stem as id", () => {
    expect(parsePlanFileName("cleanup-PLAN.md", "02")).toEqual({ kind: "plan", stem: "cleanup", id: "cleanup" });
  });
});

describe("parsePlanFileName: summaries and non-plans", () => {
  it("a plan summary has the plan's id", () => {
    expect(parsePlanFileName("02-01-SUMMARY.md", "02")).toEqual({ kind: "summary", stem: "02-01", planToken: "01", id: "02-01" });
    expect(parsePlanFileName("33-export-flow-01-SUMMARY.md", "33")).toMatchObject({ kind: "summary", id: "33-01" });
    expect(parsePlanFileName("05.1-SUMMARY.md", "05")).toMatchObject({ kind: "summary", id: "05.1" });
  });

  it("a phase-level summary is not a plan summary", () => {
    expect(parsePlanFileName("05-PHASE-SUMMARY.md", "05")).toBeUndefined();
    expect(parsePlanFileName("05-VERIFICATION-SUMMARY.md", "05")).toBeUndefined();
    expect(parsePlanFileName("PHASE-SUMMARY.md", "05")).toBeUndefined();
  });

  it("other Markdown files are neither", () => {
    for (const f of ["05-CONTEXT.md", "05-RESEARCH.md", "notes.md", "02-01-plan.md", "02-01PLAN.md", "02-01-PLAN.md.bak", "02-01-PLAN.txt"]) {
      expect(parsePlanFileName(f, "05")).toBeUndefined();
    }
  });
});

describe("normalizePlanToken", () => {
  it("drops padding and lower-cases a letter suffix", () => {
    expect(normalizePlanToken("01")).toBe("1");
    expect(normalizePlanToken("003")).toBe("3");
    expect(normalizePlanToken("3A")).toBe("3a");
    expect(normalizePlanToken("03a")).toBe("3a");
  });
  it("upper-cases a word token", () => {
    expect(normalizePlanToken("fix")).toBe("FIX");
    expect(normalizePlanToken("FIX")).toBe("FIX");
  });
  it("keeps different plans different", () => {
    expect(normalizePlanToken("1")).not.toBe(normalizePlanToken("10"));
    expect(normalizePlanToken("1")).not.toBe(normalizePlanToken("1a"));
  });
});

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const phaseNumber = fc
  .tuple(
    fc.integer({ min: 1, max: 150 }),
    fc.integer({ min: 1, max: 3 }),
    fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
    fc.constantFrom("", "B"),
  )
  .map(([n, w, dec, letter]) => pad(n, w) + (dec === undefined ? "" : `.${dec}`) + (dec === undefined ? letter : ""));
const planToken = fc
  .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom("", "a", "b", "C"))
  .map(([n, w, letter]) => pad(n, w) + letter);
const slug = fc.constantFrom("", "-api", "-user-model", "-fix-login");

describe("plan names: properties", () => {
  it("normalizePlanToken is idempotent", () => {
    fc.assert(
      fc.property(fc.oneof(planToken, fc.constantFrom("FIX", "fix", "Hotfix")), (t) => {
        const n = normalizePlanToken(t);
        expect(normalizePlanToken(n)).toBe(n);
      }),
    );
  });

  it("NN-MM[-slug]-PLAN.md in its own phase directory (any padding) parses back to its parts", () => {
    fc.assert(
      fc.property(phaseNumber, planToken, slug, fc.integer({ min: 0, max: 2 }), (phase, token, s, extraPad) => {
        const dirPhase = "0".repeat(extraPad) + phase;
        const name = parsePlanFileName(`${phase}-${token}${s}-PLAN.md`, dirPhase);
        expect(name).toEqual({ kind: "plan", stem: `${phase}-${token}${s}`, planToken: token, id: `${phase}-${token}` });
        const summary = parsePlanFileName(`${phase}-${token}-SUMMARY.md`, dirPhase);
        expect(summary?.kind).toBe("summary");
        expect(summary?.id).toBe(name?.id);
      }),
    );
  });

  it("MM-slug-PLAN.md inside another phase is plan MM of the directory's phase", () => {
    fc.assert(
      fc.property(phaseNumber, planToken, fc.constantFrom("-api", "-user-model", "-fix-login"), (dirPhase, token, s) => {
        fc.pre(!samePhaseNumber(dirPhase, token));
        const name = parsePlanFileName(`${token}${s}-PLAN.md`, dirPhase);
        expect(name).toEqual({ kind: "plan", stem: `${token}${s}`, planToken: token, id: `${dirPhase}-${token}` });
      }),
    );
  });
});
