/** `walt node wait` (WALT §1.6): block until every node of the set is booted, or the timeout. */
import { describe, expect, spyOn, test } from "bun:test";
import { WAIT_INITIAL_LABEL, waitLabel } from "../../cli/commands/node/wait.ts";
import { runCli } from "../../cli/main.ts";
import { memoryIo } from "../../cli/ui/io.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { waitFor } from "../helpers/wait-for.ts";

const VN1 = "52:54:00:00:00:01";
const VN2 = "52:54:00:00:00:02";

async function platform(s: TestServer): Promise<void> {
  await s.register({ mac: VN1, ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
  await s.register({ mac: VN2, ip: "192.168.152.12", type: "node", model: "pc-x86-64", virtual: true, name: "vn2" });
  await s.register({ mac: "aa:bb:cc:00:00:04", ip: "192.168.152.14", type: "switch", name: "sw1" });
}

describe("walt node wait", () => {
  test("nodes already booted return at once, silently", async () => {
    await using s = await startTestServer();
    await platform(s);
    await s.ctx.status.setBooted(VN1);
    await s.ctx.status.setBooted(VN2);
    expect(await s.cli("alice", ["node", "wait", "vn1,vn2"])).toEqual({ code: 0, out: "", err: "" });
  });

  test("a node that does not boot in time gives WALT's timeout message and exit code 1", async () => {
    await using s = await startTestServer();
    await platform(s);
    await s.ctx.status.setBooted(VN1);
    expect(await s.cli("alice", ["node", "wait", "vn1,vn2", "--timeout", "1"])).toEqual({ code: 1, out: "Timeout was reached.\n", err: "" });
  });

  test("the command returns once the last pending node boots", async () => {
    await using s = await startTestServer();
    await platform(s);
    const subscribed = spyOn(s.ctx.status, "waitBooted");
    const running = s.cli("alice", ["node", "wait", "vn1,vn2"]);
    await waitFor(() => subscribed.mock.calls.length > 0, "the server waiting for bootups");
    await s.ctx.status.setBooted(VN2);
    await s.ctx.status.setBooted(VN1);
    expect(await running).toEqual({ code: 0, out: "", err: "" });
  });

  test("a timeout of 0 means no timeout, as in WALT", async () => {
    await using s = await startTestServer();
    await platform(s);
    const subscribed = spyOn(s.ctx.status, "waitBooted");
    const running = s.cli("alice", ["node", "wait", "vn1", "--timeout", "0"]);
    await waitFor(() => subscribed.mock.calls.length > 0, "the server waiting for bootups");
    await s.ctx.status.setBooted(VN1);
    expect(await running).toEqual({ code: 0, out: "", err: "" });
  });

  test("Ctrl-C while waiting prints Aborted. and exits 1", async () => {
    await using s = await startTestServer();
    await platform(s);
    const io = memoryIo({ env: { WALT_CONFIG: await s.user("alice"), HOME: s.dir } });
    const subscribed = spyOn(s.ctx.status, "waitBooted");
    const running = runCli(["node", "wait", "vn1"], io, { fetch: async (url, init) => s.app.request(url, init) });
    await waitFor(() => subscribed.mock.calls.length > 0, "the server waiting for bootups");
    io.interrupt();
    expect({ code: await running, out: io.out(), err: io.err() }).toEqual({ code: 1, out: "\nAborted.\n", err: "" });
  });

  test("on a terminal the busy indicator names the nodes still pending as they boot", async () => {
    await using s = await startTestServer();
    await platform(s);
    const io = memoryIo({ tty: true, env: { WALT_CONFIG: await s.user("alice"), HOME: s.dir } });
    const running = runCli(["node", "wait", "vn1,vn2"], io, { fetch: async (url, init) => s.app.request(url, init) });
    await waitFor(() => io.err().includes("Waiting for bootup of nodes vn1 and vn2... "), "the label naming both nodes");
    await s.ctx.status.setBooted(VN1);
    await waitFor(() => io.err().includes("Waiting for bootup of node vn2... "), "the label naming vn2 only");
    await s.ctx.status.setBooted(VN2);
    expect(await running).toBe(0);
    expect(io.out()).toBe("");
  });

  test("the busy label names the nodes still pending", () => {
    expect(WAIT_INITIAL_LABEL).toBe("Node bootup notification pending");
    expect(waitLabel(["vn1"])).toBe("Waiting for bootup of node vn1");
    expect(waitLabel(["vn2", "vn1"])).toBe("Waiting for bootup of nodes vn1 and vn2");
  });

  test("unknown names and devices that are not nodes are reported", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "wait", "vn1,nosuch"])).toEqual({ code: 1, out: "", err: "No device with name 'nosuch' found.\n" });
    expect(await s.cli("alice", ["node", "wait", "vn1,sw1"])).toEqual({ code: 1, out: "", err: "sw1 is not a node, it is a switch.\n" });
  });

  test("a non-integer timeout is a usage error", async () => {
    await using s = await startTestServer();
    await platform(s);
    expect(await s.cli("alice", ["node", "wait", "vn1", "--timeout", "soon"])).toEqual({
      code: 2,
      out: "",
      err: "Argument of --timeout expected to be int, not 'soon'\nHint: walt node wait --help\n",
    });
  });
});
