import { describe, expect, test } from "bun:test";
import { effectiveConfig, formatConfig, webApiConfig } from "./show.ts";
import { device, rpi, server, sw, unknown, vnode } from "./test-fixtures.ts";
import type { SettingsDevice, SettingValue } from "./types.ts";

const VNODE_DEFAULTS = {
  netsetup: 0,
  expose: "none",
  "boot.retries": 9,
  "boot.timeout": 180,
  "kexec.allow": true,
  "mount.persist": true,
  ram: "512M",
  "cpu.cores": 4,
  disks: "none",
  "boot.delay": "random",
  networks: "walt-net",
};

describe("effective configuration", () => {
  const cases: [string, SettingsDevice, Record<string, SettingValue>][] = [
    ["a virtual node gets the defaults of all its categories", vnode("vn1"), VNODE_DEFAULTS],
    [
      "stored values override defaults and keep their position",
      vnode("vn1", { conf: { ram: "1G", "boot.timeout": null } }),
      { ...VNODE_DEFAULTS, ram: "1G", "boot.timeout": null },
    ],
    [
      "a physical node outside walt-net has only node settings",
      rpi("rpi2", { inWaltNet: false }),
      { "boot.retries": 9, "boot.timeout": 180, "kexec.allow": true, "mount.persist": true },
    ],
    [
      "a switch",
      sw("sw1", { conf: { "snmp.version": 2 } }),
      { netsetup: 0, expose: "none", "lldp.explore": false, "poe.reboots": false, "snmp.version": 2, "snmp.community": null },
    ],
    ["an unknown device outside walt-net", unknown("u", { inWaltNet: false }), { type: "unknown" }],
    ["the server", server(), {}],
  ];
  test.each(cases)("%s", (_what, d, expected) => {
    expect(effectiveConfig(d)).toEqual(expected);
    expect(Object.keys(effectiveConfig(d))).toEqual(Object.keys(expected));
  });

  test("stored keys outside the defaults come last, in PostgreSQL jsonb order", () => {
    const d = unknown("u", { inWaltNet: false, conf: { "boot.retries": 2, netsetup: 1, zz: "x" } });
    expect(Object.keys(effectiveConfig(d))).toEqual(["type", "zz", "netsetup", "boot.retries"]);
  });
});

describe("web API configuration", () => {
  const cases: [string, SettingsDevice, string][] = [
    ["a LAN node", vnode("vn1"), "LAN"],
    ["a NAT node", vnode("vn1", { conf: { netsetup: 1 } }), "NAT"],
    ["a node outside walt-net still gets a netsetup", rpi("rpi2", { inWaltNet: false }), "LAN"],
  ];
  test.each(cases)("%s shows netsetup as a string", (_what, d, netsetup) => {
    expect(webApiConfig(d)["netsetup"]).toBe(netsetup);
  });

  test("every other setting keeps its stored or default value", () => {
    expect(webApiConfig(vnode("vn1", { conf: { "cpu.cores": 2 } }))).toEqual({ ...VNODE_DEFAULTS, netsetup: "LAN", "cpu.cores": 2 });
  });
});

const VN_LINES = (ram: string) =>
  "boot.delay=random\nboot.retries=9\nboot.timeout=180\ncpu.cores=4\ndisks=none\nexpose=none\n" +
  `kexec.allow=true\nmount.persist=true\nnetsetup=LAN\nnetworks=walt-net\nram=${ram}\n`;

describe("configuration display", () => {
  test("groups devices of the same main category having the same settings, in first-seen order", () => {
    const devices = [
      vnode("vn3"),
      vnode("vn1"),
      rpi("rpi1", { conf: { netsetup: 1 } }),
      rpi("rpi2", { conf: { netsetup: 1 } }),
      sw("sw1", { inWaltNet: false, conf: { "snmp.version": 2, "lldp.explore": true } }),
      vnode("vn2", { conf: { ram: "1G" } }),
      unknown("u", { inWaltNet: false, ip: null }),
    ];
    expect(formatConfig(devices)).toBe(
      `Virtual nodes vn1 and vn3 have the following config applied:\n${VN_LINES("512M")}\n\n` +
        `Virtual node vn2 has the following config applied:\n${VN_LINES("1G")}\n\n` +
        "Nodes rpi1 and rpi2 have the following config applied:\n" +
        "boot.retries=9\nboot.timeout=180\nexpose=none\nkexec.allow=true\nmount.persist=true\nnetsetup=NAT\n\n\n" +
        "Switch sw1 has the following config applied:\n" +
        "lldp.explore=true\npoe.reboots=false\nsnmp.community=<unspecified>\nsnmp.version=2\n\n\n" +
        "Unknown device u has the following config applied:\ntype=unknown\n\n",
    );
  });

  const single: [string, SettingsDevice[], string][] = [
    ["the server", [server()], "Server has no config option available.\n\n"],
    [
      "boot.timeout none and false booleans",
      [rpi("rpi1", { inWaltNet: false, conf: { "boot.timeout": null, "kexec.allow": false } })],
      "Node rpi1 has the following config applied:\nboot.retries=9\nboot.timeout=none\nkexec.allow=false\nmount.persist=true\n\n",
    ],
    [
      "more than five identical devices",
      ["a", "b", "c", "d", "e", "f"].map((n) => device(n, "unknown", { inWaltNet: false })),
      "6 unknown devices have the following config applied:\ntype=unknown\n\n",
    ],
    [
      "two switches",
      [sw("s2"), sw("s1")],
      "Switches s1 and s2 have the following config applied:\nexpose=none\nlldp.explore=false\nnetsetup=LAN\n" +
        "poe.reboots=false\nsnmp.community=<unspecified>\nsnmp.version=<unspecified>\n\n",
    ],
  ];
  test.each(single)("renders %s", (_what, devices, text) => {
    expect(formatConfig(devices)).toBe(text);
  });
});
