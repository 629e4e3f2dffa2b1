import { describe, expect, test } from "bun:test";
import { XdrReader, XdrWriter } from "./xdr.ts";

describe("XDR (RFC 4506)", () => {
  test("integers, booleans and strings round-trip, strings padded to 4 bytes", () => {
    const b = new XdrWriter().u32(0xfffffffe).bool(true).string("tcp").string("").bytes();
    expect(b.length).toBe(4 + 4 + 8 + 4);
    expect([...b.subarray(8, 16)]).toEqual([0, 0, 0, 3, 116, 99, 112, 0]);
    const r = new XdrReader(b);
    expect([r.u32(), r.bool(), r.string(10), r.string(10), r.remaining]).toEqual([0xfffffffe, true, "tcp", "", 0]);
  });

  test("truncated input, booleans other than 0 and 1, and lengths over the bound read as undefined", () => {
    expect(new XdrReader(new Uint8Array(3)).u32()).toBeUndefined();
    expect(new XdrReader(new XdrWriter().u32(2).bytes()).bool()).toBeUndefined();
    expect(new XdrReader(new XdrWriter().string("toolong").bytes()).string(3)).toBeUndefined();
    // Length 5 announced, 5 bytes present but not the padding: short.
    expect(new XdrReader(Uint8Array.from([0, 0, 0, 5, 1, 2, 3, 4, 5])).opaque(100)).toBeUndefined();
    expect(new XdrReader(new XdrWriter().u32(0xffffffff).bytes()).opaque(1 << 30)).toBeUndefined();
  });
});
