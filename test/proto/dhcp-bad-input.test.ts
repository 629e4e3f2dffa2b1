/**
 * Bad input to the DHCP service over loopback (issue 5, "bad input"), beyond the fixtures of dhcp-service.test.ts
 * (garbage, truncated header, option overrun, foreign hardware type): a packet cut inside its options, wrong
 * option length fields, unknown options. RFC 2131 §4.1 / RFC 2132 §2: unknown options are skipped by their
 * length; a message that cannot be parsed is dropped (and logged here), and the service keeps answering.
 */
import { describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { parseMessage } from "../../server/dhcp/codec.ts";
import { createDhcpService } from "../../server/dhcp/service.ts";
import { dhcpTestContext } from "../../server/dhcp/test-context.ts";
import { DhcpTestClient } from "../helpers/dhcp-client.ts";
import { waitFor } from "../helpers/wait-for.ts";

const LOOPBACK = { broadcastAddress: "127.0.0.1", clientPort: "source" as const };
/** Options start after the fixed header (236 bytes) and the magic cookie (RFC 2131 §3). */
const OPTIONS_AT = 240;

async function running() {
  const t = await dhcpTestContext();
  const logs: string[] = [];
  const ctx = { ...t.ctx, log: createLogger({ level: "debug", write: (l) => logs.push(l) }) };
  const service = createDhcpService(ctx, { host: "127.0.0.1", port: 0, routing: LOOPBACK });
  await service.start();
  const client = await DhcpTestClient.open({ port: service.port });
  return {
    client,
    logs,
    dropped: () => logs.filter((l) => l.includes("dhcp: packet dropped")),
    async [Symbol.asyncDispose]() {
      await client.close();
      await service.stop(AbortSignal.timeout(2000));
      await t[Symbol.asyncDispose]();
    },
  };
}

/** Offset of the END option (255) of an encoded message, walking the options by their lengths. */
function endOffset(b: Uint8Array): number {
  let i = OPTIONS_AT;
  while (i < b.length && b[i] !== 255) i += b[i] === 0 ? 1 : 2 + (b[i + 1] ?? 0);
  return i;
}

/** `msg` with raw option bytes inserted before its END option. */
function withOptions(msg: Uint8Array, raw: number[]): Uint8Array {
  const end = endOffset(msg);
  return Uint8Array.from([...msg.subarray(0, end), ...raw, ...msg.subarray(end)]);
}

describe("DHCP bad input", () => {
  test("unknown options (private 224, site-specific 250 empty, unassigned 137) are skipped: the DISCOVER is answered", async () => {
    await using r = await running();
    const xid = r.client.xid();
    const discover = withOptions(r.client.request("DISCOVER", { mac: "52:54:00:00:00:51" }, xid), [224, 3, 1, 2, 3, 250, 0, 137, 2, 0xff, 0xff]);
    expect(parseMessage(discover).ok).toBe(true);
    expect(await r.client.exchange(discover, xid, ["OFFER"])).toMatchObject({ type: "OFFER", yiaddr: "192.168.152.2" });
    expect(r.dropped()).toEqual([]);
  });

  test("a known option with a wrong length (requested IP in 3 bytes) is set aside; the request is answered", async () => {
    await using r = await running();
    const xid = r.client.xid();
    const discover = withOptions(r.client.request("DISCOVER", { mac: "52:54:00:00:00:52" }, xid), [50, 3, 192, 168, 152]);
    expect(await r.client.exchange(discover, xid, ["OFFER"])).toMatchObject({ type: "OFFER" });
  });

  test("a packet cut inside its options, and an option length running past the end, are dropped and logged; a good DORA follows", async () => {
    await using r = await running();
    const good = r.client.request("DISCOVER", { mac: "52:54:00:00:00:53" }, r.client.xid());
    await r.client.sendRaw(good.subarray(0, OPTIONS_AT + 2)); // cookie, then half of the message type option
    const overrun = withOptions(good, [224, 200, 1, 2]).subarray(0, endOffset(good) + 4); // length 200, 2 bytes follow
    await r.client.sendRaw(overrun);
    await waitFor(() => r.dropped().length >= 2 || undefined, "two dropped packets logged");
    const { ack } = await r.client.dora({ mac: "52:54:00:00:00:54" });
    expect(ack.type).toBe("ACK");
  });

  test("a message type option with a wrong length is set aside: no reply (plain BOOTP is not served), logged; the service goes on", async () => {
    await using r = await running();
    const good = r.client.request("DISCOVER", { mac: "52:54:00:00:00:55" }, r.client.xid());
    const at = OPTIONS_AT;
    expect([good[at], good[at + 1]]).toEqual([53, 1]);
    const bad = Uint8Array.from([...good.subarray(0, at), 53, 2, 1, 1, ...good.subarray(at + 3)]);
    await r.client.sendRaw(bad);
    await waitFor(() => r.logs.find((l) => l.includes("dhcp: no reply") && l.includes("no DHCP message type")), "the ignored packet logged");
    expect((await r.client.dora({ mac: "52:54:00:00:00:56" })).ack.type).toBe("ACK");
  });
});
