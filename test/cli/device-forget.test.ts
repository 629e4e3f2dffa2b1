/** `walt device forget [--force]` (WALT §1.7). */
import { describe, expect, test } from "bun:test";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const SW1 = "aa:bb:cc:00:00:04";

async function platform(s: TestServer): Promise<void> {
  await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
  await s.register({ mac: "b8:27:eb:00:00:03", ip: "192.168.152.13", type: "node", model: "rpi-3-b", name: "rpi1" });
  await s.register({ mac: SW1, ip: "192.168.152.14", type: "switch", name: "sw1" });
}

const deviceNames = async (s: TestServer): Promise<string> => (await s.cli("alice", ["device", "show"])).out;

describe("walt device forget", () => {
  test("a device without logs is forgotten at once", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["device", "forget", "rpi1"])).toEqual({ code: 0, out: "done.\n", err: "" });
    expect(await deviceNames(s)).not.toContain("rpi1");
    expect(await s.cli("alice", ["node", "show", "--all", "--names-only"])).toEqual({ code: 0, out: "vn1\n", err: "" });
  });

  test("a device with logs is kept, with WALT's two-line explanation and exit 1 (WALT exits 0)", async () => {
    await using s = await startTestServer();
    await platform(s);
    await s.ctx.logs.ingest(SW1, "stream", [{ line: "x" }, { line: "y" }]);
    expect(await s.cli("alice", ["device", "forget", "sw1"])).toEqual({
      code: 1,
      out: "This would delete any information about sw1, including 2 log lines.\nIf this is what you want, run 'walt device forget --force sw1'.\n",
      err: "",
    });
    expect(await deviceNames(s)).toContain("sw1");
  });

  test("--force forgets a device and its logs", async () => {
    await using s = await startTestServer();
    await platform(s);
    await s.ctx.logs.ingest(SW1, "stream", [{ line: "x" }]);
    expect(await s.cli("alice", ["device", "forget", "--force", "sw1"])).toEqual({ code: 0, out: "done.\n", err: "" });
    expect(await deviceNames(s)).not.toContain("sw1");
  });

  test("an unknown device is an error with exit code 1 (WALT exits 0 there, Appendix A.1)", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["device", "forget", "eazgzaezgeriogahregu"])).toEqual({
      code: 1,
      out: "",
      err: "No device with name 'eazgzaezgeriogahregu' found.\n",
    });
  });

  test("a virtual node must be removed with walt node remove", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["device", "forget", "vn1"])).toEqual({
      code: 1,
      out: "",
      err: "vn1 is a virtual node. Use 'walt node remove vn1' instead.\n",
    });
  });
});
