import { describe, expect, test } from "bun:test";
import { manualClock } from "../../src/clock.ts";
import type { CommitInfo, DhcpBackend, Lease } from "./backend.ts";
import { parseMessage, type DhcpMessage } from "./codec.ts";
import { DEFAULT_BOOT_FILES, RPI_PXE_MENU, ipxeScriptLocation } from "./client-class.ts";
import { handleMessage, type Decision, type HandlerConfig } from "./handler.ts";
import { loadDhcpFixture } from "../../test/helpers/dhcp-client.ts";

const SERVER = "192.168.152.1";
const config: HandlerConfig = {
  serverIp: SERVER,
  prefix: 24,
  leaseTimeS: 6_000_000,
  domain: "walt",
  boot: { ...DEFAULT_BOOT_FILES, ipxeScript: ipxeScriptLocation(SERVER, "http") },
  dnsServers: [],
};

/** In-file fake: registered leases by MAC, new MACs get .100, commits recorded. */
class FakeBackend implements DhcpBackend {
  readonly commits: CommitInfo[] = [];
  readonly released: string[] = [];
  readonly declined: string[] = [];
  constructor(
    readonly leases: Map<string, Lease> = new Map(),
    /** null: walt-net is full. */
    readonly free: string | null = "192.168.152.100",
  ) {}
  leaseFor(mac: string): Promise<Lease | undefined> {
    return Promise.resolve(this.leases.get(mac));
  }
  allocate(): Promise<string | undefined> {
    return Promise.resolve(this.free ?? undefined);
  }
  commit(c: CommitInfo): Promise<Lease> {
    this.commits.push(c);
    return Promise.resolve(this.leases.get(c.mac) ?? { ip: c.ip, name: `unknown-${c.mac.slice(-8).replace(/:/g, "")}`, nat: false });
  }
  release(mac: string): Promise<void> {
    this.released.push(mac);
    return Promise.resolve();
  }
  decline(_mac: string, ip: string): Promise<void> {
    this.declined.push(ip);
    return Promise.resolve();
  }
}

const fixture = (name: string, patch: Partial<DhcpMessage> = {}): DhcpMessage => {
  const r = parseMessage(loadDhcpFixture(name));
  if (!r.ok) throw new Error(r.reason);
  return { ...r.value, ...patch };
};

const run = (m: DhcpMessage, backend: DhcpBackend = new FakeBackend()): Promise<Decision> =>
  handleMessage(m, { backend, clock: manualClock(42), config });

const reply = (d: Decision) => {
  if (d.kind !== "reply") throw new Error(`expected a reply, got silence: ${d.event.reason ?? ""}`);
  return d.reply;
};

const KNOWN = "52:54:00:12:34:56";
const known = (nat = false): FakeBackend => new FakeBackend(new Map([[KNOWN, { ip: "192.168.152.7", name: "vnode7", nat }]]));

describe("dhcp handler: DISCOVER", () => {
  test("offers a registered device its own IP, with its name as host name", async () => {
    const d = await run(fixture("ipxe-discover"), known());
    const r = reply(d);
    expect(r).toMatchObject({ op: 2, type: "OFFER", yiaddr: "192.168.152.7", siaddr: SERVER, ciaddr: "0.0.0.0" });
    expect(r.options).toMatchObject({ serverId: SERVER, subnetMask: "255.255.255.0", broadcastAddress: "192.168.152.255", hostname: "vnode7", domainName: "walt", leaseTimeS: 6_000_000, tftpServer: SERVER });
    expect(r.options.routers).toBeUndefined();
    expect(d.event).toMatchObject({ kind: "offer", mac: KNOWN, ip: "192.168.152.7", atUs: 42 });
  });

  test("offers a new MAC the backend's free address and no host name", async () => {
    const r = reply(await run(fixture("pxe-rom-discover", { chaddr: "52:54:00:99:99:99" })));
    expect(r.yiaddr).toBe("192.168.152.100");
    expect(r.options.hostname).toBeUndefined();
  });

  test("NAT devices get the server as router (netsetup=NAT), LAN devices none", async () => {
    expect(reply(await run(fixture("ipxe-discover"), known(true))).options.routers).toEqual([SERVER]);
    expect(reply(await run(fixture("ipxe-discover"), known(false))).options.routers).toBeUndefined();
  });

  test("stays silent when walt-net has no free address", async () => {
    const d = await run(fixture("pxe-rom-discover"), new FakeBackend(new Map(), null));
    expect(d).toMatchObject({ kind: "silent", event: { kind: "ignored", reason: "no free address left in walt-net" } });
  });
});

describe("dhcp handler: boot file per client type", () => {
  test.each([
    ["pxe-rom-discover", {}, "pxe/walt-x86-undionly.kpxe", undefined],
    ["pxe-efi-discover", {}, "pxe/walt-x86-64-ipxe.efi", undefined],
    ["pxe-rom-discover", { clientArch: 11, vendorClass: "PXEClient:Arch:00011:UNDI:003000" }, undefined, undefined],
    ["ipxe-discover", {}, "http://192.168.152.1/boot/start.ipxe", "PXEClient"],
    ["walt-node-discover", {}, undefined, undefined],
    ["rpi-discover", {}, undefined, "PXEClient"],
    ["pxe-rom-discover", { vendorClass: "udhcp 1.36.1", clientArch: undefined }, undefined, undefined],
    ["pxe-rom-discover", { vendorClass: "walt.node.rpi-3-b-plus", clientArch: undefined }, undefined, undefined],
  ] as const)("%s %j → boot file %s, vendor class %s", async (name, patch, file, vci) => {
    const r = reply(await run(fixture(name, patch)));
    expect(r.options.bootFile).toBe(file);
    expect(r.options.vendorClass).toBe(vci);
    expect(r.file).toBe(file !== undefined && file.length < 128 ? file : "");
    expect(r.siaddr).toBe(SERVER); // next-server for everyone (WALT's global next-server)
  });

  test("a Raspberry Pi gets the PXE menu 'Raspberry Pi Boot' in option 43", async () => {
    const r = reply(await run(fixture("rpi-discover")));
    expect(r.options.vendorSpecific).toEqual(RPI_PXE_MENU);
    expect(Buffer.from(RPI_PXE_MENU).includes(Buffer.from([9, 20, 0, 0, 17, ...Buffer.from("Raspberry Pi Boot")]))).toBe(true);
  });

  test("iPXE can be sent to TFTP instead of HTTP", async () => {
    const tftp = { ...config, boot: { ...config.boot, ipxeScript: ipxeScriptLocation(SERVER, "tftp") } };
    const d = await handleMessage(fixture("ipxe-discover"), { backend: new FakeBackend(), clock: manualClock(0), config: tftp });
    expect(reply(d).options.bootFile).toBe("start.ipxe");
    expect(ipxeScriptLocation(SERVER, "http", 8080)).toBe("http://192.168.152.1:8080/boot/start.ipxe");
  });
});

describe("dhcp handler: REQUEST (RFC 2131 §4.3.2)", () => {
  test("SELECTING our offer: ACK, commit with the client's classes and host name", async () => {
    const b = new FakeBackend();
    const m = fixture("walt-node-discover", { type: "REQUEST", serverId: SERVER, requestedIp: "192.168.152.100" });
    const d = await run(m, b);
    expect(reply(d)).toMatchObject({ type: "ACK", yiaddr: "192.168.152.100" });
    expect(reply(d).options.hostname).toBe("unknown-abcdef");
    expect(b.commits).toEqual([{ mac: "52:54:00:ab:cd:ef", ip: "192.168.152.100", vci: "PXEClient:Arch:00000:UNDI:002001", uci: "walt.node.pc-x86-64", hostname: "pc1" }]);
    expect(d.event).toMatchObject({ kind: "ack", ip: "192.168.152.100" });
  });

  test("the iPXE REQUEST fixture for a registered device is acknowledged with its fixed IP", async () => {
    const b = new FakeBackend(new Map([[KNOWN, { ip: "192.168.152.2", name: "vnode2", nat: true }]]));
    const r = reply(await run(fixture("ipxe-request"), b));
    expect(r).toMatchObject({ type: "ACK", yiaddr: "192.168.152.2" });
    expect(r.options).toMatchObject({ hostname: "vnode2", routers: [SERVER], bootFile: "http://192.168.152.1/boot/start.ipxe" });
  });

  test("SELECTING another server: silent, our hold released", async () => {
    const b = new FakeBackend();
    const d = await run(fixture("ipxe-request", { serverId: "192.168.152.254" }), b);
    expect(d).toMatchObject({ kind: "silent", event: { kind: "ignored", reason: "client chose server 192.168.152.254" } });
    expect(b.released).toEqual([KNOWN]);
    expect(b.commits).toEqual([]);
  });

  test.each([
    ["a requested IP that is not the client's", { requestedIp: "192.168.152.9" }, "address 192.168.152.9 is not this client's (192.168.152.7)"],
    ["INIT-REBOOT with a stale address", { serverId: undefined, requestedIp: "192.168.152.8" }, "address 192.168.152.8 is not this client's (192.168.152.7)"],
    ["RENEWING with a wrong ciaddr", { serverId: undefined, requestedIp: undefined, ciaddr: "192.168.152.3" }, "address 192.168.152.3 is not this client's (192.168.152.7)"],
    ["no address at all", { serverId: undefined, requestedIp: undefined }, "REQUEST names no address"],
  ])("NAK: %s", async (_name, patch, reason) => {
    const b = known();
    const d = await run(fixture("ipxe-request", patch), b);
    const r = reply(d);
    expect(r).toMatchObject({ type: "NAK", options: { serverId: SERVER, message: reason } });
    expect(r.yiaddr).toBeUndefined();
    expect(d.event).toMatchObject({ kind: "nak", reason });
    expect(b.commits).toEqual([]);
  });

  test("INIT-REBOOT and RENEWING with the right address are acknowledged", async () => {
    const reboot = reply(await run(fixture("ipxe-request", { serverId: undefined, requestedIp: "192.168.152.7" }), known()));
    expect(reboot).toMatchObject({ type: "ACK", yiaddr: "192.168.152.7", ciaddr: "0.0.0.0" });
    const renew = reply(await run(fixture("ipxe-request", { serverId: undefined, requestedIp: undefined, ciaddr: "192.168.152.7" }), known()));
    expect(renew).toMatchObject({ type: "ACK", yiaddr: "192.168.152.7", ciaddr: "192.168.152.7" });
  });
});

describe("dhcp handler: RELEASE, DECLINE, INFORM and what is not ours", () => {
  test("RELEASE: no reply, the backend told", async () => {
    const b = known();
    const d = await run(fixture("ipxe-request", { type: "RELEASE", serverId: SERVER, ciaddr: "192.168.152.7", requestedIp: undefined }), b);
    expect(d).toMatchObject({ kind: "silent", event: { reason: "RELEASE of 192.168.152.7" } });
    expect(b.released).toEqual([KNOWN]);
  });

  test("DECLINE: no reply, the address set aside", async () => {
    const b = new FakeBackend();
    const d = await run(fixture("ipxe-request", { type: "DECLINE", requestedIp: "192.168.152.100" }), b);
    expect(d.kind).toBe("silent");
    expect(b.declined).toEqual(["192.168.152.100"]);
  });

  test("INFORM: ACK with configuration, no address, no lease time, echoing ciaddr", async () => {
    const r = reply(await run(fixture("ipxe-request", { type: "INFORM", serverId: undefined, requestedIp: undefined, ciaddr: "192.168.152.7" }), known()));
    expect(r).toMatchObject({ type: "ACK", yiaddr: "0.0.0.0", ciaddr: "192.168.152.7" });
    expect(r.options.leaseTimeS).toBeUndefined();
    expect(r.options.hostname).toBe("vnode7");
  });

  test.each([
    ["a BOOTREPLY", { op: 2 as const }, "not a BOOTREQUEST"],
    ["plain BOOTP", { type: undefined }, "no DHCP message type (plain BOOTP is not served)"],
    ["an OFFER from another server", { type: "OFFER" as const }, "OFFER sent by a server"],
    ["a relay outside walt-net", { giaddr: "10.0.0.1" }, "relayed from 10.0.0.1, outside walt-net"],
    ["a client address outside walt-net", { ciaddr: "10.1.2.3" }, "client address 10.1.2.3 is outside walt-net"],
    ["INIT-REBOOT for another network", { serverId: undefined, requestedIp: "10.9.9.9" }, "requested 10.9.9.9, outside walt-net"],
  ])("ignores %s", async (_name, patch, reason) => {
    const b = known();
    const d = await run(fixture("ipxe-request", patch), b);
    expect(d).toMatchObject({ kind: "silent", event: { kind: "ignored", reason } });
    expect(b.commits).toEqual([]);
  });

  test("a request relayed from inside walt-net is answered, giaddr echoed", async () => {
    const r = reply(await run(fixture("ipxe-discover", { giaddr: "192.168.152.250" }), known()));
    expect(r.giaddr).toBe("192.168.152.250");
  });
});
