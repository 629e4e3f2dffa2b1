import { describe, expect, test } from "bun:test";
import { inPool } from "./pool.ts";

describe("inPool", () => {
  test("runs every item, never more than `width` at once", async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await inPool([1, 2, 3, 4, 5, 6, 7], 3, undefined, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await Promise.resolve();
      done.push(n);
      running--;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  test("the first failure aborts the others, is thrown after they settle, and stops new work", async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const p = inPool([1, 2, 3, 4, 5], 2, undefined, async (n, signal) => {
      started.push(n);
      if (n === 1) throw new Error("first");
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
      settled.push(n);
      throw new Error("aborted");
    });
    expect(await p.then(() => "resolved", (e: Error) => e.message)).toBe("first");
    expect(started).toEqual([1, 2]);
    expect(settled).toEqual([2]);
  });

  test("an outer abort stops the pool", async () => {
    const ac = new AbortController();
    const p = inPool([1, 2, 3], 1, ac.signal, (n) => {
      if (n === 1) ac.abort(new Error("cancelled"));
      return Promise.resolve();
    });
    expect(await p.then(() => "resolved", (e: Error) => e.message)).toBe("cancelled");
  });
});
