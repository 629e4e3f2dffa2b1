/** `walt node config` (WALT §1.6, §2): print the configuration, or check ownership then apply settings. */
import { describe, expect, test } from "bun:test";
import { startTestServer, type TestServer } from "../helpers/server.ts";

async function platform(s: TestServer): Promise<void> {
  await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
  await s.register({ mac: "52:54:00:00:00:02", ip: "192.168.152.12", type: "node", model: "pc-x86-64", virtual: true, name: "vn2" });
  await s.register({ mac: "b8:27:eb:00:00:03", ip: "192.168.152.13", type: "node", model: "rpi-3-b", name: "rpi1" });
  await s.register({ mac: "aa:bb:cc:00:00:04", ip: "192.168.152.14", type: "switch", name: "sw1" });
}

const VNODE_CONFIG = (ram: string): string =>
  "boot.delay=random\nboot.retries=9\nboot.timeout=180\ncpu.cores=4\ndisks=none\nexpose=none\nkexec.allow=true\n" +
  `mount.persist=true\nnetsetup=LAN\nnetworks=walt-net\nram=${ram}\n`;

const ramOf = async (s: TestServer, node: string): Promise<string | undefined> =>
  /^ram=(.*)$/m.exec((await s.cli("alice", ["node", "config", node])).out)?.[1];

describe("walt node config", () => {
  test("without settings the configuration is printed, grouped by identical settings", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "config", "vn1,vn2,rpi1"])).toEqual({
      code: 0,
      out:
        "Node rpi1 has the following config applied:\n" +
        "boot.retries=9\nboot.timeout=180\nexpose=none\nkexec.allow=true\nmount.persist=true\nnetsetup=LAN\n\n\n" +
        "Virtual nodes vn1 and vn2 have the following config applied:\n" +
        VNODE_CONFIG("512M") +
        "\n",
      err: "",
    });
  });

  test("settings are applied to the user's nodes and a reboot is suggested when needed", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("alice", ["node", "acquire", "vn1"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "config", "vn1", "ram=1G"])).toEqual({
      code: 0,
      out: "Done. Reboot node(s) to see new settings in effect.\n",
      err: "",
    });
    expect(await s.cli("alice", ["node", "config", "vn1"])).toEqual({
      code: 0,
      out: "Virtual node vn1 has the following config applied:\n" + VNODE_CONFIG("1G") + "\n",
      err: "",
    });
    expect(await s.cli("alice", ["node", "config", "vn1", "kexec.allow=false"])).toEqual({ code: 0, out: "Done.\n", err: "" });
  });

  test("free nodes are configured without confirmation", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "config", "vn1,vn2", "cpu.cores=2"])).toEqual({
      code: 0,
      out: "Done. Reboot node(s) to see new settings in effect.\n",
      err: "",
    });
  });

  test("an invalid value is refused with WALT's message and nothing changes", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "config", "vn1", "ram=1X"])).toEqual({
      code: 1,
      out: "",
      err: "Failed: '1X' is not a valid value for ram (expecting for instance 512M or 1G).\n",
    });
    expect(await ramOf(s, "vn1")).toBe("512M");
  });

  test("an unknown setting is refused", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "config", "vn1", "colour=blue"])).toEqual({
      code: 1,
      out: "",
      err: "Unknown setting 'colour'. See: 'walt help show device-config'\n",
    });
  });

  test("an argument without '=' is refused", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "config", "vn1", "ram"])).toEqual({
      code: 1,
      out: "",
      err: "Please provide settings as `<setting name>=<setting value>` arguments.\n",
    });
  });

  test("settings are all or nothing: one bad setting means none is applied", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "config", "vn1,rpi1", "boot.retries=3", "ram=1G"])).toEqual({
      code: 1,
      out: "",
      err: "Failed: Node rpi1 is not virtual, so 'ram' setting is not supported.\n",
    });
    expect((await s.cli("alice", ["node", "config", "vn1"])).out).toContain("boot.retries=9\n");
    expect(await ramOf(s, "vn1")).toBe("512M");
  });

  test("nodes of another user need confirmation: y applies the settings", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn1,vn2"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "config", "vn1,vn2", "ram=2G"], { input: ["y"] })).toEqual({
      code: 0,
      out: "Are you sure? (y/n): OK.\n\nDone. Reboot node(s) to see new settings in effect.\n",
      err: "Warning: nodes vn1 and vn2 seem to be used by other users.\n",
    });
    expect(await ramOf(s, "vn2")).toBe("2G");
  });

  test("nodes of another user need confirmation: n aborts and changes nothing", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn1"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "config", "vn1", "ram=2G"], { input: ["n"] })).toEqual({
      code: 1,
      out: "Are you sure? (y/n): \nAborted.\n",
      err: "Warning: node vn1 seems to be used by another user.\n",
    });
    expect(await ramOf(s, "vn1")).toBe("512M");
  });

  test("reading the configuration of others' nodes needs no confirmation", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn1"])).code).toBe(0);
    const r = await s.cli("alice", ["node", "config", "vn1"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toStartWith("Virtual node vn1 has the following config applied:\n");
  });

  test("a device that is not a node is refused, even without settings", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "config", "vn1,sw1"])).toEqual({ code: 1, out: "", err: "sw1 is not a node, it is a switch.\n" });
    expect(await s.cli("alice", ["node", "config", "server", "netsetup=NAT"])).toEqual({
      code: 1,
      out: "",
      err: "walt-server is not a node, it is a server.\n",
    });
  });

  test("an unknown node name is reported", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "config", "nosuch", "ram=1G"])).toEqual({ code: 1, out: "", err: "No device with name 'nosuch' found.\n" });
  });
});
