/**
 * The same platform on PostgreSQL (large platforms): migrations, devices, settings, logs and checkpoints
 * through the real CLI, against a private cluster started from Debian's package by the test itself.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPostgres, freshDatabase, type TestPostgres } from "../helpers/postgres.ts";
import { startTestServer, SERVER_MAC } from "../helpers/server.ts";
import { openDb } from "../../server/db/db.ts";
import { migrate } from "../../server/db/migrate.ts";

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg[Symbol.asyncDispose]();
});

describe("PostgreSQL backend", () => {
  test("applies migrations once and records them", async () => {
    const url = await freshDatabase(pg.url);
    const db = await openDb({ kind: "pg", url });
    expect(await migrate(db)).toEqual([]);
    const rows = (await db.pg?.unsafe("SELECT id FROM walt_migrations")) as { id: string }[];
    expect(rows.map((r) => r.id)).toEqual(["0001_init"]);
    await db.close();
  });

  test("runs node show, config and logs through the CLI like SQLite does", async () => {
    await using s = await startTestServer({ pg: await freshDatabase(pg.url) });
    await s.register({ mac: "52:54:00:00:00:11", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
    const show = await s.cli("alice", ["node", "show", "--all"]);
    expect(show.code).toBe(0);
    expect(show.out).toContain("The following nodes are currently free:");
    expect(show.out).toContain("vn1");
    const set = await s.cli("alice", ["node", "config", "vn1", "ram=1G", "boot.timeout=none"]);
    expect(set.err).toBe("");
    expect(set.code).toBe(0);
    const get = await s.cli("alice", ["node", "config", "vn1"]);
    expect(get.out).toContain("ram=1G");
    expect(get.out).toContain("boot.timeout=none");
    await s.ctx.logs.ingest(SERVER_MAC, "platform.test", [{ line: "hello from pg" }]);
    const logs = await s.cli("alice", ["log", "show", "--platform", "--history", "full"]);
    expect(logs.code).toBe(0);
    expect(logs.out).toContain("walt-server.platform.test -> hello from pg");
    expect((await s.cli("alice", ["log", "add-checkpoint", "cp1"])).code).toBe(0);
    expect((await s.cli("alice", ["log", "list-checkpoints"])).out).toContain("cp1");
  }, 60_000);
});
