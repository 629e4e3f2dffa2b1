/** `walt log wait` (WALT §1.8): realtime wait for a matching line, modes ANY / ALL, time margin, timeout. */
import { describe, expect, spyOn, test } from "bun:test";
import { runCli } from "../../cli/main.ts";
import { memoryIo } from "../../cli/ui/io.ts";
import { manualClock } from "../../src/clock.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { waitFor } from "../helpers/wait-for.ts";

const NOW = 1_800_000_000_000_000;
const VN1 = "52:54:00:00:00:01";
const VN2 = "52:54:00:00:00:02";
const FMT = ["--format", "{issuer} -> {line}"];

async function platform(): Promise<TestServer> {
  const s = await startTestServer({ clock: manualClock(NOW) });
  await s.register({ mac: VN1, ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1", image: "alice/pc-x86-64-default:latest" });
  await s.register({ mac: VN2, ip: "192.168.152.12", type: "node", model: "pc-x86-64", virtual: true, name: "vn2", image: "alice/pc-x86-64-default:latest" });
  return s;
}

/** Start `walt log wait` as alice and return once the server follows the logs for it. */
async function start(s: TestServer, argv: string[]) {
  const io = memoryIo({ env: { WALT_CONFIG: await s.user("alice"), HOME: s.dir } });
  const subscribed = spyOn(s.ctx.logs, "subscribe");
  const running = runCli(["log", "wait", ...FMT, ...argv], io, { fetch: async (url, init) => s.app.request(url, init) }).then((code) => ({
    code,
    out: io.out(),
    err: io.err(),
  }));
  await waitFor(() => subscribed.mock.calls.length > 0, "the realtime subscription");
  return { io, running };
}

describe("walt log wait", () => {
  test("in ANY mode (the default) the first matching line ends the wait, printed", async () => {
    await using s = await platform();
    const w = await start(s, ["DONE"]);
    await s.ctx.logs.ingest(VN1, "exp", [{ line: "still running" }, { line: "DONE step 1" }, { line: "DONE step 2" }]);
    expect(await w.running).toEqual({ code: 0, out: "vn1 -> DONE step 1\n", err: "" });
  });

  test("in ALL mode the wait ends when every issuer of the set has produced a matching line", async () => {
    await using s = await platform();
    const w = await start(s, ["--mode", "all", "--issuers", "vn1,vn2", "DONE"]);
    await s.ctx.logs.ingest(VN1, "exp", [{ line: "DONE" }, { line: "DONE again" }]);
    // vn1's second match is printed: the first one did not end the wait
    await waitFor(() => w.io.out().includes("DONE again"), "vn1's lines");
    await s.ctx.logs.ingest(VN2, "exp", [{ line: "DONE" }]);
    expect(await w.running).toEqual({ code: 0, out: "vn1 -> DONE\nvn1 -> DONE again\nvn2 -> DONE\n", err: "" });
  });

  test("--time-margin also considers the lines of the last seconds", async () => {
    await using s = await platform();
    await s.ctx.logs.ingest(VN2, "exp", [{ line: "DONE long ago", tsUs: NOW - 30e6 }, { line: "DONE recently", tsUs: NOW - 5e6 }]);
    expect(await s.cli("alice", ["log", "wait", ...FMT, "--time-margin", "10", "DONE"])).toEqual({ code: 0, out: "vn2 -> DONE recently\n", err: "" });
  });

  test("--streams and the issuer set filter what can match", async () => {
    await using s = await platform();
    const w = await start(s, ["--issuers", "vn2", "--streams", "^exp$", "DONE"]);
    await s.ctx.logs.ingest(VN1, "exp", [{ line: "DONE" }]);
    await s.ctx.logs.ingest(VN2, "other", [{ line: "DONE" }]);
    await s.ctx.logs.ingest(VN2, "exp", [{ line: "DONE here" }]);
    expect(await w.running).toEqual({ code: 0, out: "vn2 -> DONE here\n", err: "" });
  });

  test("when the timeout is reached WALT's message is printed and the exit code is 1", async () => {
    await using s = await platform();
    await s.ctx.logs.ingest(VN1, "exp", [{ line: "DONE before", tsUs: NOW - 5e6 }]);
    expect(await s.cli("alice", ["log", "wait", "--timeout", "1", "DONE"])).toEqual({ code: 1, out: "Timeout was reached.\n", err: "" });
  });

  test("Ctrl-C stops the wait", async () => {
    await using s = await platform();
    const w = await start(s, ["DONE"]);
    w.io.interrupt();
    expect(await w.running).toEqual({ code: 1, out: "\nAborted.\n", err: "" });
  });

  test("an unknown mode, an invalid regexp or a bad issuer set is refused", async () => {
    await using s = await platform();
    expect(await s.cli("alice", ["log", "wait", "--mode", "some", "DONE"])).toEqual({
      code: 2,
      out: "",
      err: "Argument of --mode expected to be ANY or ALL, not 'some'\nHint: walt log wait --help\n",
    });
    expect(await s.cli("alice", ["log", "wait", "DONE("])).toEqual({ code: 1, out: "", err: "Invalid regular expression: DONE(.\n" });
    expect(await s.cli("bob", ["log", "wait", "DONE"])).toEqual({ code: 1, out: "", err: "No matching devices found! (tip: walt help show node-ownership)\n" });
  });

  test("the line regexp is required", async () => {
    await using s = await platform();
    const r = await s.cli("alice", ["log", "wait"]);
    expect(r.code).toBe(2);
    expect(r.err).toEndWith("Hint: walt log wait --help\n");
  });
});
