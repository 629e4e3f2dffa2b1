/**
 * WALT logs in the server: ingestion with batching (WALT: 512 records or 0.3 s), realtime fan-out,
 * and history-then-realtime queries without duplicates or gaps.
 *
 * Every record gets its id when it is ingested, so a query started at time T reads history rows with
 * id < nextId(T) from the database and receives every later record through its realtime subscription.
 */
import type { Clock } from "../../src/clock.ts";
import type { Logger } from "../../src/log.ts";
import type { Db } from "../db/db.ts";
import { matches, type LogFilter, type LogRecord } from "./record.ts";
import { LogStore, type HistoryBounds } from "./store.ts";

export const BATCH_SIZE = 512;
export const BATCH_DELAY_MS = 300;
/** Provided timestamps outside [now − 10 years, now + 1 s] are replaced by the reception time (WALT §5.2). */
const TEN_YEARS_US = 10 * 365.25 * 86400 * 1e6;

type Subscriber = { filter: LogFilter; push(r: LogRecord): void };

export class LogHub {
  readonly store: LogStore;
  private nextId = 1;
  private pending: LogRecord[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly subscribers = new Set<Subscriber>();
  private readonly streamIds = new Map<string, number>();
  private closed = false;

  private constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.store = new LogStore(db);
  }

  /** Open the hub: ids continue after the highest stored one. */
  static async open(db: Db, clock: Clock, log: Logger): Promise<LogHub> {
    const hub = new LogHub(db, clock, log);
    hub.nextId = (await hub.store.maxId()) + 1;
    return hub;
  }

  /** Resolve (and cache) the stream id of (issuer, stream). */
  async streamId(issuerMac: string, stream: string, mode: "line" | "chunk" = "line"): Promise<number> {
    const key = `${issuerMac}\u0000${stream}`;
    const cached = this.streamIds.get(key);
    if (cached !== undefined) return cached;
    const id = await this.store.streamId(issuerMac, stream, mode);
    this.streamIds.set(key, id);
    return id;
  }

  /** Forget cached stream ids of a device (after `walt device forget`). */
  forgetIssuer(issuerMac: string): void {
    for (const k of [...this.streamIds.keys()]) if (k.startsWith(issuerMac + "\u0000")) this.streamIds.delete(k);
  }

  /** Ingest lines of one stream. `tsUs` per line is optional (server time when absent or insane). */
  async ingest(issuerMac: string, stream: string, lines: readonly { line: string; tsUs?: number | undefined }[]): Promise<void> {
    if (this.closed) return;
    const streamId = await this.streamId(issuerMac, stream);
    const now = this.clock.nowUs();
    for (const l of lines) {
      const ts = l.tsUs !== undefined && l.tsUs >= now - TEN_YEARS_US && l.tsUs <= now + 1e6 ? l.tsUs : now;
      this.add({ id: this.nextId++, streamId, issuerMac, stream, tsUs: ts, line: l.line });
    }
  }

  private add(r: LogRecord): void {
    this.pending.push(r);
    for (const s of this.subscribers) if (matches(s.filter, r)) s.push(r);
    if (this.pending.length >= BATCH_SIZE) this.scheduleFlush(0);
    else this.scheduleFlush(BATCH_DELAY_MS);
  }

  private scheduleFlush(delayMs: number): void {
    if (delayMs === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  /** Write every pending record to the database; resolves when they are stored. Never rejects. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.store.insert(batch);
      } catch (e) {
        // A failing batch must not stop ingestion; it is reported once per batch.
        this.log.error("logs: batch insert failed", { count: batch.length, error: e instanceof Error ? e.message : String(e) });
      }
    });
    return this.flushing;
  }

  /**
   * Subscribe to realtime records matching `filter`. Returns the id bound below which history must be
   * read from the database, and an unsubscribe function. Records are pushed synchronously at ingestion.
   */
  subscribe(filter: LogFilter, push: (r: LogRecord) => void): { beforeId: number; close(): void } {
    const sub: Subscriber = { filter, push };
    this.subscribers.add(sub);
    return { beforeId: this.nextId, close: () => void this.subscribers.delete(sub) };
  }

  /** History rows as complete records, in time order. Flushes pending records first. */
  async *history(filter: LogFilter, bounds: HistoryBounds): AsyncGenerator<LogRecord[]> {
    await this.flush();
    const all = await this.store.streams();
    const streams = await this.store.matchingStreams(filter);
    const byId = new Map(streams.map((s) => [s.id, s]));
    const allStreams = streams.length === all.length;
    for await (const block of this.store.history(bounds, [...byId.keys()], filter.lineRe, allStreams)) {
      yield block.map((r) => {
        const s = byId.get(r.streamId);
        return { ...r, issuerMac: s?.issuerMac ?? "", stream: s?.name ?? "" };
      });
    }
  }

  /** Count history records (console streams of the filter honoured). */
  async count(filter: LogFilter, bounds: HistoryBounds): Promise<number> {
    await this.flush();
    const streams = await this.store.matchingStreams(filter);
    return this.store.count(bounds, streams.map((s) => s.id));
  }

  /** Stop accepting records, flush what is pending. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.subscribers.clear();
    await this.flush();
  }
}
