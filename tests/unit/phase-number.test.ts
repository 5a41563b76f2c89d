import fc from "fast-check";
import { compareNatural, comparePhaseNumbers, isPhaseNumber, normalizePhaseNumber, parsePhaseDirName, samePhaseNumber } from "../../lib/core/plan/phase-number";

describe("isPhaseNumber", () => {
  it("accepts plain, padded, decimal, multi-level and lettered numbers", () => {
    for (const s of ["2", "02", "002", "02.1", "3.9.4", "36B", "36b", " 7 "]) expect(isPhaseNumber(s)).toBe(true);
  });
  it("rejects slugs, empty text, a trailing dot and two letters", () => {
    for (const s of ["", "02-core", "tools", "2.", ".2", "36BB", "v1.2", "2..1"]) expect(isPhaseNumber(s)).toBe(false);
  });
});

describe("normalizePhaseNumber", () => {
  it("drops padding in every segment", () => {
    expect(normalizePhaseNumber("002")).toBe("2");
    expect(normalizePhaseNumber("02.01")).toBe("2.1");
    expect(normalizePhaseNumber("03.09.004")).toBe("3.9.4");
  });
  it("keeps a decimal's digits: 2.10 is not 2.1", () => {
    expect(normalizePhaseNumber("02.10")).toBe("2.10");
  });
  it("upper-cases a letter suffix and trims", () => {
    expect(normalizePhaseNumber("36b")).toBe("36B");
    expect(normalizePhaseNumber(" 036B ")).toBe("36B");
  });
});

describe("samePhaseNumber", () => {
  it("treats spellings that differ only in padding or letter case as the same phase", () => {
    expect(samePhaseNumber("2", "002")).toBe(true);
    expect(samePhaseNumber("02.1", "2.1")).toBe(true);
    expect(samePhaseNumber("36b", "36B")).toBe(true);
  });
  it("tells different phases apart", () => {
    expect(samePhaseNumber("2", "2.1")).toBe(false);
    expect(samePhaseNumber("2.1", "2.10")).toBe(false);
    expect(samePhaseNumber("36", "36B")).toBe(false);
  });
  it("is false when either side is not a phase number", () => {
    expect(samePhaseNumber("02-core", "02-core")).toBe(false);
    expect(samePhaseNumber("", "")).toBe(false);
  });
});

describe("comparePhaseNumbers", () => {
  it("orders numerically by segment, then by letter suffix", () => {
    const sorted = ["37", "36B", "2.10", "3", "2", "36", "2.1", "36A", "010"].sort(comparePhaseNumbers);
    expect(sorted).toEqual(["2", "2.1", "2.10", "3", "010", "36", "36A", "36B", "37"]);
  });
  it("is zero for the same phase in another spelling", () => {
    expect(comparePhaseNumbers("02.01", "2.1")).toBe(0);
    expect(comparePhaseNumbers("36b", "036B")).toBe(0);
  });
  it("puts 9 before 10 (not text order)", () => {
    expect(comparePhaseNumbers("9", "10")).toBeLessThan(0);
    expect(comparePhaseNumbers("2.9", "2.10")).toBeLessThan(0);
  });
});

describe("parsePhaseDirName", () => {
  it("reads the number and the slug", () => {
    expect(parsePhaseDirName("02-core-api")).toEqual({ number: "02", slug: "core-api" });
    expect(parsePhaseDirName("104-slug")).toEqual({ number: "104", slug: "slug" });
    expect(parsePhaseDirName("1-slug")).toEqual({ number: "1", slug: "slug" });
  });
  it("reads decimal, multi-level and lettered numbers", () => {
    expect(parsePhaseDirName("02.1-hotfix")).toEqual({ number: "02.1", slug: "hotfix" });
    expect(parsePhaseDirName("3.9.4-polish")).toEqual({ number: "3.9.4", slug: "polish" });
    expect(parsePhaseDirName("36B-extra")).toEqual({ number: "36B", slug: "extra" });
  });
  it("skips a milestone prefix", () => {
    expect(parsePhaseDirName("v1.2-05-auth")).toEqual({ number: "05", slug: "auth" });
  });
  it("accepts a bare number with no slug", () => {
    expect(parsePhaseDirName("07")).toEqual({ number: "07", slug: "" });
  });
  it("has no number for a directory that does not start with one", () => {
    expect(parsePhaseDirName("tools-email")).toEqual({ slug: "tools-email" });
    expect(parsePhaseDirName("phase2")).toEqual({ slug: "phase2" });
  });
});

describe("compareNatural", () => {
  it("sorts embedded numbers numerically", () => {
    expect(["02-10-PLAN.md", "02-9-PLAN.md", "02-01-PLAN.md"].sort(compareNatural)).toEqual(["02-01-PLAN.md", "02-9-PLAN.md", "02-10-PLAN.md"]);
  });
  it("never calls two different names equal (stable, total)", () => {
    expect(compareNatural("01", "1")).not.toBe(0);
    expect(compareNatural("a", "A")).not.toBe(0);
    expect(Math.sign(compareNatural("01", "1"))).toBe(-Math.sign(compareNatural("1", "01")));
  });
});

/** Phase numbers as people write them: padded segments, optional letter in either case. */
const phaseNumber = fc
  .tuple(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 120 })), { minLength: 1, maxLength: 3 }),
    fc.constantFrom("", "a", "A", "b", "B", "c"),
  )
  .map(([segments, letter]) => segments.map(([pad, n]) => "0".repeat(pad) + String(n)).join(".") + letter);

describe("phase numbers: properties", () => {
  it("generated numbers are phase numbers, and normalising is idempotent", () => {
    fc.assert(
      fc.property(phaseNumber, (s) => {
        expect(isPhaseNumber(s)).toBe(true);
        const n = normalizePhaseNumber(s);
        expect(isPhaseNumber(n)).toBe(true);
        expect(normalizePhaseNumber(n)).toBe(n);
        expect(samePhaseNumber(s, n)).toBe(true);
      }),
    );
  });

  it("compare is zero exactly when the normal forms are equal, and antisymmetric", () => {
    fc.assert(
      fc.property(phaseNumber, phaseNumber, (a, b) => {
        const c = comparePhaseNumbers(a, b);
        expect(c === 0).toBe(normalizePhaseNumber(a) === normalizePhaseNumber(b));
        // Antisymmetry; summed because toBe(-Math.sign(0)) would compare 0 with -0.
        expect(Math.sign(comparePhaseNumbers(b, a)) + Math.sign(c)).toBe(0);
        expect(comparePhaseNumbers(a, a)).toBe(0);
      }),
    );
  });

  it("compare is transitive and agrees with the normal forms", () => {
    fc.assert(
      fc.property(phaseNumber, phaseNumber, phaseNumber, (a, b, c) => {
        if (comparePhaseNumbers(a, b) <= 0 && comparePhaseNumbers(b, c) <= 0) {
          expect(comparePhaseNumbers(a, c)).toBeLessThanOrEqual(0);
        }
        // Replacing a value by its normal form never changes where it sorts.
        expect(Math.sign(comparePhaseNumbers(normalizePhaseNumber(a), b))).toBe(Math.sign(comparePhaseNumbers(a, b)));
      }),
    );
  });

  it("sorting any list gives a result that is sorted pairwise (total order)", () => {
    fc.assert(
      fc.property(fc.array(phaseNumber, { maxLength: 12 }), (list) => {
        const sorted = [...list].sort(comparePhaseNumbers);
        for (let i = 1; i < sorted.length; i++) {
          for (let j = 0; j < i; j++) expect(comparePhaseNumbers(sorted[j] as string, sorted[i] as string)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });
});
