import { describe, expect, test } from "bun:test";
import { concatBytes } from "./bytes.ts";

describe("concatBytes", () => {
  test("joins parts in order, views included, and handles no parts", () => {
    const big = new Uint8Array([9, 1, 2, 9]);
    expect([...concatBytes([new Uint8Array([0]), big.subarray(1, 3), new Uint8Array(0), new Uint8Array([3])])]).toEqual([0, 1, 2, 3]);
    expect(concatBytes([]).length).toBe(0);
  });
});
