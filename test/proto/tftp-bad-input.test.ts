/**
 * Bad input to the TFTP service over loopback (issue 5, "bad input"), beyond the garbage test of
 * tftp-loopback.test.ts: read requests cut short, options without a value or with unusable values, unknown
 * options. RFC 1350 §5 (RRQ = filename NUL mode NUL), RFC 2347 (unknown options are left out of the OACK),
 * RFC 2348 (blksize 8..65464). Malformed requests are dropped and logged; the service keeps answering.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { tftpGet, UdpPeer } from "../helpers/tftp-client.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { makeTree, pseudoRandom, startTftp, type RunningTftp, type TftpTree } from "../fixtures/tftp/tree.ts";

let tree: TftpTree;
let tftp: RunningTftp;
beforeAll(async () => {
  tree = makeTree({ "f700.bin": pseudoRandom(700) });
  tftp = await startTftp(tree, { limits: { timeoutMs: 100, maxBackoffMs: 200 } });
});
afterAll(async () => {
  await tftp[Symbol.asyncDispose]();
  tree[Symbol.dispose]();
});

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const rrq = (body: string): Uint8Array => Uint8Array.from([0, 1, ...bytes(body)]);
const dropped = (): string[] => tftp.logLines.filter((l) => l.includes("malformed datagram dropped"));

describe("tftp bad input", () => {
  test("read requests cut short (no mode, mode without NUL, option name without value) are dropped and logged; the next is served", async () => {
    using peer = await UdpPeer.open();
    const before = dropped().length;
    for (const body of ["f700.bin\0", "f700.bin\0octet", "f700.bin\0octet\0blksize\0"]) peer.send(rrq(body), tftp.port);
    await waitFor(() => dropped().length >= before + 3 || undefined, "3 dropped requests logged");
    expect(await peer.next(200)).toBeNull();
    const r = await tftpGet({ port: tftp.port, path: "f700.bin" });
    expect(r.ok && r.data.length).toBe(700);
  });

  test("unusable option values (blksize 7, blksize abc, windowsize 0, timeout 300) are left out: no OACK, 512-byte blocks", async () => {
    const r = await tftpGet({ port: tftp.port, path: "f700.bin", options: { blksize: "7", windowsize: 0, timeout: 300 } });
    expect(r.ok && r.oack).toBeNull();
    expect(r.ok && r.blocks).toBe(2);
    const abc = await tftpGet({ port: tftp.port, path: "f700.bin", options: { blksize: "abc", tsize: 0 } });
    expect(abc.ok && abc.oack).toEqual({ tsize: "700" });
  });

  test("unknown options are ignored (RFC 2347): the OACK holds only the known ones, and the file arrives", async () => {
    const r = await tftpGet({ port: tftp.port, path: "f700.bin", options: { "x-walt": "1", blksize: 100, multicast: "" } });
    expect(r.ok && r.oack).toEqual({ blksize: "100" });
    expect(r.ok && r.data.length).toBe(700);
    const only = await tftpGet({ port: tftp.port, path: "f700.bin", options: { "x-walt": "1" } });
    expect(only.ok && only.oack).toBeNull();
    expect(only.ok && only.data.length).toBe(700);
  });
});
