import { describe, expect, test } from "bun:test";
import { silentLogger } from "../../src/log.ts";
import { decodePacket, encodePacket, type TftpPacket } from "./packet.ts";
import { memoryFile, type TftpFile } from "./routes.ts";
import { TransferSession, type Timers } from "./session.ts";
import { negotiate, ReadTransfer } from "./transfer.ts";

/** Timers driven by hand: `advance(ms)` fires what is due, in order. */
function fakeTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      due.set(nextId, { at: now + ms, fn });
      return nextId++;
    },
    clearTimeout: (h) => void due.delete(h as number),
    pending: () => due.size,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const [id, t] = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (id === undefined || !t || t.at > end) break;
        due.delete(id);
        now = t.at;
        t.fn();
      }
      now = end;
    },
  };
}

function setup(content: Uint8Array, options: Record<string, string> = {}, file: TftpFile = memoryFile(content)) {
  const timers = fakeTimers();
  const sent: TftpPacket[] = [];
  const link = { send: (ps: readonly Uint8Array[]) => ps.forEach((p) => sent.push((decodePacket(p.slice()) as { ok: true; packet: TftpPacket }).packet)) };
  const neg = negotiate(Object.entries(options).map(([name, value]) => ({ name, value })), file.size);
  const session = new TransferSession(new ReadTransfer(file.size, neg), file, link, timers, silentLogger);
  const ack = (block: number) => session.onDatagram(encodePacket({ op: "ack", block }));
  const blocks = () => sent.map((p) => (p.op === "data" ? p.block : p.op));
  return { timers, sent, session, ack, blocks };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const bytes = (n: number) => new Uint8Array(n).map((_, i) => i % 251);

describe("tftp transfer session", () => {
  test("serves a file in windows and reports the bytes", async () => {
    const s = setup(bytes(3000), { blksize: "1024", windowsize: "2", tsize: "0" });
    s.session.start();
    await settle();
    expect(s.sent[0]).toEqual({ op: "oack", options: [{ name: "blksize", value: "1024" }, { name: "windowsize", value: "2" }, { name: "tsize", value: "3000" }] });
    s.ack(0);
    await settle();
    s.ack(2);
    await settle();
    expect(s.blocks()).toEqual(["oack", 1, 2, 3]);
    s.ack(3);
    expect(await s.session.outcome).toEqual({ ok: true, bytes: 3000 });
    const data = s.sent.flatMap((p) => (p.op === "data" ? [...p.data] : []));
    expect(data).toEqual([...bytes(3000)]);
    expect(s.timers.pending()).toBe(0);
  });

  test("retransmits on the fake clock with backoff, then fails", async () => {
    const s = setup(bytes(100));
    s.session.start();
    await settle();
    expect(s.blocks()).toEqual([1]);
    s.timers.advance(999);
    expect(s.blocks()).toEqual([1]);
    s.timers.advance(1);
    expect(s.blocks()).toEqual([1, 1]);
    s.timers.advance(2000);
    expect(s.blocks()).toEqual([1, 1, 1]);
    s.timers.advance(4000 + 8000 + 8000 + 8000);
    expect(s.blocks()).toEqual([1, 1, 1, 1, 1, 1]);
    expect(await s.session.outcome).toEqual({ ok: false, bytes: 0, reason: "no answer after 5 retransmissions" });
  });

  test("an ACK before the deadline prevents the retransmission", async () => {
    const s = setup(bytes(2000));
    s.session.start();
    await settle();
    s.timers.advance(900);
    s.ack(1);
    await settle();
    s.timers.advance(900);
    expect(s.blocks()).toEqual([1, 2]);
    s.timers.advance(100);
    expect(s.blocks()).toEqual([1, 2, 2]);
  });

  test("events keep their order while a file read is pending", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const inner = memoryFile(bytes(600));
    const slow: TftpFile = { ...inner, read: async (o, l) => (await gate, inner.read(o, l)) };
    const s = setup(bytes(600), {}, slow);
    s.session.start();
    s.ack(1); // queued behind the read of block 1
    expect(s.blocks()).toEqual([]);
    release();
    await settle();
    expect(s.blocks()).toEqual([1, 2]);
    s.ack(2);
    expect(await s.session.outcome).toEqual({ ok: true, bytes: 600 });
  });

  test("a file that shrinks while served fails the transfer", async () => {
    const inner = memoryFile(bytes(100));
    const liar: TftpFile = { ...inner, size: 5000 };
    const s = setup(bytes(0), {}, liar);
    s.session.start();
    const o = await s.session.outcome;
    expect(o).toMatchObject({ ok: false, reason: "internal error: file shrank while being served" });
  });

  test("abort sends an ERROR and ends", async () => {
    const s = setup(bytes(5000));
    s.session.start();
    await settle();
    s.session.abort("Server shutting down");
    expect(await s.session.outcome).toMatchObject({ ok: false, reason: "Server shutting down" });
    expect(s.sent.at(-1)).toEqual({ op: "error", code: 0, message: "Server shutting down" });
    expect(s.timers.pending()).toBe(0);
  });

  test("malformed datagrams and stray opcodes on the transfer socket are ignored", async () => {
    const s = setup(bytes(10));
    s.session.start();
    s.session.onDatagram(new Uint8Array([0, 4]));
    s.session.onDatagram(encodePacket({ op: "data", block: 1, data: new Uint8Array(3) }));
    await settle();
    s.ack(1);
    expect(await s.session.outcome).toEqual({ ok: true, bytes: 10 });
  });
});
