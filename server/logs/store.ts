/**
 * Database side of WALT logs: stream ids, batched inserts and history queries.
 * SQLite uses a raw prepared statement inside one transaction per batch (the ingestion hot path);
 * PostgreSQL uses multi-row inserts through drizzle.
 */
import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../db/db.ts";
import type { LogFilter, LogRecord } from "./record.ts";

export interface StreamInfo {
  id: number;
  issuerMac: string;
  name: string;
}

/** Time bounds of a history query, exclusive on both sides as in WALT (`start < ts < end`). */
export interface HistoryBounds {
  fromUs?: number | undefined;
  toUs?: number | undefined;
  /** Only rows with id < beforeId (rows ingested before a realtime subscription started). */
  beforeId?: number | undefined;
}

const PG_CHUNK = 1000;

export class LogStore {
  constructor(private readonly db: Db) {}

  /** Highest log id in the database (0 when empty). */
  async maxId(): Promise<number> {
    const t = this.db.t.logs;
    const rows = await this.db.orm.select({ m: sql<number | null>`max(${t.id})` }).from(t);
    return Number(rows[0]?.m ?? 0);
  }

  /** Find or create the stream (issuer, name). */
  async streamId(issuerMac: string, name: string, mode: "line" | "chunk" = "line"): Promise<number> {
    const t = this.db.t.logstreams;
    const found = await this.db.orm
      .select({ id: t.id })
      .from(t)
      .where(and(eq(t.issuerMac, issuerMac), eq(t.name, name)));
    if (found[0]) return found[0].id;
    const ins = await this.db.orm
      .insert(t)
      .values({ issuerMac, name, mode })
      .onConflictDoNothing()
      .returning({ id: t.id });
    if (ins[0]) return ins[0].id;
    return this.streamId(issuerMac, name, mode);
  }

  /** All streams (for filtering by stream regexp and naming issuers). */
  async streams(): Promise<StreamInfo[]> {
    const t = this.db.t.logstreams;
    return this.db.orm.select({ id: t.id, issuerMac: t.issuerMac, name: t.name }).from(t);
  }

  /** Insert a batch of records, atomically. */
  async insert(batch: readonly LogRecord[]): Promise<void> {
    if (batch.length === 0) return;
    const raw = this.db.sqlite;
    if (raw) {
      const stmt = raw.prepare("INSERT INTO logs (id, stream_id, ts_us, line) VALUES (?, ?, ?, ?)");
      raw.transaction((rows: readonly LogRecord[]) => {
        for (const r of rows) stmt.run(r.id, r.streamId, r.tsUs, r.line);
      })(batch);
      return;
    }
    const t = this.db.t.logs;
    for (let i = 0; i < batch.length; i += PG_CHUNK) {
      const rows = batch.slice(i, i + PG_CHUNK).map((r) => ({ id: r.id, streamId: r.streamId, tsUs: r.tsUs, line: r.line }));
      await this.db.orm.insert(t).values(rows);
    }
  }

  /**
   * History rows in time order, in blocks (keyset pagination on (ts, id)), filtered by stream in SQL and
   * by line regexp in JS. `streamIds` is the precomputed set of matching streams; `allStreams` says it
   * covers every stream, so the SQL filter can be dropped and the time index used alone.
   */
  async *history(
    bounds: HistoryBounds,
    streamIds: readonly number[],
    lineRe: RegExp | undefined,
    allStreams = false,
    block = 5000,
  ): AsyncGenerator<Pick<LogRecord, "id" | "streamId" | "tsUs" | "line">[]> {
    if (streamIds.length === 0) return;
    const page = this.db.sqlite ? this.sqlitePage(bounds, streamIds, allStreams, block) : this.ormPage(bounds, streamIds, allStreams, block);
    let cursor: { ts: number; id: number } | undefined;
    for (;;) {
      const rows = await page(cursor);
      const last = rows[rows.length - 1];
      if (!last) return;
      cursor = { ts: last.tsUs, id: last.id };
      const out = lineRe ? rows.filter((r) => lineRe.test(r.line)) : rows;
      if (out.length) yield out;
      if (rows.length < block) return;
    }
  }

  private sqlitePage(bounds: HistoryBounds, streamIds: readonly number[], allStreams: boolean, block: number) {
    const raw = this.db.sqlite;
    if (!raw) throw new Error("sqlite handle missing");
    // `ts_us >= ? AND (ts_us > ? OR id > ?)` keeps the (ts_us, rowid) order of index logs_ts usable.
    const conds = ["ts_us >= ?1 AND (ts_us > ?1 OR id > ?2)"];
    if (!allStreams) conds.push(`stream_id IN (${streamIds.map((n) => Number(n)).join(",")})`);
    if (bounds.fromUs !== undefined) conds.push(`ts_us > ${Number(bounds.fromUs)}`);
    if (bounds.toUs !== undefined) conds.push(`ts_us < ${Number(bounds.toUs)}`);
    if (bounds.beforeId !== undefined) conds.push(`id < ${Number(bounds.beforeId)}`);
    const stmt = raw.prepare<{ id: number; stream_id: number; ts_us: number; line: string }, [number, number]>(
      `SELECT id, stream_id, ts_us, line FROM logs INDEXED BY logs_ts WHERE ${conds.join(" AND ")} ORDER BY ts_us, id LIMIT ${block}`,
    );
    return async (c: { ts: number; id: number } | undefined) =>
      stmt.values(c?.ts ?? Number.MIN_SAFE_INTEGER, c?.id ?? 0).map((v) => ({
        id: Number(v[0]),
        streamId: Number(v[1]),
        tsUs: Number(v[2]),
        line: String(v[3]),
      }));
  }

  private ormPage(bounds: HistoryBounds, streamIds: readonly number[], allStreams: boolean, block: number) {
    const t = this.db.t.logs;
    return async (c: { ts: number; id: number } | undefined) => {
      const conds = [];
      if (!allStreams) conds.push(inArray(t.streamId, [...streamIds]));
      if (bounds.fromUs !== undefined) conds.push(gt(t.tsUs, bounds.fromUs));
      if (bounds.toUs !== undefined) conds.push(lt(t.tsUs, bounds.toUs));
      if (bounds.beforeId !== undefined) conds.push(lt(t.id, bounds.beforeId));
      if (c) conds.push(sql`${t.tsUs} >= ${c.ts} AND (${t.tsUs} > ${c.ts} OR ${t.id} > ${c.id})`);
      const rows = await this.db.orm
        .select({ id: t.id, streamId: t.streamId, tsUs: t.tsUs, line: t.line })
        .from(t)
        .where(and(...conds))
        .orderBy(asc(t.tsUs), asc(t.id))
        .limit(block);
      return rows.map((r) => ({ ...r, tsUs: Number(r.tsUs), id: Number(r.id) }));
    };
  }

  /** Count history rows (for WALT's "approximately N log records" confirmation). */
  async count(bounds: HistoryBounds, streamIds: readonly number[]): Promise<number> {
    if (streamIds.length === 0) return 0;
    const t = this.db.t.logs;
    const conds = [inArray(t.streamId, [...streamIds])];
    if (bounds.fromUs !== undefined) conds.push(gt(t.tsUs, bounds.fromUs));
    if (bounds.toUs !== undefined) conds.push(lt(t.tsUs, bounds.toUs));
    const rows = await this.db.orm.select({ n: sql<number>`count(*)` }).from(t).where(and(...conds));
    return Number(rows[0]?.n ?? 0);
  }

  /** Number of log lines of a device, console streams excluded (for `walt device forget`). */
  async countForIssuer(issuerMac: string): Promise<number> {
    const streams = (await this.streams()).filter((s) => s.issuerMac === issuerMac && !s.name.endsWith("console"));
    return this.count({}, streams.map((s) => s.id));
  }

  /** Streams matching a filter's issuer and stream parts. */
  async matchingStreams(f: LogFilter): Promise<StreamInfo[]> {
    return (await this.streams()).filter(
      (s) =>
        (!f.issuerMacs || f.issuerMacs.has(s.issuerMac)) &&
        (!f.excludeConsoles || !s.name.endsWith("console")) &&
        (!f.streamRe || f.streamRe.test(s.name)),
    );
  }
}
