import { describe, expect, test } from "bun:test";
import {
  CMD,
  FLAG_C_FIXED_NEWSTYLE,
  FLAG_C_NO_ZEROES,
  FLAG_FIXED_NEWSTYLE,
  FLAG_NO_ZEROES,
  INFO,
  MAX_OPTION_DATA,
  NBD_ERR,
  OPT,
  REP,
  SIZE,
  decodeClientFlags,
  decodeInfoRequest,
  decodeOption,
  decodeRequest,
  encodeExportNameReply,
  encodeGreeting,
  encodeInfoBlockSize,
  encodeInfoExport,
  encodeOptionError,
  encodeServerEntry,
  encodeSimpleReply,
  type Decoded,
} from "./protocol.ts";
import {
  decodeExportNameReply,
  decodeGreeting,
  decodeInfo,
  decodeOptionReply,
  decodeSimpleReply,
  encodeClientFlags,
  encodeInfoRequest,
  encodeOption,
  encodeRequest,
} from "../../src/proto/nbd/client.ts";

const ok = <T>(r: Decoded<T>): T => {
  if (r.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.value;
};

/** Every strict prefix of a valid message asks for more; only the whole message decodes. */
function expectIncremental<T>(bytes: Uint8Array, decode: (b: Uint8Array) => Decoded<T>): void {
  for (let i = 0; i < bytes.length; i++) expect(decode(bytes.subarray(0, i)).kind).toBe("more");
  const r = decode(bytes);
  expect(r.kind).toBe("ok");
  if (r.kind === "ok") expect(r.size).toBe(bytes.length);
}

/** A small deterministic PRNG so garbage tests are reproducible. */
function* garbage(seed: number, count: number): Generator<Uint8Array> {
  let x = seed;
  const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < count; i++) yield Uint8Array.from({ length: next() % 64 }, () => next() & 255);
}

describe("nbd codec round trips", () => {
  test("the greeting carries NBDMAGIC, IHAVEOPT and the handshake flags", () => {
    const g = encodeGreeting(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES);
    expect(g.length).toBe(18);
    expect(new TextDecoder().decode(g.subarray(0, 16))).toBe("NBDMAGICIHAVEOPT");
    expect(ok(decodeGreeting(g)).handshakeFlags).toBe(3);
    expectIncremental(g, decodeGreeting);
  });

  test("client flags decode both known bits", () => {
    const b = encodeClientFlags(FLAG_C_FIXED_NEWSTYLE | FLAG_C_NO_ZEROES);
    expect(ok(decodeClientFlags(b))).toEqual({ fixedNewstyle: true, noZeroes: true });
    expect(ok(decodeClientFlags(encodeClientFlags(0)))).toEqual({ fixedNewstyle: false, noZeroes: false });
    expectIncremental(b, decodeClientFlags);
  });

  test("an option request round-trips with its data", () => {
    const data = encodeInfoRequest("swap-1G", [INFO.BLOCK_SIZE, INFO.NAME]);
    const b = encodeOption(OPT.GO, data);
    const req = ok(decodeOption(b));
    expect(req.option).toBe(OPT.GO);
    expect(decodeInfoRequest(req.data)).toEqual({ ok: true, value: { name: "swap-1G", infos: [INFO.BLOCK_SIZE, INFO.NAME] } });
    expectIncremental(b, decodeOption);
  });

  test("a request header round-trips, 64-bit cookie and offset included", () => {
    const r = { flags: 1, type: CMD.WRITE, cookie: 0xfedcba9876543210n, offset: 15 * 2 ** 30 + 4096, length: 1 << 20 };
    const b = encodeRequest(r);
    expect(ok(decodeRequest(b))).toEqual(r);
    expectIncremental(b, decodeRequest);
  });

  test("option replies, infos and server entries decode on the client side", () => {
    const exp = ok(decodeOptionReply(encodeInfoExport(OPT.GO, 2 ** 30, 0x65)));
    expect(exp.type).toBe(REP.INFO);
    expect(decodeInfo(exp.data)).toEqual({ kind: "export", size: 2 ** 30, transmissionFlags: 0x65 });
    const bs = ok(decodeOptionReply(encodeInfoBlockSize(OPT.GO, { min: 1, preferred: 4096, max: 1 << 20 })));
    expect(decodeInfo(bs.data)).toEqual({ kind: "block-size", min: 1, preferred: 4096, max: 1 << 20 });
    const entry = ok(decodeOptionReply(encodeServerEntry(OPT.LIST, "swap")));
    expect([entry.option, entry.type, [...entry.data]]).toEqual([OPT.LIST, REP.SERVER, [0, 0, 0, 4, 115, 119, 97, 112]]);
    const err = ok(decodeOptionReply(encodeOptionError(OPT.GO, REP.ERR_UNKNOWN, "no such export")));
    expect([err.type, new TextDecoder().decode(err.data)]).toEqual([REP.ERR_UNKNOWN, "no such export"]);
    expectIncremental(encodeServerEntry(OPT.LIST, "swap-16G"), decodeOptionReply);
  });

  test("the export-name reply has 124 zeroes unless NO_ZEROES was agreed", () => {
    expect(encodeExportNameReply(2 ** 34, 1, true).length).toBe(10);
    const long = encodeExportNameReply(2 ** 34, 1, false);
    expect(long.length).toBe(134);
    expect(ok(decodeExportNameReply(long, false))).toEqual({ size: 2 ** 34, transmissionFlags: 1 });
  });

  test("a simple reply round-trips its error and cookie", () => {
    const b = encodeSimpleReply(NBD_ERR.EINVAL, 42n);
    expect(b.length).toBe(SIZE.SIMPLE_REPLY);
    expect(ok(decodeSimpleReply(b))).toEqual({ error: 22, cookie: 42n });
  });
});

describe("nbd codec on garbage", () => {
  test("decoders report bad magic as soon as it has arrived, instead of throwing", () => {
    const junk = new TextEncoder().encode("GET / HTTP/1.1\r\n");
    expect(decodeOption(junk).kind).toBe("bad");
    expect(decodeRequest(junk).kind).toBe("bad");
    expect(decodeOption(junk.subarray(0, 8)).kind).toBe("bad");
    expect(decodeRequest(junk.subarray(0, 4)).kind).toBe("bad");
    expect(decodeRequest(junk.subarray(0, 3)).kind).toBe("more");
  });

  test("unknown client flag bits are refused", () => {
    expect(decodeClientFlags(encodeClientFlags(4))).toEqual({ kind: "bad", reason: "unknown client flags 0x4" });
  });

  test("an option announcing more data than any valid option is refused before it is buffered", () => {
    const header = encodeOption(OPT.GO).slice(0, 16);
    new DataView(header.buffer).setUint32(12, MAX_OPTION_DATA + 1);
    expect(decodeOption(header).kind).toBe("bad");
    new DataView(header.buffer).setUint32(12, 0xffffffff);
    expect(decodeOption(header).kind).toBe("bad");
  });

  test("malformed GO/INFO data is an error result", () => {
    const good = encodeInfoRequest("swap", [INFO.BLOCK_SIZE]);
    expect(decodeInfoRequest(good.subarray(0, 3)).ok).toBe(false);
    expect(decodeInfoRequest(good.subarray(0, good.length - 1)).ok).toBe(false);
    expect(decodeInfoRequest(Uint8Array.of(...good, 0)).ok).toBe(false);
    const huge = Uint8Array.from(good);
    new DataView(huge.buffer).setUint32(0, 0xffffffff);
    expect(decodeInfoRequest(huge).ok).toBe(false);
    expect(decodeInfoRequest(encodeInfoRequest("a\0b", [])).ok).toBe(false);
    expect(decodeInfoRequest(Uint8Array.of(0, 0, 0, 1, 0xff, 0, 0)).ok).toBe(false);
  });

  test("random bytes never make a decoder throw", () => {
    const decoders = [decodeClientFlags, decodeOption, decodeRequest, (b: Uint8Array) => ({ kind: decodeInfoRequest(b).ok ? "ok" : "bad" })];
    let seen = 0;
    for (const b of garbage(7, 2000)) {
      for (const d of decoders) expect(["ok", "more", "bad"]).toContain(d(b).kind);
      seen++;
    }
    expect(seen).toBe(2000);
  });
});
