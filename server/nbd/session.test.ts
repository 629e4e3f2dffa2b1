import { describe, expect, test } from "bun:test";
import { silentLogger } from "../../src/log.ts";
import { memoryBackend } from "../../test/helpers/nbd-memory.ts";
import { waitFor } from "../../test/helpers/wait-for.ts";
import { ByteQueue } from "./byte-queue.ts";
import { CMD, FLAG_C_FIXED_NEWSTYLE, FLAG_C_NO_ZEROES, INFO, NBD_ERR, OPT, REP, type Decoded } from "./protocol.ts";
import {
  decodeExportNameReply,
  decodeGreeting,
  decodeOptionReply,
  decodeSimpleReply,
  encodeClientFlags,
  encodeInfoRequest,
  encodeOption,
  encodeRequest,
} from "../../src/proto/nbd/client.ts";
import { NbdSession, type SessionIo } from "./session.ts";

const MiB = 1024 * 1024;

/** A session wired to in-memory I/O: the test plays the client by feeding bytes and decoding what comes out. */
function harness(feedEvery?: number) {
  const out = new ByteQueue();
  const state = { closed: false, pauses: 0, resumes: 0, exports: [] as string[] };
  let release: (() => void) | undefined;
  let blockWrites = false;
  const io: SessionIo = {
    write: (b) => {
      out.push(Uint8Array.from(b));
      return blockWrites ? new Promise<void>((r) => (release = r)) : Promise.resolve();
    },
    close: () => void (state.closed = true),
    pause: () => void state.pauses++,
    resume: () => void state.resumes++,
  };
  const backend = memoryBackend();
  const session = new NbdSession({ backend, io, log: silentLogger, owner: "10.0.0.2", onExport: (n) => state.exports.push(n) });
  const ended = session.run();
  const feed = (b: Uint8Array): void => {
    if (!feedEvery) return session.feed(b);
    for (let i = 0; i < b.length; i += feedEvery) session.feed(b.slice(i, i + feedEvery));
  };
  async function next<T>(decode: (b: Uint8Array) => Decoded<T>): Promise<T> {
    for (;;) {
      const r = decode(out.peek(out.length));
      if (r.kind === "ok") {
        out.skip(r.size);
        return r.value;
      }
      if (r.kind === "bad") throw new Error(r.reason);
      await waitFor(() => out.length >= r.need || state.closed, "server output", 2000, 1);
      if (out.length < r.need) throw new Error("session closed");
    }
  }
  const bytes = async (n: number): Promise<Uint8Array> => {
    await waitFor(() => out.length >= n, `${n} bytes`, 2000, 1);
    return out.take(n).reduce((acc, p) => Uint8Array.from([...acc, ...p]), new Uint8Array(0));
  };
  const blockOutput = (on: boolean): void => {
    blockWrites = on;
    if (!on) release?.();
  };
  return { session, backend, state, out, ended, feed, next, bytes, blockOutput };
}

type Harness = ReturnType<typeof harness>;

async function handshakeGo(h: Harness, name = "swap-1M"): Promise<void> {
  expect((await h.next(decodeGreeting)).handshakeFlags).toBe(3);
  h.feed(encodeClientFlags(FLAG_C_FIXED_NEWSTYLE | FLAG_C_NO_ZEROES));
  h.feed(encodeOption(OPT.GO, encodeInfoRequest(name, [INFO.BLOCK_SIZE])));
  for (let r = await h.next(decodeOptionReply); r.type !== REP.ACK; r = await h.next(decodeOptionReply)) expect(r.type).toBe(REP.INFO);
}

const cmd = (type: number, offset: number, length: number, cookie = 1n, flags = 0): Uint8Array => encodeRequest({ type, flags, cookie, offset, length });

describe("nbd session", () => {
  test("serves a whole conversation fed one byte at a time, then removes the export on DISC", async () => {
    const h = harness(1);
    await handshakeGo(h);
    expect(h.state.exports).toEqual(["swap-1M"]);
    const data = Uint8Array.from({ length: 3000 }, (_, i) => i & 255);
    h.feed(cmd(CMD.WRITE, 5000, data.length, 1n));
    h.feed(data);
    expect(await h.next(decodeSimpleReply)).toEqual({ error: 0, cookie: 1n });
    h.feed(cmd(CMD.READ, 5000, data.length, 2n));
    expect(await h.next(decodeSimpleReply)).toEqual({ error: 0, cookie: 2n });
    expect(await h.bytes(data.length)).toEqual(data);
    h.feed(cmd(CMD.DISC, 0, 0, 3n));
    const end = await h.ended;
    expect(end).toMatchObject({ exportName: "swap-1M", abnormal: false, requests: 3, bytesRead: 3000, bytesWritten: 3000 });
    expect(h.backend.opened[0]?.closed).toBe(true);
    expect(h.state.closed).toBe(true);
  });

  test("garbage instead of the client flags ends the connection as abnormal, opening nothing", async () => {
    const h = harness();
    h.feed(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"));
    const end = await h.ended;
    expect(end.abnormal).toBe(true);
    expect(end.reason).toBe("malformed client flags: unknown client flags 0x47455420");
    expect(h.backend.opened).toEqual([]);
  });

  test("an option cut short by the client closing is reported as truncated", async () => {
    const h = harness();
    await h.next(decodeGreeting);
    h.feed(encodeClientFlags(FLAG_C_FIXED_NEWSTYLE));
    h.feed(encodeOption(OPT.GO, encodeInfoRequest("swap", [])).subarray(0, 10));
    h.session.end();
    expect(await h.ended).toMatchObject({ abnormal: true, reason: "connection ended in the middle of the option" });
  });

  test("a client closing between messages is a normal end", async () => {
    const h = harness();
    h.session.end();
    expect(await h.ended).toMatchObject({ abnormal: false, reason: "client closed the connection", exportName: undefined });
  });

  test("a client vanishing in transmission still gets its export closed", async () => {
    const h = harness();
    await handshakeGo(h);
    h.feed(cmd(CMD.WRITE, 0, 4096));
    h.feed(new Uint8Array(100));
    h.session.end();
    expect(await h.ended).toMatchObject({ abnormal: true, exportName: "swap-1M" });
    expect(h.backend.opened[0]?.closed).toBe(true);
  });

  test("an oversize request is answered EINVAL, then the connection closes", async () => {
    const h = harness();
    await handshakeGo(h);
    h.feed(cmd(CMD.READ, 0, 33 * MiB, 9n));
    expect(await h.next(decodeSimpleReply)).toEqual({ error: NBD_ERR.EINVAL, cookie: 9n });
    expect(await h.ended).toMatchObject({ abnormal: true, reason: expect.stringContaining("exceeds") });
    expect(h.backend.opened[0]?.closed).toBe(true);
  });

  test("a bad request magic in transmission closes the connection", async () => {
    const h = harness();
    await handshakeGo(h);
    h.feed(new Uint8Array(28).fill(0x41));
    expect(await h.ended).toMatchObject({ abnormal: true, reason: expect.stringContaining("bad request magic") });
  });

  test("a GO whose storage cannot be created is refused, and a later GO succeeds", async () => {
    const h = harness();
    await h.next(decodeGreeting);
    h.feed(encodeClientFlags(FLAG_C_FIXED_NEWSTYLE | FLAG_C_NO_ZEROES));
    h.backend.failOpen = true;
    h.feed(encodeOption(OPT.GO, encodeInfoRequest("swap", [])));
    expect((await h.next(decodeOptionReply)).type).toBe(REP.ERR_UNKNOWN);
    h.backend.failOpen = false;
    h.feed(encodeOption(OPT.GO, encodeInfoRequest("swap", [])));
    const types: number[] = [];
    for (let r = await h.next(decodeOptionReply); ; r = await h.next(decodeOptionReply)) if (types.push(r.type) && r.type === REP.ACK) break;
    expect(types).toEqual([REP.INFO, REP.INFO, REP.ACK]);
    h.session.end();
    await h.ended;
  });

  test("EXPORT_NAME without NO_ZEROES gets the 124 zero bytes, and the default export", async () => {
    const h = harness();
    await h.next(decodeGreeting);
    h.feed(encodeClientFlags(FLAG_C_FIXED_NEWSTYLE));
    h.feed(encodeOption(OPT.EXPORT_NAME));
    expect(await h.next((b) => decodeExportNameReply(b, false))).toEqual({ size: 4 * MiB, transmissionFlags: 0x65 });
    expect(h.out.length).toBe(0);
    h.session.end();
    expect((await h.ended).exportName).toBe("swap");
  });

  test("input beyond the high-water mark pauses the socket until the session catches up", async () => {
    const h = harness();
    await handshakeGo(h, "swap-16M");
    h.blockOutput(true);
    h.feed(cmd(CMD.READ, 0, 4096, 1n));
    await waitFor(() => h.out.length >= 16, "first reply", 2000, 1);
    for (let i = 0; i < 6; i++) {
      h.feed(cmd(CMD.WRITE, i * MiB, MiB, BigInt(10 + i)));
      h.feed(new Uint8Array(MiB).fill(i + 1));
    }
    expect(h.state.pauses).toBe(1);
    h.blockOutput(false);
    expect((await h.next(decodeSimpleReply)).cookie).toBe(1n);
    await h.bytes(4096);
    for (let i = 0; i < 6; i++) expect((await h.next(decodeSimpleReply)).error).toBe(0);
    expect(h.state.resumes).toBe(1);
    expect(h.backend.opened[0]?.bytes[5 * MiB]).toBe(6);
    h.session.end();
    await h.ended;
  });

  test("shutdown lets a WRITE whose payload is still arriving finish, then closes", async () => {
    const h = harness();
    await handshakeGo(h);
    h.feed(cmd(CMD.WRITE, 0, 8192, 5n));
    h.feed(new Uint8Array(4096).fill(1));
    h.session.shutdown();
    h.feed(new Uint8Array(4096).fill(2));
    expect(await h.next(decodeSimpleReply)).toEqual({ error: 0, cookie: 5n });
    expect(await h.ended).toMatchObject({ abnormal: false, reason: "server stopping", bytesWritten: 8192 });
    expect(h.backend.opened[0]?.bytes[8191]).toBe(2);
  });

  test("shutdown ends an idle session and closes its export", async () => {
    const h = harness();
    await handshakeGo(h);
    h.session.shutdown();
    expect(await h.ended).toMatchObject({ abnormal: false, reason: "server stopping" });
    expect(h.backend.opened[0]?.closed).toBe(true);
  });
});
