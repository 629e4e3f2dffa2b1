/**
 * General CLI behaviour (WALT §1.1): root and category help, argv errors (exit 2 with a one-line message
 * and a hint), Ctrl-C, unreachable server, version skew, and the first-contact configuration flow.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../cli/main.ts";
import { memoryIo } from "../../cli/ui/io.ts";
import { startTestServer } from "../helpers/server.ts";
import { tempDir } from "../helpers/tmp.ts";

describe("walt CLI framework", () => {
  test("with no arguments prints the categories in WALT's order", async () => {
    const io = memoryIo();
    expect(await runCli([], io)).toBe(0);
    const cats = io.out().split("Categories:\n")[1]?.trim().split("\n").map((l) => l.trim().split(/\s+/)[0]);
    expect(cats).toEqual(["image", "node", "log", "device", "advanced", "help"]);
    expect(io.out()).toContain("WalT platform control tool.");
  });

  test("an unknown category exits 2 with a hint", async () => {
    const io = memoryIo();
    expect(await runCli(["nodes"], io)).toBe(2);
    expect(io.err()).toBe("Unknown category 'nodes'.\nHint: walt --help\n");
  });

  test("an unknown switch exits 2 with a one-line message and a hint", async () => {
    await using s = await startTestServer();
    const r = await s.cli("alice", ["node", "show", "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("Unknown switch --bogus\nHint: walt node show --help\n");
    expect(r.out).toBe("");
  });

  test("Ctrl-C while waiting prints Aborted. and exits 1", async () => {
    await using s = await startTestServer();
    await s.user("alice");
    const io = memoryIo({ env: { WALT_CONFIG: join(s.dir, "client-alice.conf"), HOME: s.dir } });
    let release: (() => void) | undefined;
    const hang = new Promise<void>((r) => (release = r));
    const running = runCli(["node", "show"], io, {
      fetch: async (url, init) => {
        io.interrupt();
        await hang;
        return s.app.request(url, init);
      },
    });
    expect(await running).toBe(1);
    release?.();
    expect(io.out()).toBe("\nAborted.\n");
  });

  test("an unreachable server prints WALT's message and exits 1", async () => {
    using d = tempDir();
    const io = memoryIo({ env: { WALT_CONFIG: join(d.path, "c.conf"), WALT_SERVER: "127.0.0.1:1", WALT_USER: "bob", HOME: d.path } });
    expect(await runCli(["node", "show"], io)).toBe(1);
    expect(io.err()).toBe("Network connection to WalT server failed!\n");
  });

  test("a server answering garbage gives WALT's protocol message", async () => {
    await using s = await startTestServer();
    const path = await s.user("alice");
    const io = memoryIo({ env: { WALT_CONFIG: path, HOME: s.dir } });
    const code = await runCli(["node", "show"], io, { fetch: async () => new Response("{\"nodes\": 3}") });
    expect(code).toBe(1);
    expect(io.err()).toStartWith("Issue occured while communicating with WalT server!\n");
  });

  test("a new user is asked for the server and a name, then gets a token saved with mode 0600", async () => {
    await using s = await startTestServer();
    const path = join(s.dir, "fresh", "config");
    const io = memoryIo({ input: ["walt.test", "carol"], env: { WALT_CONFIG: path, HOME: s.dir } });
    const code = await runCli(["node", "show"], io, { fetch: async (url, init) => s.app.request(url, init) });
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    expect(io.out()).toContain("You are a new user of this WalT platform, and this command requires a few configuration items.");
    expect(io.out()).toContain("IP or hostname of WalT server: ");
    expect(io.out()).toContain("Please choose a username for this walt platform: ");
    expect(io.out()).toContain("Testing provided configuration... OK.");
    expect(io.out()).toContain(`Configuration was updated in ${path}.`);
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8")).toMatch(/token: "[A-Za-z0-9_-]{20,}"/);
  });

  test("a configuration without a terminal to ask from fails with a hint", async () => {
    await using s = await startTestServer();
    const io = memoryIo({ env: { WALT_CONFIG: join(s.dir, "none.conf"), HOME: s.dir } });
    expect(await runCli(["node", "show"], io, { fetch: async (url, init) => s.app.request(url, init) })).toBe(1);
    expect(io.err()).toContain("The walt client is not configured and no terminal is available to ask for the settings.");
    expect(io.err()).toContain("Hint: set WALT_SERVER and WALT_USER");
  });
});
