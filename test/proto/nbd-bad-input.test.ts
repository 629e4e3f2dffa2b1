/**
 * Bad input to the NBD swap server over loopback (issue 5, "bad input"): a truncated option, wrong length
 * fields (an option longer than allowed, GO data whose name length overruns it) and an unknown option. Each
 * ends or refuses only what it must, is logged, creates no swap file, and a good client is served afterwards.
 */
import { describe, expect, test } from "bun:test";
import { IHAVEOPT } from "../../src/proto/nbd/constants.ts";
import { OPT, REP } from "../../server/nbd/protocol.ts";
import { NbdTestClient } from "../helpers/nbd-client.ts";
import { startNbdServer, type TestNbdServer } from "../helpers/nbd-server.ts";
import { waitFor } from "../helpers/wait-for.ts";

const MiB = 1024 * 1024;

/** An option header (IHAVEOPT, option, length) followed by `data`, whatever `length` says (RFC-like NBD spec, "Option haggling"). */
function rawOption(option: number, length: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const b = new Uint8Array(16 + data.length);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, IHAVEOPT);
  v.setUint32(8, option);
  v.setUint32(12, length);
  b.set(data, 16);
  return b;
}

async function stillServes(nbd: TestNbdServer): Promise<void> {
  const good = await NbdTestClient.connect(nbd.port);
  expect((await good.go("swap-1M")).size).toBe(MiB);
  await good.disconnect();
}

const warnings = (nbd: TestNbdServer): string[] => nbd.lines.filter((l) => l.includes("level=warn") && l.includes("nbd connection closed"));

describe("nbd bad input", () => {
  test("an option cut short (header says 100 bytes, 10 arrive, then the client closes): logged, no swap file, next client served", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.send(rawOption(OPT.GO, 100, new Uint8Array(10)));
    c.end();
    await c.closed;
    const line = await waitFor(() => warnings(nbd)[0], "the warning");
    expect(line).toContain("connection ended in the middle of the option");
    expect(nbd.files()).toEqual([]);
    await stillServes(nbd);
  });

  test("an option length field beyond the limit closes that connection, is logged, and the server goes on", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    await c.send(rawOption(OPT.GO, 0x7fffffff, new Uint8Array(8)));
    await c.closed;
    expect(await waitFor(() => warnings(nbd)[0], "the warning")).toContain("more than");
    expect(nbd.files()).toEqual([]);
    await stillServes(nbd);
  });

  test("GO data whose name length overruns the option gets ERR_INVALID, logged; the same client then gets its export", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    const data = new Uint8Array(8);
    new DataView(data.buffer).setUint32(0, 1000); // name length 1000, 4 bytes of name follow
    data.set(new TextEncoder().encode("swap"), 4);
    expect((await c.option(OPT.GO, data)).map((r) => r.type)).toEqual([REP.ERR_INVALID]);
    expect(nbd.lines.some((l) => l.includes("nbd option") && l.includes(`option=${OPT.GO}`))).toBe(true);
    expect(nbd.files()).toEqual([]);
    expect((await c.go("swap-1M")).size).toBe(MiB);
    await c.disconnect();
  });

  test("an unknown option (4242, with data) gets ERR_UNSUP, logged; negotiation goes on", async () => {
    await using nbd = await startNbdServer();
    const c = await NbdTestClient.connect(nbd.port);
    expect((await c.option(4242, new Uint8Array([1, 2, 3]))).map((r) => r.type)).toEqual([REP.ERR_UNSUP]);
    expect(nbd.lines.some((l) => l.includes("nbd option") && l.includes("option=4242"))).toBe(true);
    expect((await c.go("swap-1M")).size).toBe(MiB);
    await c.disconnect();
  });
});
