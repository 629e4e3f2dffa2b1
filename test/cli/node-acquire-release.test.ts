/** `walt node acquire` / `walt node release` (WALT §1.2 ownership checks, §1.6, §6.8). */
import { describe, expect, test } from "bun:test";
import { startTestServer, type TestServer } from "../helpers/server.ts";

async function platform(s: TestServer): Promise<void> {
  await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
  await s.register({ mac: "52:54:00:00:00:02", ip: "192.168.152.12", type: "node", model: "pc-x86-64", virtual: true, name: "vn2" });
  await s.register({ mac: "aa:bb:cc:00:00:04", ip: "192.168.152.14", type: "switch", name: "sw1" });
}

const myNodes = async (s: TestServer, user: string): Promise<string> => (await s.cli(user, ["node", "show", "--names-only"])).out;

describe("walt node acquire and release", () => {
  test("acquiring free nodes clones the default image once and makes the nodes the user's", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "acquire", "vn1,vn2"])).toEqual({
      code: 0,
      out: "Cloned pc-x86-64-default, a default image for pc-x86-64.\n",
      err: "",
    });
    expect(await myNodes(s, "alice")).toBe("vn1\nvn2\n");
  });

  test("releasing own nodes lets them boot their default image again, so they are free", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("alice", ["node", "acquire", "vn1,vn2"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "release", "my-nodes"])).toEqual({
      code: 0,
      out: "Nodes vn1 and vn2 will now boot their default image (other users will see they are 'free').\n",
      err: "",
    });
    expect(await myNodes(s, "alice")).toBe("");
    expect(await s.cli("alice", ["node", "acquire", "free-nodes"])).toEqual({ code: 0, out: "", err: "" });
  });

  test("acquiring a node the user already owns is refused with WALT's message", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("alice", ["node", "acquire", "vn1"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "acquire", "vn1,vn2"])).toEqual({
      code: 1,
      out: "",
      err: "Error: node vn1 is already yours. see `walt help show node-ownership`.\n",
    });
    expect(await myNodes(s, "alice")).toBe("vn1\n");
  });

  test("acquiring a node of another user warns, asks, and proceeds when the answer is y", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn1"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "acquire", "vn1,vn2"], { input: ["y"] })).toEqual({
      code: 0,
      out: "Are you sure? (y/n): OK.\n\nCloned pc-x86-64-default, a default image for pc-x86-64.\n",
      err: "Warning: node vn1 seems to be used by another user.\n",
    });
    expect(await myNodes(s, "alice")).toBe("vn1\nvn2\n");
    expect(await myNodes(s, "bob")).toBe("");
  });

  test("answering n to the confirmation aborts with exit code 1 and changes nothing", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn1,vn2"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "acquire", "vn1,vn2"], { input: ["n"] })).toEqual({
      code: 1,
      out: "Are you sure? (y/n): \nAborted.\n",
      err: "Warning: nodes vn1 and vn2 seem to be used by other users.\n",
    });
    expect(await myNodes(s, "bob")).toBe("vn1\nvn2\n");
  });

  test("an answer other than y or n is asked again", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn1"])).code).toBe(0);
    const r = await s.cli("alice", ["node", "acquire", "vn1"], { input: ["yes", "y"] });
    expect(r).toEqual({
      code: 0,
      out: "Are you sure? (y/n): Invalid response.\nAre you sure? (y/n): OK.\n\nCloned pc-x86-64-default, a default image for pc-x86-64.\n",
      err: "Warning: node vn1 seems to be used by another user.\n",
    });
  });

  test("releasing a node the user does not own is refused", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn1"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "release", "vn1,vn2"])).toEqual({
      code: 1,
      out: "",
      err: "Error: nodes vn1 and vn2 are not yours. see `walt help show node-ownership`.\n",
    });
    expect(await myNodes(s, "bob")).toBe("vn1\n");
  });

  test("acquiring a set with devices that are not nodes is refused before anything happens", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "acquire", "vn1,sw1,server"])).toEqual({
      code: 1,
      out: "",
      err: "Error: devices sw1 and walt-server are not walt nodes. Aborting.\n",
    });
    expect(await s.cli("alice", ["node", "acquire", "sw1"])).toEqual({ code: 1, out: "", err: "Error: device sw1 is not a walt node. Aborting.\n" });
    expect(await myNodes(s, "alice")).toBe("");
  });

  test("releasing a set with a device that is not a node names it and its type", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "release", "vn1,sw1"])).toEqual({ code: 1, out: "", err: "sw1 is not a node, it is a switch.\n" });
  });

  test("unknown names and empty sets get WALT's set messages", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "acquire", "vn1,nosuch"])).toEqual({ code: 1, out: "", err: "No device with name 'nosuch' found.\n" });
    expect(await s.cli("alice", ["node", "release", "my-nodes"])).toEqual({
      code: 1,
      out: "",
      err: "No matching devices found! (tip: walt help show node-ownership)\n",
    });
  });
});
