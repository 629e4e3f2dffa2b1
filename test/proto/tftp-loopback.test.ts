/** The TFTP service over loopback, spoken to by the test client (test/helpers/tftp-client.ts). */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { encodePacket } from "../../server/tftp/packet.ts";
import { toNetascii } from "../../server/tftp/netascii.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { tftpGet, UdpPeer } from "../helpers/tftp-client.ts";
import { makeTree, pseudoRandom, startTftp, type RunningTftp, type TftpTree } from "../fixtures/tftp/tree.ts";

const SIZES = [0, 511, 512, 513, 1024 * 1024];
const files: Record<string, Uint8Array> = Object.fromEntries(SIZES.map((n) => [`f${n}.bin`, pseudoRandom(n)]));
const text = "first line\nsecond line\r\nbare\rcarriage\n".repeat(40);

let tree: TftpTree;
let tftp: RunningTftp;
beforeAll(async () => {
  tree = makeTree({ ...files, "notes.txt": text, "sub/kernel": pseudoRandom(3000) });
  tftp = await startTftp(tree, { limits: { timeoutMs: 100, maxBackoffMs: 200 } });
});
afterAll(async () => {
  await tftp[Symbol.asyncDispose]();
  tree[Symbol.dispose]();
});

describe("tftp over loopback: content", () => {
  const matrix = SIZES.flatMap((size) => [512, 1468, 8192].flatMap((blksize) => [1, 8].map((windowsize) => [size, blksize, windowsize] as const)));
  test.each(matrix)("a %d-byte file arrives byte-identical with blksize %d, windowsize %d, and tsize is its size", async (size, blksize, windowsize) => {
    const r = await tftpGet({ port: tftp.port, path: `f${size}.bin`, options: { tsize: 0, blksize, windowsize } });
    if (!r.ok) throw new Error(`error ${r.code} ${r.message}`);
    expect(r.oack).toEqual({ tsize: String(size), blksize: String(blksize), windowsize: String(windowsize) });
    expect(r.data.length).toBe(size);
    expect(Buffer.compare(r.data, files[`f${size}.bin`] ?? new Uint8Array())).toBe(0);
    expect(r.blocks).toBe(Math.floor(size / blksize) + 1);
  });

  test("without options there is no OACK and blocks are 512 bytes", async () => {
    const r = await tftpGet({ port: tftp.port, path: "f1048576.bin" });
    expect(r.ok && r.oack).toBeNull();
    expect(r.ok && r.blocks).toBe(2049);
  });

  test("the largest blksize works on loopback", async () => {
    const r = await tftpGet({ port: tftp.port, path: "f1048576.bin", options: { blksize: 65464, windowsize: 4 } });
    expect(r.ok && Buffer.compare(r.data, files["f1048576.bin"] ?? new Uint8Array())).toBe(0);
  });

  test("block numbers roll over past 65535 on the wire (65537 blocks, the last one empty)", async () => {
    const r = await tftpGet({ port: tftp.port, path: "f1048576.bin", options: { blksize: 16, windowsize: 64 } });
    expect(r.ok && r.blocks).toBe(65537);
    expect(r.ok && Buffer.compare(r.data, files["f1048576.bin"] ?? new Uint8Array())).toBe(0);
  });

  test("a subdirectory path and a doubled slash are served", async () => {
    const r = await tftpGet({ port: tftp.port, path: "/sub//kernel" });
    expect(r.ok && r.data.length).toBe(3000);
  });

  test("netascii mode converts line ends and tsize counts the converted bytes", async () => {
    const r = await tftpGet({ port: tftp.port, path: "notes.txt", mode: "netascii", options: { tsize: 0 } });
    const expected = toNetascii(new TextEncoder().encode(text));
    expect(r.ok && r.oack).toEqual({ tsize: String(expected.length) });
    expect(r.ok && [...r.data]).toEqual([...expected]);
  });

  test("lost blocks are recovered: a gap inside a window and a lost lockstep block", async () => {
    const windowed = await tftpGet({ port: tftp.port, path: "f1048576.bin", options: { windowsize: 8 }, dropOnce: [3, 100, 2049], timeoutMs: 300 });
    expect(windowed.ok && Buffer.compare(windowed.data, files["f1048576.bin"] ?? new Uint8Array())).toBe(0);
    const lockstep = await tftpGet({ port: tftp.port, path: "f513.bin", dropOnce: [1, 2], timeoutMs: 300 });
    expect(lockstep.ok && lockstep.data.length).toBe(513);
  });
});

describe("tftp over loopback: refusals", () => {
  test.each([
    ["../secret.txt", 2],
    ["../../../../../../etc/passwd", 2],
    ["/../etc/passwd", 2],
    ["/etc/passwd", 1],
    ["escape", 2],
    ["missing.bin", 1],
    ["dir", 1],
  ])("%s gets error %d and nothing else", async (path, code) => {
    const r = await tftpGet({ port: tftp.port, path });
    expect(r).toMatchObject({ ok: false, code });
  });

  test("a write request gets Access violation", async () => {
    using peer = await UdpPeer.open();
    peer.send({ op: "wrq", filename: "upload.bin", mode: "octet", options: [] }, tftp.port);
    const reply = await peer.next();
    expect(reply?.packet).toEqual({ op: "error", code: 2, message: "Access violation" });
  });

  test("garbage datagrams are logged and dropped, and the next request is answered", async () => {
    using peer = await UdpPeer.open();
    const garbage = [new Uint8Array([]), new Uint8Array([0]), new Uint8Array([0, 9, 1]), new Uint8Array([0, 1, 65, 66]), new Uint8Array([0, 1, 0, 0]), pseudoRandom(1400, 7)];
    for (const g of garbage) peer.send(g, tftp.port);
    peer.send({ op: "ack", block: 1 }, tftp.port);
    peer.send({ op: "error", code: 0, message: "x" }, tftp.port);
    await waitFor(() => tftp.logLines.filter((l) => l.includes("malformed datagram dropped")).length >= 5 || undefined, "malformed datagrams logged");
    expect(await peer.next(200)).toBeNull();
    const r = await tftpGet({ port: tftp.port, path: "f511.bin" });
    expect(r.ok && r.data.length).toBe(511);
  });
});

describe("tftp over loopback: transfers", () => {
  test("each request is answered from a new port and reported as an event", async () => {
    const a = await tftpGet({ port: tftp.port, path: "sub/kernel" });
    const b = await tftpGet({ port: tftp.port, path: "missing-too.bin" });
    expect(a.ok && a.tid).not.toBe(tftp.port);
    expect(b.ok).toBe(false);
    const served = await waitFor(() => tftp.events.find((e) => e.path === "sub/kernel"), "the served event");
    const failed = await waitFor(() => tftp.events.find((e) => e.path === "missing-too.bin"), "the failed event");
    expect(served).toMatchObject({ kind: "served", clientIp: "127.0.0.1", bytes: 3000, route: "node-tree" });
    expect(served.ms).toBeGreaterThanOrEqual(0);
    expect(failed).toMatchObject({ kind: "failed", bytes: 0 });
  });

  test("a repeated RRQ from the same port does not start a second transfer", async () => {
    using peer = await UdpPeer.open();
    const rrq = encodePacket({ op: "rrq", filename: "f513.bin", mode: "octet", options: [] });
    peer.send(rrq, tftp.port);
    peer.send(rrq, tftp.port);
    const first = await peer.next();
    expect(first?.packet).toMatchObject({ op: "data", block: 1 });
    const extra = await peer.next(50); // nothing from a second TID (a retransmission from the first is fine)
    expect(extra === null || extra.port === first?.port).toBe(true);
    peer.send({ op: "ack", block: 1 }, first?.port ?? 0);
    let next = await peer.next();
    while (next?.packet?.op === "data" && next.packet.block === 1) next = await peer.next(); // late retransmissions
    expect(next?.packet).toMatchObject({ op: "data", block: 2 });
    peer.send({ op: "ack", block: 2 }, first?.port ?? 0);
  });

  test("an unanswered block is retransmitted after the timeout, then the transfer gives up", async () => {
    using peer = await UdpPeer.open();
    peer.send({ op: "rrq", filename: "f0.bin", mode: "octet", options: [] }, tftp.port);
    const blocks = [];
    for (let i = 0; i < 3; i++) blocks.push((await peer.next())?.packet);
    expect(blocks).toEqual(Array(3).fill(expect.objectContaining({ op: "data", block: 1 })));
    const failed = await waitFor(() => tftp.events.find((e) => e.path === "f0.bin" && e.kind === "failed"), "the failure event", 15_000);
    expect(failed).toMatchObject({ reason: "no answer after 5 retransmissions", clientPort: peer.port });
  }, 20_000);

  test("a client aborting after the OACK ends the transfer at once", async () => {
    using peer = await UdpPeer.open();
    // Only events after this point: an earlier test's client may have used the same ephemeral port.
    const before = tftp.events.length;
    peer.send({ op: "rrq", filename: "f1048576.bin", mode: "octet", options: [{ name: "tsize", value: "0" }] }, tftp.port);
    const oack = await peer.next();
    expect(oack?.packet).toEqual({ op: "oack", options: [{ name: "tsize", value: "1048576" }] });
    peer.send({ op: "error", code: 0, message: "Early terminate" }, oack?.port ?? 0);
    const e = await waitFor(() => tftp.events.slice(before).find((x) => x.clientPort === peer.port), "the abort event");
    expect(e).toMatchObject({ kind: "failed", bytes: 0, reason: 'client aborted after the OACK: error 0 "Early terminate"' });
    for (let d = await peer.next(150); d; d = await peer.next(150)) expect(d.packet?.op).toBe("oack"); // no DATA after the abort
  });
});
