import { describe, expect, test } from "bun:test";
import { DEFAULT_LIMITS, negotiate, ReadTransfer, type Negotiated, type TransferAction } from "./transfer.ts";

const opts = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));
const params = (p: Partial<Negotiated> = {}): Negotiated => ({ blksize: 512, windowsize: 1, timeoutMs: 1000, oack: [], ...p });
const sends = (actions: TransferAction[]) => actions.filter((a) => a.kind === "send-data").map((a) => (a.kind === "send-data" ? [a.from, a.to] : []));
const timerMs = (actions: TransferAction[]) => actions.find((a) => a.kind === "arm-timer")?.ms;

describe("tftp option negotiation", () => {
  const cases: [string, Record<string, string>, Partial<Negotiated>][] = [
    ["no options: no OACK", {}, { blksize: 512, windowsize: 1, oack: [] }],
    ["blksize granted", { blksize: "1468" }, { blksize: 1468, oack: opts({ blksize: "1468" }) }],
    ["blksize above the maximum is lowered", { blksize: "70000" }, { blksize: 65464, oack: opts({ blksize: "65464" }) }],
    ["blksize below 8 is ignored", { blksize: "7" }, { blksize: 512, oack: [] }],
    ["non-numeric blksize is ignored", { blksize: "big" }, { blksize: 512, oack: [] }],
    ["tsize reports the real size", { tsize: "0" }, { oack: opts({ tsize: "123456" }) }],
    ["timeout in range", { timeout: "3" }, { timeoutMs: 3000, oack: opts({ timeout: "3" }) }],
    ["timeout 0 ignored", { timeout: "0" }, { timeoutMs: 1000, oack: [] }],
    ["timeout 256 ignored", { timeout: "256" }, { timeoutMs: 1000, oack: [] }],
    ["windowsize lowered to the limit", { windowsize: "1000" }, { windowsize: 64, oack: opts({ windowsize: "64" }) }],
    ["windowsize 0 ignored", { windowsize: "0" }, { windowsize: 1, oack: [] }],
    ["unknown options ignored", { multicast: "", utimeout: "5000", blksize: "1024" }, { blksize: 1024, oack: opts({ blksize: "1024" }) }],
    ["names keep the client's spelling", { BlkSize: "1024", TSIZE: "0" }, { blksize: 1024, oack: opts({ BlkSize: "1024", TSIZE: "123456" }) }],
  ];
  test.each(cases)("%s", (_name, requested, expected) => {
    expect(negotiate(opts(requested), 123456, DEFAULT_LIMITS)).toMatchObject(expected);
  });
});

describe("tftp read transfer", () => {
  test("lockstep: one block per ACK, finish on the final ACK", () => {
    const t = new ReadTransfer(1300, params());
    expect(t.lastBlock).toBe(3);
    expect(sends(t.start())).toEqual([[1, 1]]);
    expect(sends(t.onAck(1))).toEqual([[2, 2]]);
    expect(t.block(3)).toEqual({ wire: 3, offset: 1024, length: 276 });
    expect(sends(t.onAck(2))).toEqual([[3, 3]]);
    expect(t.onAck(3)).toEqual([{ kind: "finish", bytes: 1300 }]);
    expect(t.state).toBe("done");
  });

  test("a size that is a multiple of blksize ends with an empty block", () => {
    const t = new ReadTransfer(1024, params());
    expect(t.lastBlock).toBe(3);
    expect(t.block(3).length).toBe(0);
    t.start();
    t.onAck(1);
    expect(t.onAck(2).some((a) => a.kind === "finish")).toBe(false);
    expect(t.onAck(3)).toEqual([{ kind: "finish", bytes: 1024 }]);
  });

  test("an empty file is one empty block", () => {
    const t = new ReadTransfer(0, params());
    expect(sends(t.start())).toEqual([[1, 1]]);
    expect(t.block(1)).toEqual({ wire: 1, offset: 0, length: 0 });
    expect(t.onAck(1)).toEqual([{ kind: "finish", bytes: 0 }]);
  });

  test("OACK first, data after ACK 0 only", () => {
    const t = new ReadTransfer(5000, params({ blksize: 1024, oack: [{ name: "blksize", value: "1024" }] }));
    expect(t.start()[0]).toEqual({ kind: "send-oack", options: [{ name: "blksize", value: "1024" }] });
    expect(t.onAck(1)).toEqual([]);
    expect(sends(t.onAck(0))).toEqual([[1, 1]]);
  });

  test("windows: a full-window ACK sends the next window, the last one is cut at the last block", () => {
    const t = new ReadTransfer(10 * 512 + 100, params({ windowsize: 4 }));
    expect(sends(t.start())).toEqual([[1, 4]]);
    expect(sends(t.onAck(4))).toEqual([[5, 8]]);
    expect(sends(t.onAck(8))).toEqual([[9, 11]]);
    expect(t.onAck(11)).toEqual([{ kind: "finish", bytes: 5220 }]);
  });

  test("a partial ACK restarts the window after the acknowledged block (RFC 7440 loss)", () => {
    const t = new ReadTransfer(100 * 512, params({ windowsize: 8 }));
    t.start();
    expect(sends(t.onAck(3))).toEqual([[4, 11]]);
  });

  test("duplicate ACKs in lockstep are ignored (Sorcerer's Apprentice)", () => {
    const t = new ReadTransfer(10 * 512, params());
    t.start();
    expect(sends(t.onAck(1))).toEqual([[2, 2]]);
    expect(t.onAck(1)).toEqual([]);
    expect(t.onAck(1)).toEqual([]);
    expect(sends(t.onAck(2))).toEqual([[3, 3]]);
  });

  test("with a window a duplicate ACK restarts the window once, not twice", () => {
    const t = new ReadTransfer(100 * 512, params({ windowsize: 4 }));
    t.start();
    expect(sends(t.onAck(4))).toEqual([[5, 8]]);
    expect(sends(t.onAck(4))).toEqual([[5, 8]]);
    expect(t.onAck(4)).toEqual([]);
    expect(sends(t.onAck(8))).toEqual([[9, 12]]);
  });

  test("old ACKs and ACKs for blocks never sent are ignored", () => {
    const t = new ReadTransfer(100 * 512, params({ windowsize: 4 }));
    t.start();
    t.onAck(4);
    expect(t.onAck(2)).toEqual([]);
    expect(t.onAck(9)).toEqual([]);
  });

  test("timeouts resend the window with exponential backoff, then give up", () => {
    const t = new ReadTransfer(100 * 512, params({ windowsize: 2, timeoutMs: 1000 }), { maxRetries: 4, maxBackoffMs: 5000 });
    expect(timerMs(t.start())).toBe(1000);
    const retries = [1, 2, 3, 4].map(() => t.onTimeout());
    expect(retries.map(sends)).toEqual([[[1, 2]], [[1, 2]], [[1, 2]], [[1, 2]]]);
    expect(retries.map(timerMs)).toEqual([2000, 4000, 5000, 5000]);
    expect(t.onTimeout()).toEqual([{ kind: "fail", reason: "no answer after 4 retransmissions", bytes: 0 }]);
    expect(t.state).toBe("failed");
    expect(t.onAck(2)).toEqual([]);
  });

  test("an ACK resets the backoff", () => {
    const t = new ReadTransfer(100 * 512, params());
    t.start();
    t.onTimeout();
    expect(timerMs(t.onTimeout())).toBe(4000);
    expect(timerMs(t.onAck(1))).toBe(1000);
  });

  test("the OACK is retransmitted on timeout", () => {
    const t = new ReadTransfer(10, params({ oack: [{ name: "tsize", value: "10" }] }));
    t.start();
    expect(t.onTimeout()[0]).toEqual({ kind: "send-oack", options: [{ name: "tsize", value: "10" }] });
  });

  test("block numbers roll over to 0 after 65535 and ACKs across the wrap are understood", () => {
    const blocks = 65536 + 10;
    const t = new ReadTransfer(blocks * 8 + 3, params({ blksize: 8, windowsize: 4 }));
    let actions = t.start();
    let acked = 0;
    while (t.state === "sending") {
      const send = actions.find((a) => a.kind === "send-data");
      if (send?.kind !== "send-data") throw new Error("no data sent");
      expect(send.from).toBe(acked + 1);
      acked = send.to;
      actions = t.onAck(t.block(acked).wire);
    }
    expect(t.state).toBe("done");
    expect(acked).toBe(blocks + 1);
    expect(t.block(65535).wire).toBe(65535);
    expect(t.block(65536).wire).toBe(0);
    expect(t.block(65537).wire).toBe(1);
  });

  test("an ACK for block 0 after the wrap is new, not the OACK's", () => {
    const t = new ReadTransfer(70000 * 8, params({ blksize: 8 }));
    t.start();
    for (let seq = 1; seq < 65536; seq++) t.onAck(seq % 65536);
    expect(sends(t.onAck(0))).toEqual([[65537, 65537]]);
  });

  test("an ERROR from the client ends the transfer without answering", () => {
    const t = new ReadTransfer(10, params({ oack: [{ name: "tsize", value: "10" }] }));
    t.start();
    expect(t.onError(0, "Early terminate")).toEqual([{ kind: "fail", reason: 'client aborted after the OACK: error 0 "Early terminate"', bytes: 0 }]);
  });

  test("abort tells the client why", () => {
    const t = new ReadTransfer(10 * 512, params());
    t.start();
    t.onAck(1);
    expect(t.abort("Server shutting down")).toEqual([{ kind: "fail", reason: "Server shutting down", bytes: 512, notify: { code: 0, message: "Server shutting down" } }]);
    expect(t.abort("again")).toEqual([]);
  });
});
