import { describe, expect, test } from "bun:test";
import { CATEGORIES, CATEGORIES_BY_PRIORITY, mainCategory, requireMembers, type CategoryName } from "./categories.ts";
import { device, failure, rpi, server, sw, unknown, vnode } from "./test-fixtures.ts";
import type { SettingsDevice } from "./types.ts";

describe("category membership", () => {
  const outside = rpi("rpi2", { inWaltNet: false, ip: "10.0.0.2" });
  const cases: [string, SettingsDevice, CategoryName[], CategoryName][] = [
    ["a virtual node", vnode("vn1"), ["devices", "walt-net-devices", "nodes", "virtual-nodes"], "virtual-nodes"],
    ["a physical node", rpi("rpi1"), ["devices", "walt-net-devices", "nodes"], "nodes"],
    ["a node outside walt-net", outside, ["devices", "nodes"], "nodes"],
    ["a switch", sw("sw1"), ["devices", "walt-net-devices", "switches"], "switches"],
    ["an unknown device", unknown("u"), ["devices", "walt-net-devices", "unknown-devices"], "unknown-devices"],
    ["the server, although inside walt-net", server(), ["devices", "server"], "server"],
  ];
  test.each(cases)("%s belongs to the expected categories and has the expected main one", (_n, d, members, main) => {
    expect(CATEGORIES_BY_PRIORITY.filter((c) => c.isMember(d)).map((c) => c.name)).toEqual(members);
    expect(mainCategory(d).name).toBe(main);
  });

  test("categories are ordered by priority, keeping WALT's declaration order among equals", () => {
    expect(CATEGORIES_BY_PRIORITY.map((c) => c.name)).toEqual([
      "devices",
      "walt-net-devices",
      "server",
      "nodes",
      "unknown-devices",
      "switches",
      "virtual-nodes",
    ]);
  });
});

describe("category errors", () => {
  const sw1 = sw("sw1");
  const printer = unknown("printer");
  const out = rpi("rpi2", { inWaltNet: false });
  const cases: [CategoryName, SettingsDevice[], string, string][] = [
    ["nodes", [sw1], "boot.retries", "Failed: device sw1 is not a node, so it does not support the 'boot.retries' setting."],
    [
      "nodes",
      [server(), sw1, vnode("vn1")],
      "kexec.allow",
      "Failed: devices sw1 and walt-server are not  nodes, so they do not support the 'kexec.allow' setting.",
    ],
    ["virtual-nodes", [sw1], "ram", "Failed: Device sw1 is not a node, so 'ram' setting is not supported."],
    ["virtual-nodes", [rpi("rpi1")], "ram", "Failed: Node rpi1 is not virtual, so 'ram' setting is not supported."],
    [
      "virtual-nodes",
      [rpi("rpi1"), rpi("exp")],
      "disks",
      "Failed: Nodes exp and rpi1 are not virtual, so 'disks' setting is not supported.",
    ],
    [
      "virtual-nodes",
      [sw1, rpi("rpi1"), vnode("vn1")],
      "cpu.cores",
      "Failed: Device sw1 is not a node, and node rpi1 is not virtual, so 'cpu.cores' setting is not supported.",
    ],
    [
      "virtual-nodes",
      [sw1, printer, rpi("rpi1")],
      "networks",
      "Failed: Devices printer and sw1 are not  nodes, and node rpi1 is not virtual, so 'networks' setting is not supported.",
    ],
    [
      "virtual-nodes",
      ["a", "b", "c", "d", "e", "f"].map((n) => sw(n)),
      "ram",
      "Failed: 6 devices are not  nodes, so 'ram' setting is not supported.",
    ],
    ["switches", [vnode("vn1")], "lldp.explore", "Failed: device vn1 is not a switch, so 'lldp.explore' setting cannot be applied."],
    [
      "switches",
      [vnode("vn1"), rpi("rpi1"), sw1],
      "snmp.version",
      "Failed: devices rpi1 and vn1 are not  switches, so 'snmp.version' setting cannot be applied.",
    ],
    ["unknown-devices", [sw1, printer], "type", "Failed: setting 'type' can only be applied to unknown devices."],
    ["walt-net-devices", [out], "netsetup", "Failed: Device rpi2 is not a device managed inside walt-net."],
    ["walt-net-devices", [server()], "netsetup", "Failed: walt-server is the WALT server."],
    [
      "walt-net-devices",
      [out, server(), vnode("vn1")],
      "expose",
      "Failed: Device rpi2 is not a device managed inside walt-net, and walt-server is the WALT server.",
    ],
    [
      "walt-net-devices",
      [out, device("printer", "unknown", { inWaltNet: false })],
      "expose",
      "Failed: Devices printer and rpi2 are not  devices managed inside walt-net.",
    ],
    ["server", [sw1], "x", "Failed: device sw1 is not a walt server, so 'x' setting cannot be applied."],
  ];
  test.each(cases)("%s refuses %o for %s", async (category, devices, setting, message) => {
    expect(await failure(() => requireMembers(CATEGORIES[category], devices, setting))).toBe(`CONFLICT ${message}`);
  });

  test("a set made only of members passes", async () => {
    expect(await failure(() => requireMembers(CATEGORIES["virtual-nodes"], [vnode("a"), vnode("b")], "ram"))).toBe("no error");
    expect(await failure(() => requireMembers(CATEGORIES.devices, [server(), sw("s")], "x"))).toBe("no error");
  });
});
