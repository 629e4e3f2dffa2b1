import { describe, expect, test } from "bun:test";
import { MemoryExport } from "../../test/helpers/nbd-memory.ts";
import { CHUNK_BYTES, Hangup, ScratchBuffer, checkRequest, errnoOf, serveCommand, type CommandIo } from "./commands.ts";
import { CMD, CMD_FLAG, NBD_ERR, type Request } from "./protocol.ts";
import { decodeSimpleReply } from "../../src/proto/nbd/client.ts";
import { failure } from "../../test/helpers/failure.ts";


const SIZE = 8 * 1024 * 1024;
const MAX = 2 * 1024 * 1024;
const req = (type: number, offset: number, length: number, flags = 0): Request => ({ type, offset, length, flags, cookie: 7n });

describe("nbd request checks", () => {
  test.each([
    ["a READ inside the export", req(CMD.READ, 0, 4096), { ok: true }],
    ["a READ ending exactly at the end", req(CMD.READ, SIZE - 512, 512), { ok: true }],
    ["a READ past the end", req(CMD.READ, SIZE - 512, 1024), { ok: false, error: NBD_ERR.EINVAL, skip: 0 }],
    ["a READ at a 2^63 offset", req(CMD.READ, 2 ** 63, 1), { ok: false, error: NBD_ERR.EINVAL, skip: 0 }],
    ["a WRITE past the end (its payload is skipped)", req(CMD.WRITE, SIZE, 4096), { ok: false, error: NBD_ERR.ENOSPC, skip: 4096 }],
    ["a TRIM past the end", req(CMD.TRIM, SIZE, 1), { ok: false, error: NBD_ERR.EINVAL, skip: 0 }],
    ["a WRITE_ZEROES past the end", req(CMD.WRITE_ZEROES, 0, SIZE + 1), { ok: false, error: NBD_ERR.ENOSPC, skip: 0 }],
    ["a TRIM of the whole export, longer than the request limit", req(CMD.TRIM, 0, SIZE), { ok: true }],
    ["an unknown command", req(99, 0, 0), { ok: false, error: NBD_ERR.EINVAL, skip: 0 }],
    ["BLOCK_STATUS without structured replies", req(CMD.BLOCK_STATUS, 0, 512), { ok: false, error: NBD_ERR.EINVAL, skip: 0 }],
    ["an unknown flag on a WRITE", req(CMD.WRITE, 0, 10, 0x100), { ok: false, error: NBD_ERR.EINVAL, skip: 10 }],
    ["FUA and NO_HOLE", req(CMD.WRITE_ZEROES, 0, 10, CMD_FLAG.FUA | CMD_FLAG.NO_HOLE), { ok: true }],
  ])("%s", (_what, r, verdict) => {
    expect(checkRequest(r, SIZE, MAX)).toEqual(verdict as ReturnType<typeof checkRequest>);
  });

  test("an oversize READ or WRITE is refused and ends the connection", () => {
    for (const type of [CMD.READ, CMD.WRITE]) {
      const v = checkRequest(req(type, 0, MAX + 1), SIZE, MAX);
      expect(v.ok).toBe(false);
      if (!v.ok) expect([v.error, v.skip, typeof v.hangup]).toEqual([NBD_ERR.EINVAL, 0, "string"]);
    }
  });

  test("storage errors map to NBD error numbers", () => {
    const e = (code: string): unknown => Object.assign(new Error(code), { code });
    expect([errnoOf(e("ENOSPC")), errnoOf(e("EDQUOT")), errnoOf(e("EROFS")), errnoOf(e("EBADF")), errnoOf("x")]).toEqual([28, 28, 1, 5, 5]);
  });
});

/** A CommandIo fed from a fixed payload in small pieces, recording what is written. */
function fakeIo(payload: Uint8Array = new Uint8Array(0), piece = 1000): CommandIo & { out: Uint8Array[] } {
  let at = 0;
  const out: Uint8Array[] = [];
  const scratch = new ScratchBuffer();
  return {
    out,
    scratch: (n) => scratch.get(n),
    payload: (n) => {
      const len = Math.min(n, piece, payload.length - at);
      const part = payload.subarray(at, at + len);
      at += len;
      return Promise.resolve(len === 0 ? [] : [part]);
    },
    write: (b) => {
      out.push(Uint8Array.from(b));
      return Promise.resolve();
    },
  };
}
const stats = (): { bytesRead: number; bytesWritten: number; requests: number } => ({ bytesRead: 0, bytesWritten: 0, requests: 0 });
const errorOf = (b: Uint8Array | undefined): number => {
  const r = decodeSimpleReply(b ?? new Uint8Array(0));
  return r.kind === "ok" ? r.value.error : -1;
};

describe("nbd command service", () => {
  test("a WRITE arriving in pieces lands at its offset, then a READ sends it back in chunks", async () => {
    const exp = new MemoryExport("swap", SIZE);
    const data = Uint8Array.from({ length: CHUNK_BYTES + 5000 }, (_, i) => (i * 7) & 255);
    const w = fakeIo(data);
    await serveCommand(req(CMD.WRITE, 4096, data.length), exp, w, stats());
    expect(w.out.map(errorOf)).toEqual([0]);
    expect(exp.bytes.subarray(4096, 4096 + data.length)).toEqual(data);
    const r = fakeIo();
    await serveCommand(req(CMD.READ, 4096, data.length), exp, r, stats());
    expect(r.out.length).toBe(2);
    expect(errorOf(r.out[0])).toBe(0);
    const back = new Uint8Array([...(r.out[0] ?? new Uint8Array(16)).subarray(16), ...(r.out[1] ?? [])]);
    expect(back).toEqual(data);
  });

  test("a failing READ answers its error before any data", async () => {
    const exp = new MemoryExport("swap", SIZE);
    exp.failWith = "EIO";
    const io = fakeIo();
    await serveCommand(req(CMD.READ, 0, 4096), exp, io, stats());
    expect(io.out.map((b) => b.length)).toEqual([16]);
    expect(errorOf(io.out[0])).toBe(NBD_ERR.EIO);
  });

  test("a failing WRITE still consumes its whole payload, then answers ENOSPC", async () => {
    const exp = new MemoryExport("swap", SIZE);
    exp.failWith = "ENOSPC";
    const io = fakeIo(new Uint8Array(5000));
    await serveCommand(req(CMD.WRITE, 0, 5000), exp, io, stats());
    expect(await io.payload(1)).toEqual([]);
    expect(io.out.map(errorOf)).toEqual([NBD_ERR.ENOSPC]);
  });

  test("a WRITE cut short by the connection ending hangs up", async () => {
    const exp = new MemoryExport("swap", SIZE);
    expect(await failure(serveCommand(req(CMD.WRITE, 0, 5000), exp, fakeIo(new Uint8Array(100)), stats()))).toBeInstanceOf(Hangup);
  });

  test("TRIM, WRITE_ZEROES and FLUSH answer success; DISC answers nothing", async () => {
    const exp = new MemoryExport("swap", SIZE);
    exp.bytes.fill(9);
    const io = fakeIo();
    const s = stats();
    await serveCommand(req(CMD.TRIM, 0, 512), exp, io, s);
    await serveCommand(req(CMD.WRITE_ZEROES, 1024, 512), exp, io, s);
    await serveCommand(req(CMD.FLUSH, 0, 0), exp, io, s);
    expect(await serveCommand(req(CMD.DISC, 0, 0), exp, io, s)).toBe("disconnect");
    expect(io.out.map(errorOf)).toEqual([0, 0, 0]);
    expect(exp.trims).toEqual([[0, 512]]);
    expect([exp.bytes[1023], exp.bytes[1024], exp.bytes[1535], exp.bytes[1536]]).toEqual([9, 0, 0, 9]);
    expect(s.requests).toBe(4);
  });
});
