import fc from "fast-check";
import {
  MAX_DELAY_SECONDS,
  RAISE_AFTER,
  backoffSeconds,
  effectiveCap,
  freshThrottle,
  onClean,
  onLimit,
  type Throttle,
} from "../../lib/core/schedule/concurrency-backoff";

describe("concurrency back-off", () => {
  it("halves on a limit and says why", () => {
    const t = onLimit(undefined, 8, "rate limit on 01-02");
    expect(t.effective).toBe(4);
    expect(t.reason).toBe("rate limit on 01-02");
    expect(onLimit(t, 8, "again").effective).toBe(2);
    expect(onLimit(onLimit(t, 8, "x"), 8, "y").effective).toBe(1);
    expect(onLimit({ ...t, effective: 1 }, 8, "z").effective).toBe(1);
  });

  it(`raises by one after ${RAISE_AFTER} clean completions, up to the cap, and then forgets the reason`, () => {
    let t: Throttle = onLimit(undefined, 4, "overloaded");
    expect(t.effective).toBe(2);
    for (let i = 1; i < RAISE_AFTER; i++) t = onClean(t, 4);
    expect(t.effective).toBe(2);
    t = onClean(t, 4);
    expect(t.effective).toBe(3);
    expect(t.reason).toBe("overloaded");
    for (let i = 0; i < RAISE_AFTER; i++) t = onClean(t, 4);
    expect(t.effective).toBe(4);
    expect(t.reason).toBeNull();
  });

  it("a limit resets the clean streak", () => {
    let t = onLimit(undefined, 4, "a");
    t = onClean(onClean(t, 4), 4);
    t = onLimit(t, 4, "b");
    expect(t.clean).toBe(0);
    expect(t.effective).toBe(1);
  });

  it("backs off exponentially from 60 s to an hour", () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([60, 120, 240, 480]);
    expect(backoffSeconds(50)).toBe(MAX_DELAY_SECONDS);
  });

  const ev = fc.array(fc.oneof(fc.constant("limit" as const), fc.constant("clean" as const)), { maxLength: 60 });
  it("property: the effective cap stays within 1..cap whatever happens, even when the cap changes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), ev, fc.integer({ min: 1, max: 32 }), (cap, events, cap2) => {
        let t: Throttle | undefined;
        for (const e of events) {
          t = e === "limit" ? onLimit(t, cap, "r") : onClean(t, cap);
          expect(effectiveCap(t, cap)).toBeGreaterThanOrEqual(1);
          expect(effectiveCap(t, cap)).toBeLessThanOrEqual(cap);
        }
        expect(effectiveCap(t, cap2)).toBeLessThanOrEqual(cap2);
        expect(effectiveCap(t, cap2)).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it("property: a limit never raises the cap, a clean completion never lowers it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), ev, (cap, events) => {
        let t: Throttle = freshThrottle(cap);
        for (const e of events) {
          const before = effectiveCap(t, cap);
          t = e === "limit" ? onLimit(t, cap, "r") : onClean(t, cap);
          if (e === "limit") expect(effectiveCap(t, cap)).toBe(Math.max(1, Math.floor(before / 2)));
          else expect(effectiveCap(t, cap) - before).toBeGreaterThanOrEqual(0);
          if (e === "clean") expect(effectiveCap(t, cap) - before).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it("property: enough clean completions always restore the configured cap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 10 }), (cap, limits) => {
        let t: Throttle | undefined;
        for (let i = 0; i < limits; i++) t = onLimit(t, cap, "r");
        for (let i = 0; i < cap * RAISE_AFTER; i++) t = onClean(t, cap);
        expect(effectiveCap(t, cap)).toBe(cap);
        expect(t?.reason ?? null).toBeNull();
      }),
    );
  });

  it("property: the backoff never shrinks as limits pile up and stays within 60..3600 s", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), (n) => {
        expect(backoffSeconds(n + 1)).toBeGreaterThanOrEqual(backoffSeconds(n));
        expect(backoffSeconds(n)).toBeGreaterThanOrEqual(60);
        expect(backoffSeconds(n)).toBeLessThanOrEqual(MAX_DELAY_SECONDS);
      }),
    );
  });
});
