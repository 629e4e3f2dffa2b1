/** `walt log show` (WALT §1.8, §5.3): history ranges, realtime, issuer / stream / line filters, formats. */
import { describe, expect, spyOn, test } from "bun:test";
import { MSG_NEED_REALTIME_OR_HISTORY } from "../../cli/commands/log/show.ts";
import { runCli } from "../../cli/main.ts";
import { memoryIo } from "../../cli/ui/io.ts";
import { manualClock } from "../../src/clock.ts";
import { INVALID_HISTORY_RANGE } from "../../src/domain/history-range.ts";
import { LOG_FORMAT_ERROR } from "../../src/text/log-format.ts";
import { SERVER_MAC, startTestServer, type TestServer } from "../helpers/server.ts";
import { waitFor } from "../helpers/wait-for.ts";

const NOW = 1_800_000_000_000_000;
const VN1 = "52:54:00:00:00:01";
const VN2 = "52:54:00:00:00:02";
const FMT = ["--format", "{issuer}.{stream} -> {line}"];

/** vn1 is alice's, vn2 is free, sw1 is a switch. */
async function platform(s: TestServer): Promise<void> {
  await s.register({ mac: VN1, ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1", image: "alice/pc-x86-64-default:latest" });
  await s.register({ mac: VN2, ip: "192.168.152.12", type: "node", model: "pc-x86-64", virtual: true, name: "vn2" });
  await s.register({ mac: "aa:bb:cc:00:00:04", ip: "192.168.152.14", type: "switch", name: "sw1" });
}

/** A server on a fixed clock with a few records of vn1, vn2 and the server, 60 s to 10 s ago. */
async function withLogs() {
  const s = await startTestServer({ clock: manualClock(NOW) });
  await platform(s);
  await s.ctx.logs.ingest(VN1, "app.out", [{ line: "vn1 starting", tsUs: NOW - 60e6 }]);
  await s.ctx.logs.ingest(VN2, "app.out", [{ line: "vn2 starting", tsUs: NOW - 50e6 }]);
  await s.ctx.logs.ingest(VN1, "app.err", [{ line: "vn1 warning", tsUs: NOW - 40e6 }]);
  await s.ctx.logs.ingest(VN1, "app.out", [{ line: "vn1 done", tsUs: NOW - 20e6 }]);
  await s.ctx.logs.ingest(SERVER_MAC, "platform.test", [{ line: "hello from platform", tsUs: NOW - 15e6 }]);
  await s.ctx.logs.ingest(SERVER_MAC, "daemon.stdout", [{ line: "hello from daemon", tsUs: NOW - 10e6 }]);
  return s;
}

const ok = (out: string) => ({ code: 0, out, err: "" });
const failure = (err: string) => ({ code: 1, out: "", err });

describe("walt log show", () => {
  test("without --realtime nor --history it says one is needed and exits 1", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show"])).toEqual(failure(MSG_NEED_REALTIME_OR_HISTORY + "\n"));
  });

  test("--history full prints the records of the user's nodes by default, oldest first", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show", "--history", "full", ...FMT])).toEqual(
      ok("vn1.app.out -> vn1 starting\nvn1.app.err -> vn1 warning\nvn1.app.out -> vn1 done\n"),
    );
  });

  test("the default format shows the local time of each record with microseconds", async () => {
    await using s = await withLogs();
    const r = await s.cli("alice", ["log", "show", "--history", "full", "done"]);
    const t = new Date((NOW - 20e6) / 1000);
    const hms = [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
    expect(r).toEqual(ok(`${hms}.000000 vn1.app.out -> vn1 done\n`));
  });

  test("a format can show POSIX timestamps and Python conversions", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show", "--history", "full", "--format", "{timestamp:%s.%f} {line!r}", "done"])).toEqual(
      ok(`${(NOW - 20e6) / 1e6}.000000 'vn1 done'\n`),
    );
  });

  test("--issuers (or --emitters, --nodes) selects other devices, in time order across them", async () => {
    await using s = await withLogs();
    const expected = ok("vn1.app.out -> vn1 starting\nvn2.app.out -> vn2 starting\nvn1.app.err -> vn1 warning\nvn1.app.out -> vn1 done\n");
    expect(await s.cli("bob", ["log", "show", "--history", "full", "--issuers", "vn1,vn2", ...FMT])).toEqual(expected);
    expect(await s.cli("bob", ["log", "show", "--history", "full", "--nodes", "all-nodes", ...FMT])).toEqual(expected);
    expect(await s.cli("bob", ["log", "show", "--history", "full", "--emitters", "vn2", ...FMT])).toEqual(ok("vn2.app.out -> vn2 starting\n"));
  });

  test("a user without nodes is told no devices match", async () => {
    await using s = await withLogs();
    expect(await s.cli("bob", ["log", "show", "--history", "full"])).toEqual(failure("No matching devices found! (tip: walt help show node-ownership)\n"));
  });

  test("issuers must be the server or nodes", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show", "--history", "full", "--issuers", "vn1,sw1"])).toEqual(
      failure("Invalid value 'vn1,sw1'; allowed devices belong to 'server,all-nodes'\n"),
    );
    expect(await s.cli("alice", ["log", "show", "--history", "full", "--issuers", "nope"])).toEqual(failure("No device with name 'nope' found.\n"));
  });

  test("--streams and the line regexp are unanchored POSIX extended regexps", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show", "--history", "full", "--streams", "err$", ...FMT])).toEqual(ok("vn1.app.err -> vn1 warning\n"));
    expect(await s.cli("alice", ["log", "show", "--history", "full", ...FMT, "(start|don)[a-z]+"])).toEqual(
      ok("vn1.app.out -> vn1 starting\nvn1.app.out -> vn1 done\n"),
    );
  });

  test("--platform and --server select the server's platform and daemon streams", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show", "--history", "full", "--platform", ...FMT, "^hello"])).toEqual(
      ok("walt-server.platform.test -> hello from platform\n"),
    );
    expect(await s.cli("alice", ["log", "show", "--history", "full", "--server", ...FMT])).toEqual(ok("walt-server.daemon.stdout -> hello from daemon\n"));
  });

  test("--platform and --server exclude each other and the issuer and stream switches", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show", "--history", "full", "--platform", "--nodes", "vn1"])).toEqual({
      code: 2,
      out: "",
      err: "Given --platform, the following are invalid --issuers\nHint: walt log show --help\n",
    });
    const both = await s.cli("alice", ["log", "show", "--realtime", "--server", "--platform"]);
    expect(both.code).toBe(2);
    expect(both.err).toStartWith("Given --platform, the following are invalid --server\n");
  });

  test("invalid regexps are refused before contacting the server", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show", "--history", "full", "a("])).toEqual(failure("Invalid regular expression: a(.\n"));
    expect(await s.cli("alice", ["log", "show", "--history", "full", "--streams", "*x"])).toEqual(failure("Invalid regular expression: *x.\n"));
  });

  test("an invalid format string gives WALT's message", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show", "--history", "full", "--format", "{nope}"])).toEqual(failure(LOG_FORMAT_ERROR + "\n"));
  });

  test("relative bounds are computed from the server's time, both exclusive", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show", "--history", "-30s:", ...FMT])).toEqual(ok("vn1.app.out -> vn1 done\n"));
    expect(await s.cli("alice", ["log", "show", "--history", "-1m:-20s", ...FMT])).toEqual(ok("vn1.app.err -> vn1 warning\n"));
    expect(await s.cli("alice", ["log", "show", "--history", ":-30s", ...FMT])).toEqual(ok("vn1.app.out -> vn1 starting\nvn1.app.err -> vn1 warning\n"));
  });

  test("checkpoints of the user can bound the history", async () => {
    await using s = await withLogs();
    expect((await s.cli("alice", ["log", "add-checkpoint", "cp1", "--date", "-45s"])).code).toBe(0);
    expect((await s.cli("alice", ["log", "add-checkpoint", "cp2", "--date", "-30s"])).code).toBe(0);
    expect(await s.cli("alice", ["log", "show", "--history", "cp1:cp2", ...FMT])).toEqual(ok("vn1.app.err -> vn1 warning\n"));
    expect(await s.cli("alice", ["log", "show", "--history", "cp2:", ...FMT])).toEqual(ok("vn1.app.out -> vn1 done\n"));
  });

  test("an unknown checkpoint, a malformed range or a reversed range is refused", async () => {
    await using s = await withLogs();
    expect(await s.cli("alice", ["log", "show", "--history", "nope:"])).toEqual(failure(`Failed: no checkpoint with this name 'nope'.\n${INVALID_HISTORY_RANGE}\n`));
    expect(await s.cli("alice", ["log", "show", "--history", "yesterday"])).toEqual(failure(INVALID_HISTORY_RANGE + "\n"));
    expect(await s.cli("alice", ["log", "show", "--history", "-1m:-2m"])).toEqual(
      failure(`Issue with the HISTORY_RANGE specified: the starting point is newer than the ending point.\n${INVALID_HISTORY_RANGE}\n`),
    );
    expect((await s.cli("alice", ["log", "show", "--history", "-5x:"])).err).toStartWith("Invalid relative date.");
  });

  test("checkpoints are per user", async () => {
    await using s = await withLogs();
    expect((await s.cli("bob", ["log", "add-checkpoint", "cp1"])).code).toBe(0);
    expect((await s.cli("alice", ["log", "show", "--history", "cp1:"])).code).toBe(1);
  });
});

describe("walt log show on a terminal", () => {
  const tty = async (s: TestServer, argv: string[], input: string[]) => {
    const io = memoryIo({ tty: true, input, env: { WALT_CONFIG: await s.user("alice"), HOME: s.dir, WALT_PLAIN_PROMPTS: "1" } });
    const code = await runCli(argv, io, { fetch: async (url, init) => s.app.request(url, init) });
    return { code, out: io.out(), err: io.err() };
  };

  async function manyLogs(): Promise<TestServer> {
    const s = await withLogs();
    await s.ctx.logs.ingest(VN1, "bulk", Array.from({ length: 1001 }, (_, i) => ({ line: `bulk ${i}`, tsUs: NOW - 5e6 })));
    return s;
  }

  test("more than 1000 records from history ask for confirmation first", async () => {
    await using s = await manyLogs();
    expect(await tty(s, ["log", "show", "--history", "full", ...FMT], ["n"])).toEqual({
      code: 1,
      out: "This will display approximately 1004 log records from history.\nAre you sure? (y/n): \nAborted.\n",
      err: "",
    });
    const yes = await tty(s, ["log", "show", "--history", "full", ...FMT], ["y"]);
    expect(yes.code).toBe(0);
    expect(yes.out.split("\n").slice(0, 3)).toEqual(["This will display approximately 1004 log records from history.", "Are you sure? (y/n): OK.", ""]);
    expect(yes.out.split("\n").length).toBe(3 + 1004 + 1);
  });

  test("with a line regexp the records are not counted and no confirmation is asked", async () => {
    await using s = await manyLogs();
    const r = await tty(s, ["log", "show", "--history", "full", ...FMT, "bulk"], []);
    expect(r.code).toBe(0);
    expect(r.out.split("\n").length).toBe(1001 + 1);
  });
});

describe("walt log show --realtime", () => {
  async function start(s: TestServer, argv: string[]) {
    const io = memoryIo({ env: { WALT_CONFIG: await s.user("alice"), HOME: s.dir } });
    const subscribed = spyOn(s.ctx.logs, "subscribe");
    const running = runCli(argv, io, { fetch: async (url, init) => s.app.request(url, init) });
    await waitFor(() => subscribed.mock.calls.length > 0, "the realtime subscription");
    return { io, running };
  }

  test("new records are printed as they arrive, until Ctrl-C", async () => {
    await using s = await withLogs();
    const { io, running } = await start(s, ["log", "show", "--realtime", ...FMT]);
    await s.ctx.logs.ingest(VN2, "app.out", [{ line: "not mine" }]);
    await s.ctx.logs.ingest(VN1, "app.out", [{ line: "live 1" }]);
    await waitFor(() => io.out().includes("live 1"), "the first live record");
    await s.ctx.logs.ingest(VN1, "app.out", [{ line: "live 2" }]);
    await waitFor(() => io.out().includes("live 2"), "the second live record");
    io.interrupt();
    expect({ code: await running, out: io.out(), err: io.err() }).toEqual({
      code: 1,
      out: "vn1.app.out -> live 1\nvn1.app.out -> live 2\n\nAborted.\n",
      err: "",
    });
  });

  test("with --history, history comes first, then realtime records, each once", async () => {
    await using s = await withLogs();
    const { io, running } = await start(s, ["log", "show", "--realtime", "--history", "-30s:", ...FMT, "done|live"]);
    await waitFor(() => io.out().includes("vn1 done"), "the history part");
    await s.ctx.logs.ingest(VN1, "app.out", [{ line: "live" }]);
    await waitFor(() => io.out().includes("live"), "the live record");
    io.interrupt();
    expect(await running).toBe(1);
    expect(io.out()).toBe("vn1.app.out -> vn1 done\nvn1.app.out -> live\n\nAborted.\n");
  });
});
