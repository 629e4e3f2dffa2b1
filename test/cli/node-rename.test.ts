/** `walt node rename` (WALT §1.6 with the naming rules of §1.7). */
import { describe, expect, test } from "bun:test";
import { NEW_NAME_ERROR_AND_GUIDELINES } from "../../src/domain/names.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

async function platform(s: TestServer): Promise<void> {
  await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
  await s.register({ mac: "52:54:00:00:00:02", ip: "192.168.152.12", type: "node", model: "pc-x86-64", virtual: true, name: "vn2" });
  await s.register({ mac: "aa:bb:cc:00:00:04", ip: "192.168.152.14", type: "switch", name: "sw1" });
}

const allNodes = async (s: TestServer): Promise<string> => (await s.cli("alice", ["node", "show", "--all", "--names-only"])).out;

describe("walt node rename", () => {
  test("renaming an own node prints nothing and the new name is used from then on", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("alice", ["node", "acquire", "vn1"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "rename", "vn1", "my-vnode"])).toEqual({ code: 0, out: "", err: "" });
    expect(await s.cli("alice", ["node", "show", "--names-only"])).toEqual({ code: 0, out: "my-vnode\n", err: "" });
  });

  test("a name already used by another device is refused", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "rename", "vn1", "sw1"])).toEqual({
      code: 1,
      out: "",
      err: "Failed: a device with name 'sw1' already exists.\n",
    });
    expect(await allNodes(s)).toBe("vn1\nvn2\n");
  });

  test("an invalid name is refused with WALT's guidelines", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "rename", "vn1", "9lives"])).toEqual({ code: 1, out: "", err: NEW_NAME_ERROR_AND_GUIDELINES + "\n" });
    expect(await s.cli("alice", ["node", "rename", "vn1", "x"])).toEqual({ code: 1, out: "", err: NEW_NAME_ERROR_AND_GUIDELINES + "\n" });
  });

  test("renaming a node of another user asks for confirmation first", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect((await s.cli("bob", ["node", "acquire", "vn1"])).code).toBe(0);
    expect(await s.cli("alice", ["node", "rename", "vn1", "bobs"], { input: ["n"] })).toEqual({
      code: 1,
      out: "Are you sure? (y/n): \nAborted.\n",
      err: "Warning: node vn1 seems to be used by another user.\n",
    });
    expect(await s.cli("alice", ["node", "rename", "vn1", "bobs"], { input: ["y"] })).toEqual({
      code: 0,
      out: "Are you sure? (y/n): OK.\n\n",
      err: "Warning: node vn1 seems to be used by another user.\n",
    });
    // ordered by owner (bob before waltplatform), then name
    expect(await allNodes(s)).toBe("bobs\nvn2\n");
  });

  test("a device that is not a node cannot be renamed with walt node rename", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "rename", "sw1", "sw2"])).toEqual({ code: 1, out: "", err: "Error: device sw1 is not a walt node. Aborting.\n" });
  });

  test("an unknown node is reported", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "rename", "nosuch", "other"])).toEqual({ code: 1, out: "", err: "No device with name 'nosuch' found.\n" });
  });
});
