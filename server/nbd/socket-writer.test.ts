import { describe, expect, test } from "bun:test";
import { SocketWriter } from "./socket-writer.ts";

/** A socket accepting at most `room` bytes until more room is given. */
function fakeSocket(room: number) {
  const sent: number[] = [];
  return {
    sent,
    room,
    closed: false,
    write(data: Uint8Array): number {
      if (this.closed) return -1;
      const n = Math.min(this.room, data.length);
      sent.push(...data.subarray(0, n));
      this.room -= n;
      return n;
    },
  };
}

describe("socket writer", () => {
  test("resolves at once when the socket takes everything", async () => {
    const s = fakeSocket(100);
    await new SocketWriter(s).write(Uint8Array.of(1, 2, 3));
    expect(s.sent).toEqual([1, 2, 3]);
  });

  test("keeps the rest for drain, in order, and resolves each write when it is out", async () => {
    const s = fakeSocket(2);
    const w = new SocketWriter(s);
    let firstDone = false;
    const first = w.write(Uint8Array.of(1, 2, 3, 4)).then(() => (firstDone = true));
    const second = w.write(Uint8Array.of(5, 6));
    expect(w.pendingBytes).toBe(4);
    s.room = 1;
    w.drain();
    await Promise.resolve();
    expect(firstDone).toBe(false);
    s.room = 10;
    w.drain();
    await Promise.all([first, second]);
    expect(s.sent).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("close releases pending writers and later writes are dropped", async () => {
    const s = fakeSocket(0);
    const w = new SocketWriter(s);
    const p = w.write(Uint8Array.of(1));
    w.close();
    await p;
    await w.write(Uint8Array.of(2));
    expect(s.sent).toEqual([]);
  });

  test("a socket answering -1 counts as closed", async () => {
    const s = fakeSocket(0);
    s.closed = true;
    const w = new SocketWriter(s);
    await w.write(Uint8Array.of(1));
    expect(w.pendingBytes).toBe(0);
  });
});
