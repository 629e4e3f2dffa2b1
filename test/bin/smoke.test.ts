/**
 * Layer 4 (model-codebases §4.14): the compiled binary, run from an empty directory without node_modules,
 * proves migrations and help topics are embedded, the roles dispatch, and the server stops cleanly.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDir } from "../helpers/tmp.ts";
import { ensureBinary, runBinary, startBinaryServer } from "../helpers/binary.ts";

beforeAll(async () => {
  await ensureBinary();
}, 120_000);

describe("compiled walt binary", () => {
  test("serves the CLI from an empty directory, then stops on SIGTERM with exit 0", async () => {
    using cwd = tempDir();
    using data = tempDir();
    const srv = await startBinaryServer(join(data.path, "d"), cwd.path);
    const env = { WALT_SERVER: srv.url, WALT_USER: "smoke", WALT_CONFIG: join(cwd.path, "client.conf"), HOME: cwd.path };
    const r = await runBinary(["node", "show"], env, cwd.path);
    expect(r.err).toBe("");
    expect(r.out).toContain("Configuration was updated in");
    expect(r.out).toContain("You currently do not own any nodes.");
    expect(r.code).toBe(0);
    const h = await runBinary(["help", "show", "help-intro"], env, cwd.path);
    expect(h.code).toBe(0);
    expect(h.out.toLowerCase()).toContain("walt");
    srv.proc.kill("SIGTERM");
    const t0 = Date.now();
    expect(await srv.proc.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 60_000);

  test("refuses a second server on the same data directory with a clear message", async () => {
    using cwd = tempDir();
    using data = tempDir();
    const first = await startBinaryServer(data.path, cwd.path);
    const second = await runBinary(["server", "--data-dir", data.path, "--port", "0", "--listen", "127.0.0.1"], {}, cwd.path);
    expect(second.code).toBe(1);
    expect(second.err).toContain("Another walt server");
    expect(second.err).not.toContain("    at ");
    first.proc.kill("SIGTERM");
    expect(await first.proc.exited).toBe(0);
  }, 60_000);

  test("restarts after being killed, with its database intact", async () => {
    using cwd = tempDir();
    using data = tempDir();
    const env = { WALT_USER: "alice", WALT_CONFIG: join(cwd.path, "client.conf"), HOME: cwd.path };
    const a = await startBinaryServer(data.path, cwd.path);
    expect((await runBinary(["log", "add-checkpoint", "before-kill"], { ...env, WALT_SERVER: a.url }, cwd.path)).code).toBe(0);
    a.proc.kill("SIGKILL");
    await a.proc.exited;
    const b = await startBinaryServer(data.path, cwd.path);
    const list = await runBinary(["log", "list-checkpoints"], { ...env, WALT_SERVER: b.url }, cwd.path);
    expect(list.out).toContain("before-kill");
    expect(list.code).toBe(0);
    b.proc.kill("SIGTERM");
    expect(await b.proc.exited).toBe(0);
  }, 60_000);

  test("reports a corrupt database at start without a stack trace", async () => {
    using cwd = tempDir();
    using data = tempDir();
    await Bun.write(join(data.path, "walt.db"), "this is not a database, just text ".repeat(200));
    const r = await runBinary(["server", "--data-dir", data.path, "--port", "0", "--listen", "127.0.0.1"], {}, cwd.path);
    expect(r.code).toBe(1);
    expect(r.err).toContain("is corrupt or is not a WALT database");
    expect(r.err).not.toContain("    at ");
  }, 60_000);

  test("the agent role prints its version and boot steps", async () => {
    using cwd = tempDir();
    const r = await runBinary(["agent"], {}, cwd.path);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^walt agent \d+\.\d+\.\d+/);
    expect(r.out).toContain("hand over to the image's /sbin/init");
  }, 30_000);

  test("an unreachable server gives WALT's one-line message and exit 1", async () => {
    using cwd = tempDir();
    const r = await runBinary(["node", "show"], { WALT_SERVER: "127.0.0.1:1", WALT_USER: "x", WALT_CONFIG: join(cwd.path, "c.conf"), HOME: cwd.path }, cwd.path);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe("Network connection to WalT server failed!");
  }, 30_000);
});
