/** `walt device show` (WALT §1.7): known devices sorted by type label then name, unknown ones apart. */
import { describe, expect, test } from "bun:test";
import { startTestServer } from "../helpers/server.ts";

const B = "\x1b[1m";
const R = "\x1b[0m";
const TIPS =
  "tips:\n- use 'walt device tree' for a tree view of the network\n" +
  "- use 'walt device forget <device_name>' to make WalT forget about an obsolete device\n\n";

describe("walt device show", () => {
  test("a fresh platform lists the server alone, without netsetup", async () => {
    await using s = await startTestServer();
    expect(await s.cli("alice", ["device", "show"])).toEqual({
      code: 0,
      out:
        `\n${B}The WalT network contains the following devices:\n${R}\n` +
        "name         ip             mac                type    netsetup\n" +
        "-----------  -------------  -----------------  ------  --------\n" +
        "walt-server  192.168.152.1  52:54:00:aa:bb:cc  server          \n\n" +
        TIPS +
        "\n",
      err: "",
    });
  });

  test("every type gets WALT's label, including the vpn quirk, and unknown devices get their own table", async () => {
    await using s = await startTestServer();
    await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
    // Appendix A.9: a non-virtual node with a 52:54:00 MAC is "node (vpn)"; a virtual one with another MAC is "node (virtual)".
    await s.register({ mac: "52:54:00:00:00:02", ip: "192.168.152.12", type: "node", model: "rpi-5-b", name: "vpn1" });
    await s.register({ mac: "d8:3a:dd:00:00:05", ip: "192.168.152.15", type: "node", model: "rpi-5-b", virtual: true, name: "vpn2" });
    await s.register({ mac: "b8:27:eb:00:00:03", ip: "192.168.152.13", type: "node", model: "rpi-3-b", name: "rpi1" });
    await s.register({ mac: "b8:27:eb:00:00:06", type: "node", model: "rpi-3-b", name: "rpi0" });
    await s.register({ mac: "aa:bb:cc:00:00:04", ip: "192.168.152.14", type: "switch", name: "sw1" });
    await s.register({ mac: "aa:bb:cc:00:00:07", ip: "10.0.0.7", type: "unknown" });
    await s.register({ mac: "aa:bb:cc:00:00:08", ip: "192.168.152.18", type: "unknown" });
    expect(await s.cli("alice", ["node", "config", "rpi1", "netsetup=NAT"])).toEqual({
      code: 0,
      out: "Done. Reboot node(s) to see new settings in effect.\n",
      err: "",
    });
    expect(await s.cli("alice", ["device", "show"])).toEqual({
      code: 0,
      out:
        `\n${B}The WalT network contains the following devices:\n${R}\n` +
        "name         ip              mac                type             netsetup\n" +
        "-----------  --------------  -----------------  ---------------  --------\n" +
        "rpi0                         b8:27:eb:00:00:06  node (physical)          \n" +
        "rpi1         192.168.152.13  b8:27:eb:00:00:03  node (physical)  NAT     \n" +
        "vn1          192.168.152.11  52:54:00:00:00:01  node (virtual)   LAN     \n" +
        "vpn2         192.168.152.15  d8:3a:dd:00:00:05  node (virtual)   LAN     \n" +
        "vpn1         192.168.152.12  52:54:00:00:00:02  node (vpn)       LAN     \n" +
        "walt-server  192.168.152.1   52:54:00:aa:bb:cc  server                   \n" +
        "sw1          192.168.152.14  aa:bb:cc:00:00:04  switch           LAN     \n\n" +
        TIPS +
        `\n${B}WalT also detected the following devices but could not detect their type:\n${R}\n` +
        "name            ip              mac                type     netsetup\n" +
        "--------------  --------------  -----------------  -------  --------\n" +
        "unknown-000007  10.0.0.7        aa:bb:cc:00:00:07  unknown          \n" +
        "unknown-000008  192.168.152.18  aa:bb:cc:00:00:08  unknown  LAN     \n\n" +
        "If one of them is actually a switch, use 'walt device config <name> type=switch' to fix this.\n\n" +
        "\n",
      err: "",
    });
  });
});
