/**
 * The NBD swap server over loopback (issue 5): a real socket on port 0, spoken to by the minimal TS client.
 * Covers negotiation, data, the swap file's lifetime however the connection ends, bad input, and stop().
 */
import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { WaltError } from "../../src/errors.ts";
import { CMD, FLAG_C_FIXED_NEWSTYLE, NBD_ERR, OPT, REP, TFLAG } from "../../server/nbd/protocol.ts";
import { encodeRequest } from "../../src/proto/nbd/client.ts";
import { NbdCommandError, NbdOptionError, NbdTestClient } from "../helpers/nbd-client.ts";
import { startNbdServer } from "../helpers/nbd-server.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { failure } from "../helpers/failure.ts";


const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const pattern = (length: number, seed: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 255);

describe("nbd server negotiation", () => {
  test("GO on swap-1G gives a 1 GiB export (WALT always gave 16 GiB, Appendix A.4) and WALT's block sizes", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    expect(c.handshakeFlags).toBe(3);
    const info = await c.go("swap-1G");
    expect(info).toEqual({
      size: GiB,
      transmissionFlags: TFLAG.HAS_FLAGS | TFLAG.SEND_FLUSH | TFLAG.SEND_TRIM | TFLAG.SEND_WRITE_ZEROES,
      blockSizes: { min: 1, preferred: 4096, max: MiB },
    });
    const [file] = nbd.files();
    expect(statSync(join(nbd.swapDir, file ?? "")).size).toBe(GiB);
    expect(nbd.events).toEqual(["connect swap-1G"]);
    await c.disconnect();
  });

  test("INFO and LIST answer without creating a swap file; unknown and oversize exports are refused", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    expect((await c.info("swap-512M")).size).toBe(512 * MiB);
    expect(await c.list()).toEqual(["swap", "swap-16G"]);
    const refused = async (name: string): Promise<NbdOptionError> => c.go(name).then(() => Promise.reject(new Error("accepted")), (e: NbdOptionError) => e);
    const policy = await refused("swap-17G");
    expect([policy.type, policy.message]).toEqual([REP.ERR_POLICY, 'Export "swap-17G" asks for 17 GiB, more than the 16 GiB this server allows.']);
    expect((await refused("rootfs")).type).toBe(REP.ERR_UNKNOWN);
    expect((await c.option(OPT.STRUCTURED_REPLY)).map((r) => r.type)).toEqual([REP.ERR_UNSUP]);
    expect(nbd.files()).toEqual([]);
    expect((await c.go("swap")).size).toBe(16 * GiB);
    await c.disconnect();
  });

  test("EXPORT_NAME enters transmission; an unknown name closes the connection", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    expect(await c.exportName("swap-2M")).toEqual({ size: 2 * MiB, transmissionFlags: 0x65 });
    await c.disconnect();
    const bad = await NbdTestClient.connect(nbd.port);
    expect(String(await failure(bad.exportName("nope")))).toContain("connection closed");
    await bad.closed;
  });

  test("ABORT is acknowledged and the connection closes", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    expect((await c.option(OPT.ABORT)).map((r) => r.type)).toEqual([REP.ACK]);
    await c.closed;
  });
});

describe("nbd server data", () => {
  test("writes read back at several offsets, aligned or not, including the last bytes of the export", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    const size = (await c.go("swap-1G")).size;
    const cases: [number, number][] = [[0, 4 * KiB], [4097, 3], [MiB - 3, 10], [512 * MiB + 17, 70 * KiB], [size - 4 * KiB, 4 * KiB], [8 * MiB, MiB]];
    for (const [i, [offset, length]] of cases.entries()) await c.write(offset, pattern(length, i));
    for (const [i, [offset, length]] of cases.entries()) expect(await c.read(offset, length)).toEqual(pattern(length, i));
    expect(await c.read(2 * MiB, 8)).toEqual(new Uint8Array(8));
    await c.disconnect();
  });

  test("requests larger than the advertised 1 MiB (as the Linux kernel sends) are served up to the limit", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-64M");
    const big = pattern(5 * MiB + 123, 5);
    await c.write(3, big);
    expect(await c.read(3, big.length)).toEqual(big);
    await c.disconnect();
  });

  test("pipelined writes far beyond the input high-water mark are all stored and answered in order", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-64M");
    const n = 12;
    for (let i = 0; i < n; i++) {
      await c.send(encodeRequest({ type: CMD.WRITE, flags: 0, cookie: BigInt(i), offset: i * MiB, length: MiB }));
      await c.send(pattern(MiB, i));
    }
    for (let i = 0; i < n; i++) expect(await c.nextReply()).toEqual({ error: 0, cookie: BigInt(i) });
    for (let i = 0; i < n; i++) expect(await c.read(i * MiB, MiB)).toEqual(pattern(MiB, i));
    await c.disconnect();
  });

  test("a read beyond the end gets EINVAL and the connection goes on", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-1M");
    expect(await failure(c.read(MiB - 512, 1024))).toMatchObject({ errno: NBD_ERR.EINVAL });
    expect(await failure(c.read(2 ** 52, 1))).toMatchObject({ errno: NBD_ERR.EINVAL });
    expect(await failure(c.write(MiB, pattern(10, 1)))).toMatchObject({ errno: NBD_ERR.ENOSPC });
    expect((await c.command(77, 0, 0)).error).toBe(NBD_ERR.EINVAL);
    expect(await c.read(MiB - 4, 4)).toEqual(new Uint8Array(4));
    await c.disconnect();
  });

  test("TRIM gives space back and WRITE_ZEROES reads back as zeroes", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-64M");
    const file = join(nbd.swapDir, nbd.files()[0] ?? "");
    await c.write(0, pattern(8 * MiB, 3));
    await c.flush();
    const before = statSync(file).blocks;
    await c.trim(0, 4 * MiB);
    expect(statSync(file).blocks).toBeLessThan(before);
    await c.writeZeroes(5 * MiB, MiB);
    expect(await c.read(5 * MiB - 1, MiB + 2)).toEqual(Uint8Array.from([...pattern(5 * MiB, 3).subarray(-1), ...new Uint8Array(MiB), pattern(6 * MiB + 1, 3)[6 * MiB] ?? 0]));
    expect(await failure(c.trim(60 * MiB, 8 * MiB))).toBeInstanceOf(NbdCommandError);
    await c.disconnect();
  });

  test("an oversize request gets EINVAL, the connection closes and its swap file goes", async () => {
    await using nbd = await startNbdServer({ maxRequestBytes: 2 * MiB });
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-16M");
    expect((await c.command(CMD.READ, 0, 2 * MiB + 1)).error).toBe(NBD_ERR.EINVAL);
    await c.closed;
    await waitFor(() => nbd.files().length === 0, "swap file removal");
  });
});

describe("nbd swap file lifetime", () => {
  test("DISC removes the swap file and reports the disconnection", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-1G");
    await c.write(0, pattern(4096, 1));
    expect(nbd.files().length).toBe(1);
    await c.disconnect();
    await waitFor(() => nbd.files().length === 0, "swap file removal");
    await waitFor(() => nbd.events.length === 2, "disconnect event");
    expect(nbd.events).toEqual(["connect swap-1G", "disconnect swap-1G"]);
  });

  test.each([
    ["closes its socket without DISC", (c: NbdTestClient) => c.end()],
    ["vanishes (connection reset)", (c: NbdTestClient) => c.terminate()],
  ])("a client that %s gets its swap file removed", async (_how, leave) => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-2G");
    await c.write(GiB, pattern(MiB, 2));
    leave(c);
    await waitFor(() => nbd.files().length === 0 && nbd.server.connections === 0, "swap file removal");
    expect(nbd.events).toEqual(["connect swap-2G", "disconnect swap-2G"]);
  });

  test("a client vanishing in the middle of a WRITE payload gets its swap file removed, and a warning is logged", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-1G");
    await c.send(encodeRequest({ type: CMD.WRITE, flags: 0, cookie: 1n, offset: 0, length: MiB }));
    await c.send(pattern(1000, 1));
    c.end();
    await waitFor(() => nbd.files().length === 0, "swap file removal");
    await waitFor(() => nbd.lines.find((l) => l.includes("level=warn") && l.includes("connection ended inside a 1048576-byte WRITE")), "warning");
  });
});

describe("nbd bad input and lifecycle", () => {
  test("garbage instead of the handshake closes that connection, is logged, and the server still serves a new client", async () => {
    await using nbd = await startNbdServer();
    const junk = await NbdTestClient.connect(nbd.port, { flags: null });
    await junk.send(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: walt\r\n\r\n"));
    await junk.closed;
    await waitFor(() => nbd.lines.find((l) => l.includes("level=warn") && l.includes("malformed client flags")), "warning");
    const badOption = await NbdTestClient.connect(nbd.port);
    await badOption.send(new Uint8Array(64).fill(0xee));
    await badOption.closed;
    const good = await NbdTestClient.connect(nbd.port);
    expect((await good.go("swap-1M")).size).toBe(MiB);
    await good.disconnect();
  });

  test("a client without fixed newstyle, sending only EXPORT_NAME with zeroes, is still served", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port, { flags: 0 });
    expect((await c.exportName("swap-1M", false)).size).toBe(MiB);
    await c.write(0, pattern(100, 4));
    expect(await c.read(0, 100)).toEqual(pattern(100, 4));
    await c.disconnect();
  });

  test("connections carry TCP keepalive with WALT's 15 s idle time", async () => {
    const ss = Bun.which("ss");
    if (ss === null) return console.warn("ss (iproute2) not installed; keepalive not checked");
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-1M");
    const out = Bun.spawnSync([ss, "-tno", "state", "established", `( sport = :${nbd.port} )`]).stdout.toString();
    expect(out).toMatch(/timer:\(keepalive,1[0-5]sec/);
    await c.disconnect();
  });

  test("stop() within its deadline closes every connection, removes every swap file and frees the port", async () => {
    await using nbd = await startNbdServer();
    const clients = await Promise.all([0, 1, 2].map(() => NbdTestClient.connect(nbd.port)));
    for (const [i, c] of clients.entries()) await c.go(`swap-${i + 1}G`);
    await clients[0]?.write(0, pattern(MiB, 9));
    const idle = await NbdTestClient.connect(nbd.port);
    expect(nbd.files().length).toBe(3);
    const t0 = performance.now();
    await nbd.server.stop(AbortSignal.timeout(3000));
    expect(performance.now() - t0).toBeLessThan(3000);
    await nbd.server.done;
    expect(nbd.files()).toEqual([]);
    await Promise.all([...clients, idle].map((c) => c.closed));
    expect(nbd.events.filter((e) => e.startsWith("disconnect")).length).toBe(3);
    const again = Bun.listen({ hostname: "127.0.0.1", port: nbd.port, socket: { data: () => undefined } });
    expect(again.port).toBe(nbd.port);
    again.stop(true);
    await nbd.server.stop(AbortSignal.timeout(10));
  });

  test("stop() cuts a connection whose client stopped reading once the deadline expires, and removes its file", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-64M");
    c.pause();
    for (let i = 0; i < 4; i++) await c.send(encodeRequest({ type: CMD.READ, flags: 0, cookie: BigInt(i), offset: 0, length: 16 * MiB }));
    await waitFor(() => nbd.server.queuedBytes > 0, "the server blocked on the paused client");
    const t0 = performance.now();
    await nbd.server.stop(AbortSignal.timeout(300));
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(2000);
    expect(nbd.files()).toEqual([]);
    expect(nbd.lines.some((l) => l.includes("nbd stop deadline reached"))).toBe(true);
  });

  test("stop() with an expired deadline still removes every swap file at once", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.go("swap-1G");
    const controller = new AbortController();
    controller.abort();
    await nbd.server.stop(controller.signal);
    expect(nbd.files()).toEqual([]);
    await c.closed;
  });

  test("a port already in use gives a clean UNAVAILABLE error", async () => {
    await using nbd = await startNbdServer();
    const err = await startNbdServer({ port: nbd.port }).then(
      async (s) => {
        await s[Symbol.asyncDispose]();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WaltError);
    expect((err as WaltError).code).toBe("UNAVAILABLE");
    expect((err as WaltError).message).toStartWith(`Cannot listen for NBD on 127.0.0.1:${nbd.port}:`);
  });

  test("swap files left by a crashed run are removed at start", async () => {
    await using first = await startNbdServer();
    const c = await NbdTestClient.connect(first.port);
    await c.go("swap-1M");
    expect(first.files().length).toBe(1);
    await using second = await startNbdServer({ swapDir: first.swapDir, port: 0 });
    expect(second.files()).toEqual([]);
    expect(second.lines.some((l) => l.includes("removed swap files left by a previous run"))).toBe(true);
    c.terminate();
  });

  test("the client flag FIXED_NEWSTYLE alone (no NO_ZEROES) is accepted", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port, { flags: FLAG_C_FIXED_NEWSTYLE });
    expect((await c.go("swap-1M")).size).toBe(MiB);
    await c.disconnect();
  });
});
