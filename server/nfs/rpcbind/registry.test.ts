import { describe, expect, test } from "bun:test";
import { parseUaddr, portOfUaddr, RpcbindRegistry, uaddrOf } from "./registry.ts";

const NFS = 100003;
const nfs3 = { prog: NFS, vers: 3, netid: "tcp", addr: "192.168.152.1.8.1", owner: "superuser" };

describe("rpcbind registry (RFC 1833)", () => {
  test("universal addresses: port in the last two fields, IPv4 and IPv6 hosts", () => {
    expect(portOfUaddr("192.168.152.1.8.1")).toBe(2049);
    expect(parseUaddr("::1.0.111")).toEqual({ host: "::1", port: 111 });
    expect(uaddrOf("10.0.0.1", 20048)).toBe("10.0.0.1.78.80");
    for (const bad of ["", "1.2.3", "1.2.3.4.256.1", "x.300.1"]) expect(portOfUaddr(bad)).toBeUndefined();
  });

  test("local callers register; the same slot is refused to another address and granted again to the same one", () => {
    const r = new RpcbindRegistry();
    expect(r.set(nfs3, true)).toBe(true);
    expect(r.set({ ...nfs3, addr: "192.168.152.1.8.2" }, true)).toBe(false);
    // ganesha restarted after dying: the same registration again.
    expect(r.set(nfs3, true)).toBe(true);
    expect(r.dump()).toHaveLength(1);
  });

  test("callers from walt-net neither register nor unregister", () => {
    const r = new RpcbindRegistry();
    expect(r.set(nfs3, false)).toBe(false);
    r.set(nfs3, true);
    expect(r.unset(NFS, 3, "", false)).toBe(false);
    expect(r.dump()).toHaveLength(1);
  });

  test("malformed registrations are refused", () => {
    const r = new RpcbindRegistry();
    expect(r.set({ ...nfs3, addr: "nowhere" }, true)).toBe(false);
    expect(r.set({ ...nfs3, netid: "" }, true)).toBe(false);
  });

  test("unset with an empty netid removes every transport of the version", () => {
    const r = new RpcbindRegistry();
    r.set(nfs3, true);
    r.set({ ...nfs3, netid: "tcp6", addr: "::.8.1" }, true);
    r.set({ ...nfs3, vers: 4 }, true);
    expect(r.unset(NFS, 3, "", true)).toBe(true);
    expect(r.dump().map((e) => e.vers)).toEqual([4]);
    expect(r.unset(NFS, 3, "", true)).toBe(false);
  });

  test("lookups: the exact version, or with anyVersion another one of the program", () => {
    const r = new RpcbindRegistry();
    r.set({ ...nfs3, vers: 4 }, true);
    expect(r.lookup(NFS, 3, "tcp", false)).toBeUndefined();
    expect(r.lookup(NFS, 3, "tcp", true)?.vers).toBe(4);
    expect(r.lookup(NFS, 4, "udp", true)).toBeUndefined();
  });

  test("portmap view: protocols 6 and 17, exact versions, unknown protocols refused, port 0 when absent", () => {
    const r = new RpcbindRegistry();
    expect(r.pmapSet(100005, 3, 6, 20048, true)).toBe(true);
    expect(r.pmapSet(100005, 3, 99, 20048, true)).toBe(false);
    r.set({ ...nfs3, netid: "tcp6", addr: "::.8.1" }, true);
    expect(r.pmapGetPort(100005, 3, 6)).toBe(20048);
    expect(r.pmapGetPort(100005, 1, 6)).toBe(0);
    expect(r.pmapGetPort(100005, 3, 17)).toBe(0);
    expect(r.pmapDump()).toEqual([{ prog: 100005, vers: 3, protocol: 6, port: 20048 }]);
    expect(r.pmapUnset(100005, 3, true)).toBe(true);
    expect(r.pmapGetPort(100005, 3, 6)).toBe(0);
  });
});
