/** `walt device rename` and `walt device config` (WALT §1.7, §2): any device; nodes of others need confirmation. */
import { describe, expect, test } from "bun:test";
import { NEW_NAME_ERROR_AND_GUIDELINES } from "../../src/domain/names.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

async function platform(s: TestServer): Promise<void> {
  await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
  await s.register({ mac: "aa:bb:cc:00:00:04", ip: "192.168.152.14", type: "switch", name: "sw1" });
  await s.register({ mac: "aa:bb:cc:00:00:07", ip: "192.168.152.17", type: "unknown" });
}

describe("walt device rename", () => {
  test("a switch is renamed silently", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["device", "rename", "sw1", "core-switch"])).toEqual({ code: 0, out: "", err: "" });
    expect((await s.cli("alice", ["device", "show"])).out).toContain("core-switch  192.168.152.14");
  });

  test("duplicate and invalid names are refused with WALT's messages", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["device", "rename", "sw1", "vn1"])).toEqual({ code: 1, out: "", err: "Failed: a device with name 'vn1' already exists.\n" });
    expect(await s.cli("alice", ["device", "rename", "sw1", "sw_1"])).toEqual({ code: 1, out: "", err: NEW_NAME_ERROR_AND_GUIDELINES + "\n" });
    expect(await s.cli("alice", ["device", "rename", "nosuch", "sw2"])).toEqual({ code: 1, out: "", err: "No device with name 'nosuch' found.\n" });
  });

  test("renaming a node of another user asks for confirmation", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn1"])).code).toBe(0);
    expect(await s.cli("alice", ["device", "rename", "vn1", "vn9"], { input: ["n"] })).toEqual({
      code: 1,
      out: "Are you sure? (y/n): \nAborted.\n",
      err: "Warning: node vn1 seems to be used by another user.\n",
    });
    expect(await s.cli("bob", ["node", "show", "--names-only"])).toEqual({ code: 0, out: "vn1\n", err: "" });
  });
});

describe("walt device config", () => {
  test("without settings every device of the set shows its configuration", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["device", "config", "sw1,server"])).toEqual({
      code: 0,
      out:
        "Switch sw1 has the following config applied:\n" +
        "expose=none\nlldp.explore=false\nnetsetup=LAN\npoe.reboots=false\nsnmp.community=<unspecified>\nsnmp.version=<unspecified>\n\n\n" +
        "Server has no config option available.\n\n",
      err: "",
    });
  });

  test("an unknown device becomes a switch and gets a clearer name", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["device", "config", "unknown-000007", "type=switch"])).toEqual({
      code: 0,
      out: "Renaming unknown-000007 to switch-000007 for clarity.\nDone.\n",
      err: "",
    });
  });

  test("devices that are not nodes are ignored by the ownership check, others' nodes are confirmed", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["device", "config", "sw1", "netsetup=NAT"])).toEqual({
      code: 0,
      out: "Done. Reboot device(s) to see new settings in effect.\n",
      err: "",
    });
    expect((await s.cli("bob", ["node", "acquire", "vn1"])).code).toBe(0);
    expect(await s.cli("alice", ["device", "config", "sw1,vn1", "netsetup=LAN"], { input: ["y"] })).toEqual({
      code: 0,
      out: "Are you sure? (y/n): OK.\n\nDone. Reboot device(s) to see new settings in effect.\n",
      err: "Warning: node vn1 seems to be used by another user.\n",
    });
  });

  test("a setting a device does not support is refused for the whole set", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["device", "config", "sw1,vn1", "ram=1G"])).toEqual({
      code: 1,
      out: "",
      err: "Failed: Device sw1 is not a node, so 'ram' setting is not supported.\n",
    });
  });

  test("an unknown device name is reported", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["device", "config", "sw1,nosuch"])).toEqual({ code: 1, out: "", err: "No device with name 'nosuch' found.\n" });
  });
});
