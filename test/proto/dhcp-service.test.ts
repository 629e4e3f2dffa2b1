/**
 * The DHCP service over loopback on port 0, with a real database context: full DORA registers new devices
 * with WALT's naming, captured-style packets (the iPXE one that kills npm dhcp's Server) are answered,
 * garbage is dropped while the service keeps answering, and stop() releases the port within its deadline.
 */
import { describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { DeviceRepo } from "../../server/devices/repo.ts";
import { registerDevice } from "../../server/devices/register.ts";
import type { DhcpBackend } from "../../server/dhcp/backend.ts";
import { parseMessage } from "../../server/dhcp/codec.ts";
import type { DhcpEvent } from "../../server/dhcp/handler.ts";
import { DhcpService } from "../../server/dhcp/server.ts";
import { createDhcpService, handlerConfig } from "../../server/dhcp/service.ts";
import { dhcpTestContext, type DhcpTestContext } from "../../server/dhcp/test-context.ts";
import { DhcpTestClient, loadDhcpFixture } from "../helpers/dhcp-client.ts";
import { waitFor } from "../helpers/wait-for.ts";

const LOOPBACK = { broadcastAddress: "127.0.0.1", clientPort: "source" as const };

interface Running {
  t: DhcpTestContext;
  service: DhcpService;
  client: DhcpTestClient;
  events: DhcpEvent[];
  logs: string[];
  [Symbol.asyncDispose](): Promise<void>;
}

async function running(): Promise<Running> {
  const t = await dhcpTestContext();
  const events: DhcpEvent[] = [];
  const logs: string[] = [];
  const ctx = { ...t.ctx, log: createLogger({ level: "debug", write: (l) => logs.push(l) }) };
  const service = createDhcpService(ctx, { host: "127.0.0.1", port: 0, routing: LOOPBACK, onEvent: (e) => events.push(e) });
  await service.start();
  const client = await DhcpTestClient.open({ port: service.port });
  return {
    t,
    service,
    client,
    events,
    logs,
    async [Symbol.asyncDispose]() {
      await client.close();
      await service.stop(AbortSignal.timeout(2000));
      await t[Symbol.asyncDispose]();
    },
  };
}

describe("DHCP service over loopback", () => {
  test("full DORA for a new MAC registers the device; host name = device name", async () => {
    await using r = await running();
    const { offer, ack } = await r.client.dora({ mac: "52:54:00:ab:cd:ef", userClass: "walt.node.pc-x86-64", hostname: "pc1" });
    expect(offer).toMatchObject({ op: 2, type: "OFFER", yiaddr: "192.168.152.2", siaddr: "192.168.152.1", serverId: "192.168.152.1" });
    expect(ack).toMatchObject({ type: "ACK", yiaddr: "192.168.152.2", hostname: "pc1-abcdef" });
    const d = await new DeviceRepo(r.t.ctx.db).byMac("52:54:00:ab:cd:ef");
    expect(d).toMatchObject({ name: "pc1-abcdef", ip: "192.168.152.2", type: "node", model: "pc-x86-64" });
    expect(r.events.map((e) => [e.kind, e.ip])).toEqual([
      ["offer", "192.168.152.2"],
      ["ack", "192.168.152.2"],
    ]);
  });

  test("a registered device gets its fixed IP again; two new clients get distinct addresses", async () => {
    await using r = await running();
    await registerDevice(r.t.ctx, { mac: "52:54:00:00:00:07", ip: "192.168.152.7", type: "node", model: "pc-x86-64", name: "vnode7" });
    const a = await r.client.dora({ mac: "52:54:00:00:00:07", userClass: "walt.node.pc-x86-64" });
    expect(a.ack).toMatchObject({ type: "ACK", yiaddr: "192.168.152.7", hostname: "vnode7" });
    await using other = await DhcpTestClient.open({ port: r.service.port });
    const [x, y] = await Promise.all([r.client.dora({ mac: "aa:00:00:00:00:01" }), other.dora({ mac: "aa:00:00:00:00:02" })]);
    expect(new Set([x.ack.yiaddr, y.ack.yiaddr])).toEqual(new Set(["192.168.152.2", "192.168.152.3"]));
    expect([x.ack.hostname, y.ack.hostname].sort()).toEqual(["unknown-000001", "unknown-000002"]);
  });

  test("iPXE's DISCOVER and REQUEST (option 55 names 60) are answered with the WALT iPXE script", async () => {
    await using r = await running();
    const xidOf = (b: Uint8Array): number => {
      const m = parseMessage(b);
      if (!m.ok) throw new Error(m.reason);
      return m.value.xid;
    };
    const discover = loadDhcpFixture("ipxe-discover");
    const offer = await r.client.exchange(discover, xidOf(discover), ["OFFER"]);
    const script = handlerConfig(r.t.ctx).boot.ipxeScript;
    expect(offer).toMatchObject({ type: "OFFER", vendorClass: "PXEClient", yiaddr: "192.168.152.2" });
    const request = loadDhcpFixture("ipxe-request"); // selects 192.168.152.2 from 192.168.152.1
    const ack = await r.client.exchange(request, xidOf(request), ["ACK", "NAK"]);
    expect(ack).toMatchObject({ type: "ACK", yiaddr: "192.168.152.2", hostname: "unknown-123456" });
    expect(r.events.map((e) => [e.kind, e.mac, e.bootFile])).toEqual([
      ["offer", "52:54:00:12:34:56", script],
      ["ack", "52:54:00:12:34:56", script],
    ]);
  });

  test("garbage, truncated and foreign packets are dropped and logged; the service keeps answering", async () => {
    await using r = await running();
    for (const name of ["garbage", "truncated-header", "option-overrun", "bad-hardware-type"]) await r.client.sendRaw(loadDhcpFixture(name));
    await r.client.sendRaw(new Uint8Array(0));
    await r.client.sendRaw(Uint8Array.from({ length: 1400 }, (_, i) => (i * 37) & 255));
    await waitFor(() => r.logs.filter((l) => l.includes("dhcp: packet dropped")).length >= 6 || undefined, "6 dropped packets logged");
    const { ack } = await r.client.dora({ mac: "52:54:00:00:00:42" });
    expect(ack.type).toBe("ACK");
  });

  test("a NAK comes back for an address that is not the client's", async () => {
    await using r = await running();
    const xid = r.client.xid();
    const req = r.client.request("REQUEST", { mac: "52:54:00:00:00:43" }, xid, { requestedIp: "192.168.152.77" });
    const nak = await r.client.exchange(req, xid, ["NAK"]);
    expect(nak).toMatchObject({ type: "NAK", serverId: "192.168.152.1", yiaddr: "0.0.0.0" });
    expect(r.events.at(-1)).toMatchObject({ kind: "nak", ip: "192.168.152.77" });
  });
});

describe("DHCP service lifecycle", () => {
  test("a failing backend is logged, the request dropped, and the next one answered", async () => {
    await using t = await dhcpTestContext();
    let calls = 0;
    const backend: DhcpBackend = {
      leaseFor: () => (++calls === 1 ? Promise.reject(new Error("database is locked")) : Promise.resolve(undefined)),
      allocate: () => Promise.resolve("192.168.152.9"),
      commit: (c) => Promise.resolve({ ip: c.ip, name: "x", nat: false }),
      release: () => Promise.resolve(),
      decline: () => Promise.resolve(),
    };
    const logs: string[] = [];
    const service = new DhcpService({ backend, clock: t.clock, config: handlerConfig(t.ctx), log: createLogger({ write: (l) => logs.push(l) }), host: "127.0.0.1", port: 0, routing: LOOPBACK });
    await service.start();
    await using client = await DhcpTestClient.open({ port: service.port });
    const { ack } = await client.dora({ mac: "52:54:00:00:00:44" });
    expect(ack.yiaddr).toBe("192.168.152.9");
    expect(logs.some((l) => l.includes("dhcp: request failed") && l.includes("database is locked"))).toBe(true);
    await service.stop(AbortSignal.timeout(2000));
  });

  test("stop() returns within its deadline, settles done, and the port can be bound again", async () => {
    await using t = await dhcpTestContext();
    const first = createDhcpService(t.ctx, { host: "127.0.0.1", port: 0, routing: LOOPBACK });
    await first.start();
    const port = first.port;
    expect(port).toBeGreaterThan(0);
    const t0 = performance.now();
    await first.stop(AbortSignal.timeout(1000));
    expect(performance.now() - t0).toBeLessThan(1000);
    await first.done;
    await first.stop(AbortSignal.timeout(1000)); // idempotent
    const again = createDhcpService(t.ctx, { host: "127.0.0.1", port, routing: LOOPBACK });
    await again.start();
    expect(again.port).toBe(port);
    await again.stop(AbortSignal.timeout(1000));
  });

  test("a port already in use gives a clean error", async () => {
    await using t = await dhcpTestContext();
    const first = createDhcpService(t.ctx, { host: "127.0.0.1", port: 0 });
    await first.start();
    const second = createDhcpService(t.ctx, { host: "127.0.0.1", port: first.port });
    let caught: unknown;
    await second.start().catch((e: unknown) => (caught = e));
    expect(caught).toMatchObject({ code: "UNAVAILABLE", message: `Cannot listen on 127.0.0.1:${first.port}/udp for DHCP: the address is already in use.` });
    await first.stop(AbortSignal.timeout(1000));
  });
});
