import { describe, expect, test } from "bun:test";
import { concatBytes } from "../../../src/bytes.ts";
import { decodeReply, encodeCall } from "../../../test/helpers/rpc-client.ts";
import { ACCEPT, decodeCall, encodeAccepted, encodeRpcMismatch, frameRecord, RecordReader } from "./rpc.ts";
import { XdrWriter } from "./xdr.ts";

describe("ONC RPC messages (RFC 5531)", () => {
  test("a call's header is decoded and its arguments follow", () => {
    const d = decodeCall(encodeCall(7, 100000, 4, 3, new XdrWriter().u32(42).bytes()));
    if (d.kind !== "call") throw new Error(d.kind);
    expect([d.call.xid, d.call.prog, d.call.vers, d.call.proc, d.call.args.u32()]).toEqual([7, 100000, 4, 3, 42]);
  });

  test("credentials are skipped whatever their flavor, up to 400 bytes", () => {
    // AUTH_UNIX (flavor 1): stamp, machine name, uid, gid, no other gids.
    const unix = new XdrWriter().u32(1).opaque(new XdrWriter().u32(0x10).string("vn1").u32(0).u32(0).u32(0).bytes()).bytes();
    const call = concatBytes([new XdrWriter().u32(9).u32(0).u32(2).u32(100000).u32(2).u32(0).bytes(), unix, new XdrWriter().u32(0).u32(0).bytes()]);
    expect(decodeCall(call).kind).toBe("call");
    const big = concatBytes([new XdrWriter().u32(9).u32(0).u32(2).u32(100000).u32(2).u32(0).u32(1).bytes(), new XdrWriter().opaque(new Uint8Array(404)).bytes()]);
    expect(decodeCall(big)).toEqual({ kind: "bad", reason: "truncated call header or credentials over 400 bytes" });
  });

  test("a reply, a short message or a truncated header is not a call; another RPC version is a mismatch", () => {
    expect(decodeCall(encodeAccepted(1, ACCEPT.SUCCESS)).kind).toBe("bad");
    expect(decodeCall(new Uint8Array(5))).toEqual({ kind: "bad", reason: "5-byte message, shorter than an RPC header" });
    expect(decodeCall(encodeCall(3, 100000, 2, 0).subarray(0, 20)).kind).toBe("bad");
    const v3 = encodeCall(3, 100000, 2, 0);
    v3[11] = 3;
    expect(decodeCall(v3)).toEqual({ kind: "rpc-mismatch", xid: 3 });
    const denied = decodeReply(encodeRpcMismatch(3));
    expect([denied.xid, denied.replyStat, denied.stat, denied.body.u32(), denied.body.u32()]).toEqual([3, 1, 0, 2, 2]);
  });

  test("accepted replies carry results on success and the version range on a program mismatch", () => {
    const ok = decodeReply(encodeAccepted(5, ACCEPT.SUCCESS, new XdrWriter().u32(2049).bytes()));
    expect([ok.xid, ok.replyStat, ok.stat, ok.body.u32()]).toEqual([5, 0, 0, 2049]);
    const mm = decodeReply(encodeAccepted(6, ACCEPT.PROG_MISMATCH, undefined, { low: 2, high: 4 }));
    expect([mm.stat, mm.body.u32(), mm.body.u32()]).toEqual([2, 2, 4]);
  });
});

describe("record marking over TCP (RFC 5531 §11)", () => {
  test("records split anywhere and over several fragments are reassembled", () => {
    const a = frameRecord(Uint8Array.of(1, 2, 3));
    const frag = concatBytes([Uint8Array.of(0, 0, 0, 2, 9, 8), Uint8Array.of(0x80, 0, 0, 1, 7)]);
    const all = concatBytes([a, frag]);
    const r = new RecordReader(1024);
    const got: number[][] = [];
    for (const byte of all) {
      const out = r.push(Uint8Array.of(byte));
      if ("error" in out) throw new Error(out.error);
      for (const rec of out.records) got.push([...rec]);
    }
    expect(got).toEqual([[1, 2, 3], [9, 8, 7]]);
  });

  test("a record announced over the limit is an error before its bytes arrive", () => {
    const r = new RecordReader(1024);
    expect(r.push(Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toEqual({ error: "record of over 1024 bytes" });
    const f = new RecordReader(8);
    expect(f.push(Uint8Array.of(0, 0, 0, 6, 1, 2, 3, 4, 5, 6))).toEqual({ records: [] });
    expect(f.push(Uint8Array.of(0x80, 0, 0, 6))).toEqual({ error: "record of over 8 bytes" });
  });
});
