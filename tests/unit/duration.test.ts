import fc from "fast-check";
import { parseDuration } from "../../lib/core/plan/duration";

describe("parseDuration", () => {
  it("reads minute units in every spelling, with or without a space", () => {
    expect(parseDuration("4min")).toBe(4);
    expect(parseDuration("4 min")).toBe(4);
    expect(parseDuration("12m")).toBe(12);
    expect(parseDuration("5 minutes")).toBe(5);
    expect(parseDuration("1 minute")).toBe(1);
    expect(parseDuration("7 mins")).toBe(7);
    expect(parseDuration("5 MIN")).toBe(5);
    expect(parseDuration("~15 Minuten")).toBe(15);
  });

  it("drops approximation and bound markers", () => {
    expect(parseDuration("~5 min")).toBe(5);
    expect(parseDuration("≈8 minutes")).toBe(8);
    expect(parseDuration("about 10 minutes")).toBe(10);
    expect(parseDuration("<1min")).toBe(1);
  });

  it("reads hours, alone or combined with minutes", () => {
    expect(parseDuration("2h")).toBe(120);
    expect(parseDuration("1.5h")).toBe(90);
    expect(parseDuration("1h 20m")).toBe(80);
    expect(parseDuration("1 hour 20 minutes")).toBe(80);
    expect(parseDuration("~1h10min")).toBe(70);
    expect(parseDuration("1 hour and 5 minutes")).toBe(65);
  });

  it("reads seconds as fractions of a minute", () => {
    expect(parseDuration("90s")).toBe(1.5);
    expect(parseDuration("45 sec")).toBe(0.75);
    expect(parseDuration("3 min 20 sec")).toBeCloseTo(3 + 20 / 60);
    expect(parseDuration("2m 30s")).toBe(2.5);
    expect(parseDuration("4m5s")).toBeCloseTo(4 + 5 / 60);
    expect(parseDuration("250ms")).toBeCloseTo(250 / 60000);
  });

  it("reads a bare number, as YAML number or text, as minutes", () => {
    expect(parseDuration(290)).toBe(290);
    expect(parseDuration(6.7)).toBe(6.7);
    expect(parseDuration("290")).toBe(290);
    expect(parseDuration("~45 (planning + execution)")).toBe(45);
  });

  it("reads a bare number in the unit the caller names", () => {
    expect(parseDuration(90, "seconds")).toBe(1.5);
    expect(parseDuration("~120", "seconds")).toBe(2);
    expect(parseDuration("3 min", "seconds")).toBe(3);
  });

  it("reads h:mm:ss clocks but refuses an ambiguous two-part clock", () => {
    expect(parseDuration("00:45:00")).toBe(45);
    expect(parseDuration("01:20:30")).toBe(80.5);
    expect(parseDuration("00:08:00 (≈8 minutes wall-clock)")).toBe(8);
    expect(parseDuration("12:34")).toBeUndefined();
  });

  it("takes the midpoint of a range", () => {
    expect(parseDuration("~15-20 min")).toBe(17.5);
    expect(parseDuration("15 min - 20 min")).toBe(17.5);
    expect(parseDuration("1-2h")).toBe(90);
    expect(parseDuration("5 to 10 minutes")).toBe(7.5);
    expect(parseDuration("10–20")).toBe(15);
  });

  it("ignores notes after the leading duration", () => {
    expect(parseDuration("8 min (incl. checkpoint)")).toBe(8);
    expect(parseDuration("~4m active execution (12:10 → 12:14)")).toBe(4);
    expect(parseDuration("~9 min of authoring work + a 330.5s live session")).toBe(9);
    expect(parseDuration("7h 12m (includes UAT wait time)")).toBe(432);
    expect(parseDuration("3.5 minutes | 4 commits | 2 deviations")).toBe(3.5);
  });

  it("refuses text that does not start with a length of time", () => {
    for (const text of ["1 session", "~1 work session", "multi-session (~3h active)", "N/A", "Single session", "", "5 months", "1,5h", "2026-03-12"]) {
      expect(parseDuration(text)).toBeUndefined();
    }
  });

  it("refuses zero, negative and non-finite values", () => {
    for (const value of [0, "0", "0min", -5, "-5 min", Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(parseDuration(value)).toBeUndefined();
    }
  });

  it("refuses values that are neither numbers nor strings", () => {
    for (const value of [undefined, null, true, {}, [], ["5 min"], new Date(0)]) {
      expect(parseDuration(value)).toBeUndefined();
    }
  });
});

describe("parseDuration properties", () => {
  it("`${n}min` is n minutes", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100000 }), (n) => parseDuration(`${n}min`) === n));
  });

  it("`${h}h ${m}m` is 60h + m minutes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        fc.pre(h + m > 0);
        return parseDuration(`${h}h ${m}m`) === 60 * h + m;
      }),
    );
  });

  it("an approximation marker never changes the value", () => {
    fc.assert(
      fc.property(fc.constantFrom("", "~", "about ", "≈"), fc.integer({ min: 1, max: 1000 }), (marker, n) => {
        return parseDuration(`${marker}${n} minutes`) === n;
      }),
    );
  });

  it("`${s}s` is s / 60 minutes", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100000 }), (s) => Math.abs((parseDuration(`${s}s`) ?? 0) - s / 60) < 1e-9));
  });

  it("a range is its midpoint", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), (a, b) => parseDuration(`${a}-${b} min`) === (a + b) / 2));
  });

  it("never throws, and returns undefined or a positive finite number", () => {
    const ok = (v: number | undefined): boolean => v === undefined || (Number.isFinite(v) && v > 0);
    fc.assert(fc.property(fc.string(), (s) => ok(parseDuration(s))));
    fc.assert(fc.property(fc.anything(), (v) => ok(parseDuration(v))));
    fc.assert(fc.property(fc.double(), (v) => ok(parseDuration(v))));
  });
});
