import { describe, expect, test } from "bun:test";
import { manualClock } from "../../src/clock.ts";
import { silentLogger } from "../../src/log.ts";
import { openDb } from "../db/db.ts";
import { LogHub, BATCH_SIZE } from "./hub.ts";
import type { LogRecord } from "./record.ts";

async function setup() {
  const db = await openDb({ kind: "sqlite", path: ":memory:" });
  await db.orm.insert(db.t.devices).values({ mac: "m1", name: "n1", type: "node", createdUs: 0 });
  await db.orm.insert(db.t.devices).values({ mac: "m2", name: "n2", type: "node", createdUs: 0 });
  const clock = manualClock(1_800_000_000_000_000);
  const hub = await LogHub.open(db, clock, silentLogger);
  return { db, clock, hub };
}

async function collect(it: AsyncIterable<LogRecord[]>): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const b of it) out.push(...b);
  return out;
}

describe("log hub", () => {
  test("history returns ingested lines in time order with exclusive bounds", async () => {
    const { hub, clock } = await setup();
    await hub.ingest("m1", "s", [{ line: "a" }]);
    clock.advance(10);
    await hub.ingest("m2", "s", [{ line: "b" }]);
    clock.advance(10);
    await hub.ingest("m1", "t", [{ line: "c" }]);
    const all = await collect(hub.history({}, {}));
    expect(all.map((r) => r.line)).toEqual(["a", "b", "c"]);
    const t0 = all[0]?.tsUs ?? 0;
    const mid = await collect(hub.history({}, { fromUs: t0, toUs: t0 + 20 }));
    expect(mid.map((r) => r.line)).toEqual(["b"]);
  });

  test("filters by issuer, stream regexp and line regexp", async () => {
    const { hub } = await setup();
    await hub.ingest("m1", "app.x", [{ line: "hello" }, { line: "bye" }]);
    await hub.ingest("m2", "app.x", [{ line: "hello" }]);
    await hub.ingest("m1", "other", [{ line: "hello" }]);
    const r = await collect(hub.history({ issuerMacs: new Set(["m1"]), streamRe: /^app/, lineRe: /hel/ }, {}));
    expect(r.map((x) => [x.issuerMac, x.stream, x.line])).toEqual([["m1", "app.x", "hello"]]);
  });

  test("a query started mid-ingestion sees each record exactly once, history then realtime", async () => {
    const { hub } = await setup();
    await hub.ingest("m1", "s", [{ line: "h1" }, { line: "h2" }]);
    const live: LogRecord[] = [];
    const sub = hub.subscribe({}, (r) => live.push(r));
    await hub.ingest("m1", "s", [{ line: "r1" }]);
    const hist = await collect(hub.history({}, { beforeId: sub.beforeId }));
    sub.close();
    expect(hist.map((r) => r.line)).toEqual(["h1", "h2"]);
    expect(live.map((r) => r.line)).toEqual(["r1"]);
  });

  test("batches are written when full, and on close", async () => {
    const { hub, db } = await setup();
    await hub.ingest("m1", "s", Array.from({ length: BATCH_SIZE + 3 }, (_, i) => ({ line: `l${i}` })));
    await hub.close();
    const n = db.sqlite?.query<{ n: number }, []>("SELECT count(*) AS n FROM logs").get()?.n;
    expect(n).toBe(BATCH_SIZE + 3);
  });

  test("provided timestamps far in the past or future are replaced by the reception time", async () => {
    const { hub, clock } = await setup();
    const now = clock.nowUs();
    await hub.ingest("m1", "s", [{ line: "old", tsUs: 1000 }, { line: "future", tsUs: now + 5e6 }, { line: "ok", tsUs: now - 5e6 }]);
    const r = await collect(hub.history({}, {}));
    expect(r.map((x) => [x.line, x.tsUs])).toEqual([["ok", now - 5e6], ["old", now], ["future", now]]);
  });

  test("ids continue after the stored ones when the hub is reopened", async () => {
    const { hub, db, clock } = await setup();
    await hub.ingest("m1", "s", [{ line: "a" }]);
    await hub.flush();
    const again = await LogHub.open(db, clock, silentLogger);
    await again.ingest("m1", "s", [{ line: "b" }]);
    const r = await collect(again.history({}, {}));
    expect(r.map((x) => x.id)).toEqual([1, 2]);
  });
});
