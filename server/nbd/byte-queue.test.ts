import { describe, expect, test } from "bun:test";
import { ByteQueue } from "./byte-queue.ts";

const q = (...chunks: number[][]): ByteQueue => {
  const b = new ByteQueue();
  for (const c of chunks) b.push(Uint8Array.from(c));
  return b;
};

describe("byte queue", () => {
  test("peeks within one chunk without copying", () => {
    const chunk = Uint8Array.of(1, 2, 3, 4);
    const b = new ByteQueue();
    b.push(chunk);
    const p = b.peek(3);
    expect([...p]).toEqual([1, 2, 3]);
    expect(p.buffer).toBe(chunk.buffer);
  });

  test("peeks across chunks as one view, keeping the length", () => {
    const b = q([1], [2, 3], [4, 5, 6]);
    expect([...b.peek(4)]).toEqual([1, 2, 3, 4]);
    expect(b.length).toBe(6);
    expect([...b.peek(6)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("takes slices of the received chunks and skips", () => {
    const b = q([1, 2], [3, 4, 5]);
    expect(b.skip(1)).toBe(1);
    expect(b.take(3).map((p) => [...p])).toEqual([[2], [3, 4]]);
    expect(b.length).toBe(1);
    expect(b.take(10).map((p) => [...p])).toEqual([[5]]);
    expect(b.length).toBe(0);
    expect(b.peek(0).length).toBe(0);
  });

  test("refuses to peek past what it holds", () => {
    expect(() => q([1]).peek(2)).toThrow(RangeError);
  });

  test("random pushes, peeks, takes and skips agree with a flat array", () => {
    let x = 99;
    const rnd = (n: number): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n;
    const b = new ByteQueue();
    let model: number[] = [];
    let counter = 0;
    for (let step = 0; step < 3000; step++) {
      const op = rnd(4);
      if (op === 0) {
        const c = Array.from({ length: rnd(9) }, () => counter++ & 255);
        b.push(Uint8Array.from(c));
        model.push(...c);
      } else if (op === 1) {
        const n = rnd(model.length + 1);
        expect([...b.peek(n)]).toEqual(model.slice(0, n));
      } else if (op === 2) {
        const n = rnd(12);
        expect(b.take(n).flatMap((p) => [...p])).toEqual(model.slice(0, n));
        model = model.slice(n);
      } else {
        const n = rnd(12);
        expect(b.skip(n)).toBe(Math.min(n, model.length));
        model = model.slice(n);
      }
      expect(b.length).toBe(model.length);
    }
  });
});
