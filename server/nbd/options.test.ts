import { describe, expect, test } from "bun:test";
import { GiB, resolveExportName } from "./export-name.ts";
import { TRANSMISSION_FLAGS, decideOption, type OptionOutcome } from "./options.ts";
import { INFO, OPT, REP, TFLAG } from "./protocol.ts";
import { decodeInfo, decodeOptionReply, encodeInfoRequest } from "../../src/proto/nbd/client.ts";

const backend = { resolve: (n: string) => resolveExportName(n, { defaultBytes: 16 * GiB, maxBytes: 16 * GiB }), list: () => ["swap", "swap-16G"] };
const decide = (option: number, data: Uint8Array = new Uint8Array(0)): OptionOutcome => decideOption({ option, data }, backend);
const replies = (o: OptionOutcome): { type: number; data: Uint8Array }[] => {
  if (o.kind !== "reply" && o.kind !== "abort") throw new Error(`expected replies, got ${o.kind}`);
  return o.replies.map((r) => {
    const d = decodeOptionReply(r);
    if (d.kind !== "ok") throw new Error("bad reply");
    return d.value;
  });
};
const types = (o: OptionOutcome): number[] => replies(o).map((r) => r.type);

describe("nbd option decisions", () => {
  test("GO on swap-1G enters transmission with 1 GiB", () => {
    expect(decide(OPT.GO, encodeInfoRequest("swap-1G", [INFO.BLOCK_SIZE]))).toEqual({ kind: "go", option: OPT.GO, name: "swap-1G", size: GiB, infos: [INFO.BLOCK_SIZE] });
  });

  test("INFO answers the size, the flags and WALT's block sizes, then ACK, without opening anything", () => {
    const r = replies(decide(OPT.INFO, encodeInfoRequest("swap-2G", [])));
    expect(r.map((x) => x.type)).toEqual([REP.INFO, REP.INFO, REP.ACK]);
    expect(r.slice(0, 2).map((x) => decodeInfo(x.data))).toEqual([
      { kind: "export", size: 2 * GiB, transmissionFlags: TRANSMISSION_FLAGS },
      { kind: "block-size", min: 1, preferred: 4096, max: 1 << 20 },
    ]);
  });

  test("the transmission flags offer flush, trim and write-zeroes but never multi-conn", () => {
    expect(TRANSMISSION_FLAGS & TFLAG.CAN_MULTI_CONN).toBe(0);
    expect(TRANSMISSION_FLAGS).toBe(TFLAG.HAS_FLAGS | TFLAG.SEND_FLUSH | TFLAG.SEND_TRIM | TFLAG.SEND_WRITE_ZEROES);
  });

  test.each([
    ["swap-32G", REP.ERR_POLICY],
    ["nope", REP.ERR_UNKNOWN],
  ])("GO on %p is refused with %d and a message", (name, type) => {
    const [r] = replies(decide(OPT.GO, encodeInfoRequest(name, [])));
    expect(r?.type).toBe(type);
    expect(new TextDecoder().decode(r?.data)).toContain(name);
  });

  test("malformed GO data gets ERR_INVALID and negotiation goes on", () => {
    expect(types(decide(OPT.GO, Uint8Array.of(0, 0, 0, 9, 1)))).toEqual([REP.ERR_INVALID]);
  });

  test("LIST announces the exports then ACK; LIST with data is invalid", () => {
    expect(types(decide(OPT.LIST))).toEqual([REP.SERVER, REP.SERVER, REP.ACK]);
    expect(types(decide(OPT.LIST, Uint8Array.of(1)))).toEqual([REP.ERR_INVALID]);
  });

  test("ABORT is acknowledged, then the connection closes", () => {
    const o = decide(OPT.ABORT);
    expect(o.kind).toBe("abort");
    expect(types(o)).toEqual([REP.ACK]);
  });

  test.each([OPT.STRUCTURED_REPLY, OPT.STARTTLS, OPT.SET_META_CONTEXT, 4242])("option %d is unsupported", (option) => {
    expect(types(decide(option))).toEqual([REP.ERR_UNSUP]);
  });

  test("EXPORT_NAME enters transmission, or hangs up on an unknown export (it cannot be refused otherwise)", () => {
    expect(decide(OPT.EXPORT_NAME, new TextEncoder().encode("swap-1G"))).toEqual({ kind: "export-name", name: "swap-1G", size: GiB });
    expect(decide(OPT.EXPORT_NAME, new TextEncoder().encode("disk")).kind).toBe("hangup");
    expect(decide(OPT.EXPORT_NAME, Uint8Array.of(0xff)).kind).toBe("hangup");
  });
});
