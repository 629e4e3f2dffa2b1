/** `walt device tree [--all]` (WALT §1.7, §6.9): the server's text, printed as is. */
import { describe, expect, test } from "bun:test";
import { startTestServer } from "../helpers/server.ts";

describe("walt device tree", () => {
  test("a platform without switches shows the server and its virtual nodes", async () => {
    await using s = await startTestServer();
    await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
    await s.register({ mac: "52:54:00:00:00:02", ip: "192.168.152.12", type: "node", model: "pc-x86-64", virtual: true, name: "vn2" });
    expect(await s.cli("alice", ["device", "tree"])).toEqual({ code: 0, out: "walt-server\n ├─vn1\n └─vn2\n", err: "" });
  });

  test("a platform with only the server succeeds too", async () => {
    await using s = await startTestServer();
    expect(await s.cli("alice", ["device", "tree"])).toEqual({ code: 0, out: "walt-server\n (no device known to be connected)\n", err: "" });
  });

  test("unknown devices are shown only with --all", async () => {
    await using s = await startTestServer();
    await s.register({ mac: "aa:bb:cc:00:00:07", ip: "192.168.152.17", type: "unknown" });
    const plain = await s.cli("alice", ["device", "tree"]);
    expect(plain.code).toBe(0);
    expect(plain.err).toBe("");
    expect(plain.out).not.toContain("unknown-000007");
    expect(plain.out).toContain("walt device tree --all");
    const all = await s.cli("alice", ["device", "tree", "--all"]);
    expect(all.code).toBe(0);
    expect(all.err).toBe("");
    expect(all.out).toContain("unknown-000007");
  });
});
