import { describe, expect, test } from "bun:test";
import { DeviceRepo } from "../devices/repo.ts";
import { registerDevice } from "../devices/register.ts";
import type { CommitInfo } from "./backend.ts";
import { DbDhcpBackend } from "./db-backend.ts";
import { registerFromDhcp } from "./service.ts";
import { dhcpTestContext, type DhcpTestContext } from "./test-context.ts";

const backendFor = (t: DhcpTestContext): DbDhcpBackend =>
  new DbDhcpBackend({ db: t.ctx.db, clock: t.clock, serverIp: "192.168.152.1", prefix: 24, register: registerFromDhcp(t.ctx), holdTimes: { offerUs: 60_000_000, declineUs: 600_000_000 } });

const commit = (mac: string, ip: string, patch: Partial<CommitInfo> = {}): CommitInfo => ({ mac, ip, vci: undefined, uci: undefined, hostname: undefined, ...patch });

describe("DHCP backend over the devices table", () => {
  test("a registered device keeps its IP, with its name; NAT devices are marked", async () => {
    await using t = await dhcpTestContext();
    await registerDevice(t.ctx, { mac: "52:54:00:00:00:07", ip: "192.168.152.7", type: "node", model: "pc-x86-64", name: "vnode7" });
    await new DeviceRepo(t.ctx.db).update("52:54:00:00:00:07", { conf: { netsetup: 1 } });
    const b = backendFor(t);
    expect(await b.leaseFor("52:54:00:00:00:07")).toEqual({ ip: "192.168.152.7", name: "vnode7", nat: true });
    expect(await b.leaseFor("52:54:00:00:00:08")).toBeUndefined();
    expect(await b.leaseFor(t.ctx.serverMac)).toBeUndefined();
  });

  test("new MACs get the lowest free IP, excluding the server, every device and other MACs' offers", async () => {
    await using t = await dhcpTestContext();
    await registerDevice(t.ctx, { mac: "52:54:00:00:00:02", ip: "192.168.152.2", type: "node", model: "pc-x86-64" });
    await registerDevice(t.ctx, { mac: "52:54:00:00:00:04", ip: "192.168.152.4", type: "unknown" });
    const b = backendFor(t);
    expect(await b.allocate("aa:00:00:00:00:01")).toBe("192.168.152.3");
    expect(await b.allocate("aa:00:00:00:00:01")).toBe("192.168.152.3"); // same MAC, same hold
    expect(await b.allocate("aa:00:00:00:00:02")).toBe("192.168.152.5");
    t.clock.advance(60_000_000); // holds expired
    expect(await b.allocate("aa:00:00:00:00:02")).toBe("192.168.152.3");
  });

  test("a declined address is not offered again for a while", async () => {
    await using t = await dhcpTestContext();
    const b = backendFor(t);
    expect(await b.allocate("aa:00:00:00:00:01")).toBe("192.168.152.2");
    await b.decline("aa:00:00:00:00:01", "192.168.152.2");
    expect(await b.allocate("aa:00:00:00:00:01")).toBe("192.168.152.3");
  });

  test("a commit registers a new node with WALT's naming and the lease's IP", async () => {
    await using t = await dhcpTestContext();
    const b = backendFor(t);
    const lease = await b.commit(commit("52:54:00:ab:cd:ef", "192.168.152.2", { uci: "walt.node.pc-x86-64", hostname: "pc1" }));
    expect(lease).toEqual({ ip: "192.168.152.2", name: "pc1-abcdef", nat: false });
    const d = await new DeviceRepo(t.ctx.db).byMac("52:54:00:ab:cd:ef");
    expect(d).toMatchObject({ type: "node", model: "pc-x86-64", ip: "192.168.152.2", name: "pc1-abcdef" });
    expect(d?.node?.image).toBe("waltplatform/pc-x86-64-default:latest");
    expect(await b.leaseFor("52:54:00:ab:cd:ef")).toEqual(lease);
    expect(await b.allocate("aa:00:00:00:00:01")).toBe("192.168.152.3");
  });

  test("without a host name, the generated name <type>-<6 hex>; an unknown device becomes a node later", async () => {
    await using t = await dhcpTestContext();
    const b = backendFor(t);
    expect(await b.commit(commit("52:54:00:12:34:56", "192.168.152.2", { vci: "PXEClient:Arch:00000:UNDI:002001" }))).toMatchObject({ name: "unknown-123456" });
    expect(await b.commit(commit("52:54:00:12:34:56", "192.168.152.2", { uci: "iPXE" }))).toMatchObject({ name: "unknown-123456" });
    const lease = await b.commit(commit("52:54:00:12:34:56", "192.168.152.2", { uci: "walt.node.pc-x86-64" }));
    expect(lease.name).toBe("node-123456");
    expect(await new DeviceRepo(t.ctx.db).byMac("52:54:00:12:34:56")).toMatchObject({ type: "node", model: "pc-x86-64" });
  });

  test("a known device whose IP is outside walt-net gets the new one recorded", async () => {
    await using t = await dhcpTestContext();
    await registerDevice(t.ctx, { mac: "52:54:00:00:00:09", ip: "10.0.0.9", type: "node", model: "pc-x86-64", name: "far" });
    const b = backendFor(t);
    expect(await b.leaseFor("52:54:00:00:00:09")).toBeUndefined();
    const ip = await b.allocate("52:54:00:00:00:09");
    expect(ip).toBe("192.168.152.2");
    expect(await b.commit(commit("52:54:00:00:00:09", "192.168.152.2"))).toEqual({ ip: "192.168.152.2", name: "far", nat: false });
    expect(await b.leaseFor("52:54:00:00:00:09")).toEqual({ ip: "192.168.152.2", name: "far", nat: false });
  });

  test("concurrent commits of the same MAC register it once", async () => {
    await using t = await dhcpTestContext();
    const b = backendFor(t);
    const c = commit("52:54:00:ab:cd:01", "192.168.152.2", { uci: "walt.node.pc-x86-64" });
    const leases = await Promise.all([b.commit(c), b.commit(c), b.commit(c)]);
    expect(new Set(leases.map((l) => l.name))).toEqual(new Set(["node-abcd01"]));
    expect((await new DeviceRepo(t.ctx.db).all()).filter((d) => d.mac === c.mac)).toHaveLength(1);
  });
});
