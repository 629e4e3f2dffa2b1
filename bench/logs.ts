/**
 * WALT logs: ingestion rate through the hub into the embedded database (goal ≥ 100 000 lines/s), then
 * history queries over the resulting 1 M lines (goal < 1 s).
 */
import { systemClock } from "../src/clock.ts";
import { silentLogger } from "../src/log.ts";
import { openDb } from "../server/db/db.ts";
import { LogHub } from "../server/logs/hub.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TOTAL = 1_000_000;
const ISSUERS = 50;

export async function benchLogs(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "walt-bench-logs-"));
  const db = await openDb({ kind: "sqlite", path: join(dir, "walt.db") });
  try {
    for (let i = 0; i < ISSUERS; i++) await db.orm.insert(db.t.devices).values({ mac: `m${i}`, name: `node${i}`, type: "node", createdUs: 0 });
    const hub = await LogHub.open(db, systemClock, silentLogger);
    const t0 = performance.now();
    const chunk = 1000;
    for (let i = 0; i < TOTAL; i += chunk) {
      const lines = Array.from({ length: chunk }, (_, j) => ({ line: `line ${i + j} of the benchmark, with some payload text` }));
      await hub.ingest(`m${(i / chunk) % ISSUERS}`, (i / chunk) % 10 === 0 ? "console" : "app.events", lines);
    }
    await hub.flush();
    const ingestS = (performance.now() - t0) / 1000;
    const rate = TOTAL / ingestS;

    // One issuer's app stream over the whole history (≈ 18 000 rows out of 1 M).
    const q1 = performance.now();
    let n1 = 0;
    for await (const b of hub.history({ issuerMacs: new Set(["m7"]), streamRe: /^app/ }, {})) n1 += b.length;
    const oneIssuerMs = performance.now() - q1;
    // A regexp on lines over every row (the worst case: every row read and tested).
    const q2 = performance.now();
    let n2 = 0;
    for await (const b of hub.history({ lineRe: /line 99999\d / }, {})) n2 += b.length;
    const regexAllMs = performance.now() - q2;
    await hub.close();
    console.log(`log ingestion: ${TOTAL} lines in ${ingestS.toFixed(2)} s = ${Math.round(rate)} lines/s (goal >= 100000)`);
    console.log(`history query, one issuer+stream over 1M lines: ${n1} rows in ${oneIssuerMs.toFixed(0)} ms (goal < 1000 ms)`);
    console.log(`history query, line regexp over all 1M lines: ${n2} rows in ${regexAllMs.toFixed(0)} ms (goal < 1000 ms)`);
    return { linesPerS: rate, oneIssuerMs, regexAllMs };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchLogs();
