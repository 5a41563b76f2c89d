import fc from "fast-check";
import { MinHeap } from "../../lib/core/common/min-heap";

describe("MinHeap", () => {
  it("is empty at first", () => {
    const h = new MinHeap<number>((a, b) => a < b);
    expect(h.size).toBe(0);
    expect(h.peek()).toBeUndefined();
    expect(h.pop()).toBeUndefined();
  });

  it("pops the smallest item first and tracks its size", () => {
    const h = new MinHeap<number>((a, b) => a < b);
    for (const n of [5, 1, 4, 1, 3]) h.push(n);
    expect(h.size).toBe(5);
    expect(h.peek()).toBe(1);
    expect([h.pop(), h.pop(), h.pop(), h.pop(), h.pop()]).toEqual([1, 1, 3, 4, 5]);
    expect(h.size).toBe(0);
    expect(h.pop()).toBeUndefined();
  });

  it("uses the given order (a max-heap by reversing it, objects by a key)", () => {
    const max = new MinHeap<number>((a, b) => a > b);
    for (const n of [2, 9, 4]) max.push(n);
    expect(max.pop()).toBe(9);
    const byKey = new MinHeap<{ k: number; v: string }>((a, b) => a.k < b.k);
    byKey.push({ k: 2, v: "b" });
    byKey.push({ k: 1, v: "a" });
    expect(byKey.pop()?.v).toBe("a");
  });

  it("does not lose a falsy item", () => {
    const h = new MinHeap<number>((a, b) => a < b);
    h.push(0);
    h.push(0);
    expect(h.pop()).toBe(0);
    expect(h.pop()).toBe(0);
    expect(h.size).toBe(0);
  });

  it("gives the same order as sorting, with pushes and pops interleaved", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }), { maxLength: 200 }), (ops) => {
        const h = new MinHeap<number>((a, b) => a < b);
        const model: number[] = [];
        for (const op of ops) {
          if (op === undefined) {
            model.sort((a, b) => a - b);
            expect(h.pop()).toBe(model.shift());
          } else {
            h.push(op);
            model.push(op);
          }
          expect(h.size).toBe(model.length);
        }
        model.sort((a, b) => a - b);
        const rest: number[] = [];
        while (h.size > 0) rest.push(h.pop() as number);
        expect(rest).toEqual(model);
      }),
    );
  });
});
