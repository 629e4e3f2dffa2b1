import { describe, expect, test } from "bun:test";
import { settingNamesFor } from "./names.ts";
import { rpi, server, sw, unknown, vnode } from "./test-fixtures.ts";
import type { SettingsDevice } from "./types.ts";

describe("setting names for completion", () => {
  const cases: [string, SettingsDevice[], string[]][] = [
    [
      "a virtual node",
      [vnode("vn1")],
      ["boot.delay", "boot.retries", "boot.timeout", "cpu.cores", "disks", "expose", "kexec.allow", "mount.persist", "netsetup", "networks", "ram"],
    ],
    ["a virtual and a physical node", [vnode("vn1"), rpi("rpi1")], ["boot.retries", "boot.timeout", "expose", "kexec.allow", "mount.persist", "netsetup"]],
    ["a switch", [sw("sw1")], ["expose", "lldp.explore", "netsetup", "poe.reboots", "snmp.community", "snmp.version"]],
    ["a node and a switch", [rpi("rpi1"), sw("sw1")], ["expose", "netsetup"]],
    ["an unknown device outside walt-net", [unknown("u", { inWaltNet: false })], ["type"]],
    ["the server and a node", [server(), rpi("rpi1")], []],
    ["an empty set", [], []],
  ];
  test.each(cases)("for %s", (_what, devices, names) => {
    expect(settingNamesFor(devices)).toEqual(names);
  });

  test("stored settings count as applicable", () => {
    expect(settingNamesFor([unknown("u", { inWaltNet: false, conf: { netsetup: 1 } })])).toEqual(["netsetup", "type"]);
  });
});
