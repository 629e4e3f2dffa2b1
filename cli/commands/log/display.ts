/**
 * Stream a log query and print each record with the user's format (WALT start_display / start_streaming):
 * until the server ends the stream (history only), the stop test says so (`log wait`), the timeout fires,
 * or Ctrl-C.
 *
 * Stopping early aborts the request *before* closing the stream: the server's realtime loop wakes on the
 * abort, so closing never waits for a next record.
 */
import { queryLogs, type LogQuery } from "../../../src/api/logs.ts";
import { WaltError } from "../../../src/errors.ts";
import { LOG_FORMAT_ERROR, type LogRecord } from "../../../src/text/log-format.ts";
import type { ApiClient } from "../../client.ts";
import type { CliContext } from "../../context.ts";

export const TIMEOUT_REACHED = "Timeout was reached.";

export interface DisplayOptions {
  format: (rec: LogRecord) => string;
  /** Called after each printed record; true stops the display (success). */
  stop?: ((rec: LogRecord) => boolean) | undefined;
  /** Seconds; 0 or less waits forever (WALT arms its alarm only for a positive value). */
  timeoutS?: number | undefined;
}

const TIMED_OUT = Symbol("timeout");

function render(format: (rec: LogRecord) => string, rec: LogRecord): string {
  try {
    return format(rec);
  } catch (e) {
    throw new WaltError("USAGE", LOG_FORMAT_ERROR, { cause: e });
  }
}

/** Print the records of `query`; false (after `Timeout was reached.`) when the timeout fired. */
export async function displayLogs(ctx: CliContext, api: ApiClient, query: LogQuery, opts: DisplayOptions): Promise<boolean> {
  const ctl = new AbortController();
  const signal = AbortSignal.any([ctx.io.interrupted, ctl.signal]);
  const it = api.stream(queryLogs, query, signal);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout =
    opts.timeoutS !== undefined && opts.timeoutS > 0
      ? new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), (opts.timeoutS ?? 0) * 1000)))
      : undefined;
  try {
    for (;;) {
      const next = it.next();
      const r = timeout ? await Promise.race([next, timeout]) : await next;
      if (r === TIMED_OUT) {
        // the pending read ends when the request is aborted below
        next.catch(() => undefined);
        ctx.io.stdout.write(TIMEOUT_REACHED + "\n");
        return false;
      }
      if (r.done === true) return true;
      const ev = r.value;
      if (ev.kind !== "log") continue;
      const rec: LogRecord = { timestamp: ev.tsUs, issuer: ev.issuer, stream: ev.stream, line: ev.line };
      ctx.io.stdout.write(render(opts.format, rec) + "\n");
      if (opts.stop?.(rec) === true) return true;
    }
  } finally {
    clearTimeout(timer);
    ctl.abort();
    await it.return(undefined).catch(() => undefined);
  }
}
