import { describe, expect, test } from "bun:test";
import { manualClock } from "../../src/clock.ts";
import { lowestFreeIp, needsRegistration, registrationFromCommit, type CommitInfo } from "./backend.ts";
import { AddressHolds } from "./holds.ts";

const commit = (patch: Partial<CommitInfo> = {}): CommitInfo => ({ mac: "52:54:00:ab:cd:ef", ip: "192.168.152.2", vci: undefined, uci: undefined, hostname: undefined, ...patch });

describe("lowest free IP of walt-net", () => {
  test("skips the network address, the server and every used address", () => {
    expect(lowestFreeIp("192.168.152.1", 24, new Set())).toBe("192.168.152.2");
    expect(lowestFreeIp("192.168.152.1", 24, new Set(["192.168.152.2", "192.168.152.3"]))).toBe("192.168.152.4");
    expect(lowestFreeIp("192.168.152.5", 24, new Set())).toBe("192.168.152.1");
    expect(lowestFreeIp("10.0.0.1", 16, new Set(["10.0.0.2"]))).toBe("10.0.0.3");
  });

  test("never hands out the broadcast address; undefined when full", () => {
    const used = new Set(["192.168.152.1", "192.168.152.2"]);
    expect(lowestFreeIp("192.168.152.1", 30, used)).toBeUndefined();
    expect(lowestFreeIp("192.168.152.1", 30, new Set())).toBe("192.168.152.2");
  });
});

describe("registration from a DHCP commit (WALT dhcpevent.py, add_or_update_device)", () => {
  test.each([
    ["walt.node user class → node of that model", { uci: "walt.node.pc-x86-64" }, { type: "node", model: "pc-x86-64" }],
    ["walt.node vendor class (u-boot bootp_vci) → node", { vci: "walt.node.rpi-3-b-plus" }, { type: "node", model: "rpi-3-b-plus" }],
    ["user class wins over vendor class", { uci: "walt.node.pc-x86-32", vci: "walt.node.rpi-4-b" }, { type: "node", model: "pc-x86-32" }],
    ["a PXE ROM is unknown until WALT's bootloader runs", { vci: "PXEClient:Arch:00000:UNDI:002001" }, { type: "unknown" }],
    ["plain iPXE is unknown", { uci: "iPXE" }, { type: "unknown" }],
    ["a Netgear OUI is a switch", { mac: "6c:b0:ce:00:00:01" }, { type: "switch", model: "netgear" }],
  ])("%s", (_name, patch, expected) => {
    const r = registrationFromCommit(commit(patch));
    expect(r).toMatchObject(expected);
    expect(r.model).toBe("model" in expected ? expected.model : undefined);
  });

  test("name proposal: client host name plus the MAC's last 6 hex digits, lower-cased", () => {
    expect(registrationFromCommit(commit({ hostname: "PC1" })).name).toBe("pc1-abcdef");
    expect(registrationFromCommit(commit({ hostname: "rpi-abcdef" })).name).toBe("rpi-abcdef");
    expect(registrationFromCommit(commit()).name).toBeUndefined();
  });

  test("known devices are registered again only when unknown and now a WALT node", () => {
    expect(needsRegistration(undefined, commit())).toBe(true);
    expect(needsRegistration({ type: "node" }, commit({ uci: "walt.node.pc-x86-64" }))).toBe(false);
    expect(needsRegistration({ type: "unknown" }, commit({ uci: "iPXE" }))).toBe(false);
    expect(needsRegistration({ type: "unknown" }, commit({ uci: "walt.node.pc-x86-64" }))).toBe(true);
    expect(needsRegistration({ type: "unknown" }, commit({ vci: "walt.node.rpi-4-b" }))).toBe(true);
  });
});

describe("address holds", () => {
  test("an offered address is held for its MAC until it expires; declined ones are set aside", () => {
    const clock = manualClock(0);
    const h = new AddressHolds(clock, { offerUs: 100, declineUs: 1000 });
    h.hold("a", "10.0.0.2");
    expect(h.heldFor("a")).toBe("10.0.0.2");
    expect([...h.unavailableFor("b")]).toEqual(["10.0.0.2"]);
    expect([...h.unavailableFor("a")]).toEqual([]);
    h.decline("a", "10.0.0.2");
    expect(h.heldFor("a")).toBeUndefined();
    expect([...h.unavailableFor("a")]).toEqual(["10.0.0.2"]);
    h.hold("b", "10.0.0.3");
    clock.advance(100);
    expect(h.heldFor("b")).toBeUndefined();
    expect([...h.unavailableFor("c")]).toEqual(["10.0.0.2"]);
    clock.advance(900);
    expect([...h.unavailableFor("c")]).toEqual([]);
  });
});
