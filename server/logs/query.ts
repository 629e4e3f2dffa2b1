/**
 * `walt log show` / `walt log wait` on the server: history first, then realtime, as one event stream
 * (WALT §5.3). Records arriving while history is read are buffered and sent after it, once each.
 */
import type { LogEvent, LogQuery } from "../../src/api/logs.ts";
import { compileEre } from "../../src/text/ere.ts";
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "../devices/repo.ts";
import { resolveSet } from "../devices/sets.ts";
import type { LogFilter, LogRecord } from "./record.ts";

export const ISSUERS_ALLOWED = "server,all-nodes";

/** Build a filter from the query's issuers and regexps (errors are WALT's messages). */
export async function buildFilter(ctx: ServerContext, user: string, q: { issuers?: string | undefined; streams?: string | undefined; line?: string | undefined }): Promise<{ filter: LogFilter; names: Map<string, string> }> {
  const all = await new DeviceRepo(ctx.db).all();
  const issuers = resolveSet(all, user, q.issuers, { allowed: ISSUERS_ALLOWED, allowEmpty: true });
  const filter: LogFilter = {
    issuerMacs: new Set(issuers.map((d) => d.mac)),
    streamRe: q.streams ? compileEre(q.streams) : undefined,
    lineRe: q.line ? compileEre(q.line) : undefined,
  };
  return { filter, names: new Map(all.map((d) => [d.mac, d.name])) };
}

/** A bounded async queue fed synchronously by the realtime subscription. */
class Feed {
  private items: LogRecord[] = [];
  private wake: (() => void) | undefined;
  push = (r: LogRecord): void => {
    this.items.push(r);
    this.wake?.();
  };
  take(): LogRecord[] {
    const out = this.items;
    this.items = [];
    return out;
  }
  wait(signal: AbortSignal): Promise<void> {
    if (this.items.length || signal.aborted) return Promise.resolve();
    return new Promise((res) => {
      const done = (): void => {
        this.wake = undefined;
        signal.removeEventListener("abort", done);
        res();
      };
      this.wake = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

/** Run a query; the iterable ends with history (no realtime) or when `signal` aborts. */
export async function queryLogs(ctx: ServerContext, user: string, q: LogQuery, signal: AbortSignal): Promise<AsyncIterable<LogEvent>> {
  const { filter, names } = await buildFilter(ctx, user, q);
  const feed = new Feed();
  const sub = q.realtime ? ctx.logs.subscribe(filter, feed.push) : undefined;
  const toEvent = (r: LogRecord): LogEvent => ({ kind: "log", tsUs: r.tsUs, issuer: names.get(r.issuerMac) ?? r.issuerMac, stream: r.stream, line: r.line });
  async function* run(): AsyncGenerator<LogEvent> {
    try {
      if (q.history) {
        const bounds = { fromUs: q.history.fromUs ?? undefined, toUs: q.history.toUs ?? undefined, beforeId: sub?.beforeId };
        for await (const block of ctx.logs.history(filter, bounds)) {
          if (signal.aborted) return;
          for (const r of block) yield toEvent(r);
        }
        if (sub) yield { kind: "history-end" };
      }
      if (!sub) return;
      while (!signal.aborted) {
        await feed.wait(signal);
        for (const r of feed.take()) {
          if (!names.has(r.issuerMac)) {
            const d = await new DeviceRepo(ctx.db).byMac(r.issuerMac);
            if (d) names.set(d.mac, d.name);
          }
          yield toEvent(r);
        }
      }
    } finally {
      sub?.close();
    }
  }
  return run();
}
