/** Server start-up failures: clear one-line messages, no stack traces, nothing left locked. */
import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "../../src/log.ts";
import { WaltError } from "../../src/errors.ts";
import { resolveConfig } from "../../server/config/config.ts";
import { startServer } from "../../server/server.ts";
import { tempDir } from "../helpers/tmp.ts";

const quiet = createLogger({ write: () => undefined });

describe("server start", () => {
  test("a database locked by another process is reported clearly and the data dir is released", async () => {
    using dir = tempDir();
    const holder = new Database(join(dir.path, "walt.db"), { create: true });
    holder.exec("CREATE TABLE x (a)");
    holder.exec("BEGIN EXCLUSIVE");
    holder.exec("INSERT INTO x VALUES (1)");
    try {
      const err = await startServer(resolveConfig({}, { dataDir: dir.path, port: 0, listen: "127.0.0.1" }), quiet).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WaltError);
      expect((err as WaltError).message).toContain("is locked by another process");
      expect(existsSync(join(dir.path, "server.pid"))).toBe(false);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  }, 20_000);

  test("an unreachable PostgreSQL server gives one clear line", async () => {
    using dir = tempDir();
    const err = await startServer(resolveConfig({}, { dataDir: dir.path, port: 0, listen: "127.0.0.1", dbUrl: "postgres://walt:secret@127.0.0.1:1/walt" }), quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaltError);
    expect((err as WaltError).message).toStartWith("Cannot connect to the PostgreSQL database at postgres://walt:***@127.0.0.1:1/walt");
  }, 20_000);

  test("a busy port gives a clear message", async () => {
    using dir = tempDir();
    using dir2 = tempDir();
    const a = await startServer(resolveConfig({}, { dataDir: dir.path, port: 0, listen: "127.0.0.1" }), quiet);
    try {
      const err = await startServer(resolveConfig({}, { dataDir: dir2.path, port: a.port, listen: "127.0.0.1" }), quiet).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WaltError);
      expect((err as WaltError).message).toBe(`Cannot listen on 127.0.0.1:${a.port}: the address is already in use.`);
    } finally {
      await a.stop();
    }
  });

  test("stop is idempotent and releases the port", async () => {
    using dir = tempDir();
    const a = await startServer(resolveConfig({}, { dataDir: dir.path, port: 0, listen: "127.0.0.1" }), quiet);
    const port = a.port;
    await Promise.all([a.stop(), a.stop()]);
    const b = await startServer(resolveConfig({}, { dataDir: dir.path, port, listen: "127.0.0.1" }), quiet);
    await b.stop();
  });
});
