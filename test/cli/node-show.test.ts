/** `walt node show` (WALT §1.6): titled tables of own, free and other users' nodes, then footnotes. */
import { describe, expect, test } from "bun:test";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const B = "\x1b[1m";
const R = "\x1b[0m";
const TIP = "Type `walt help show node-ownership` for help.\n";

async function platform(s: TestServer): Promise<void> {
  await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
  await s.register({ mac: "52:54:00:00:00:02", ip: "192.168.152.12", type: "node", model: "pc-x86-64", virtual: true, name: "vn2" });
  await s.register({ mac: "b8:27:eb:00:00:03", ip: "192.168.152.13", type: "node", model: "rpi-3-b", name: "rpi1" });
  await s.register({ mac: "aa:bb:cc:00:00:04", ip: "192.168.152.14", type: "switch", name: "sw1" });
}

describe("walt node show", () => {
  test("a user owning no node is told so and invited to re-run with --all", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "show"])).toEqual({
      code: 0,
      out: "You currently do not own any nodes.\nRe-run with --all to see all available nodes.\n" + TIP,
      err: "",
    });
  });

  test("own nodes are listed with their image, netsetup and booted state", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("alice", ["node", "acquire", "vn1,rpi1"])).code).toBe(0);
    await s.ctx.status.setBooted("52:54:00:00:00:01");
    expect(await s.cli("alice", ["node", "show"])).toEqual({
      code: 0,
      out:
        `\n${B}You currently own the following nodes:\n${R}\n` +
        "name  type      model      image              ip              netsetup  booted\n" +
        "----  --------  ---------  -----------------  --------------  --------  ------\n" +
        "rpi1  physical  rpi-3-b    rpi-3-b-default    192.168.152.13  LAN       NO    \n" +
        "vn1   virtual   pc-x86-64  pc-x86-64-default  192.168.152.11  LAN       yes   \n\n" +
        "Re-run with --all to see all available nodes.\n" +
        TIP,
      err: "",
    });
  });

  test("--all adds the free nodes and the nodes of other users with a clonable image link", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn2"])).code).toBe(0);
    expect((await s.cli("alice", ["node", "acquire", "rpi1"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "show", "--all"])).toEqual({
      code: 0,
      out:
        `\n${B}You currently own the following nodes:\n${R}\n` +
        "name  type      model    image            ip              netsetup  booted\n" +
        "----  --------  -------  ---------------  --------------  --------  ------\n" +
        "rpi1  physical  rpi-3-b  rpi-3-b-default  192.168.152.13  LAN       NO    \n\n" +
        `\n${B}The following nodes are currently free:\n${R}\n` +
        "name  type     model      ip              netsetup  booted\n" +
        "----  -------  ---------  --------------  --------  ------\n" +
        "vn1   virtual  pc-x86-64  192.168.152.11  LAN       NO    \n\n" +
        `\n${B}The following nodes currently belong to other users:\n${R}\n` +
        "name  type     model      image-owner  clonable-image-link         ip              netsetup  booted\n" +
        "----  -------  ---------  -----------  --------------------------  --------------  --------  ------\n" +
        "vn2   virtual  pc-x86-64  bob          walt:bob/pc-x86-64-default  192.168.152.12  LAN       NO    \n\n" +
        TIP,
      err: "",
    });
  });

  test("--names-only lists the user's nodes, or every node with --all", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn2"])).code).toBe(0);
    expect((await s.cli("alice", ["node", "acquire", "rpi1,vn1"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "show", "--names-only"])).toEqual({ code: 0, out: "rpi1\nvn1\n", err: "" });
    // WALT orders by image owner, then name.
    expect(await s.cli("alice", ["node", "show", "--names-only", "--all"])).toEqual({ code: 0, out: "rpi1\nvn1\nvn2\n", err: "" });
  });

  test("--all on a platform without nodes says that no node was detected", async () => {
    await using s = await startTestServer();
    expect(await s.cli("alice", ["node", "show", "--all"])).toEqual({ code: 0, out: "No nodes detected!\n" + TIP, err: "" });
  });

  test("--all when the user owns every node says no other node was detected", async () => {
    await using s = await startTestServer();
    await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
    expect((await s.cli("alice", ["node", "acquire", "vn1"])).code).toBe(0);
    const r = await s.cli("alice", ["node", "show", "--all"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toEndWith("LAN       NO    \n\nNo other nodes were detected (apart from the ones listed above).\n" + TIP);
  });

  test("a vpn node (virtual flag, MAC outside 52:54:00) is typed vpn", async () => {
    await using s = await startTestServer();
    await s.register({ mac: "d8:3a:dd:00:00:09", ip: "192.168.152.19", type: "node", model: "rpi-5-b", virtual: true, name: "vpn1" });
    const r = await s.cli("alice", ["node", "show", "--all"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("vpn1  vpn   rpi-5-b  192.168.152.19  LAN       NO    \n");
  });
});
