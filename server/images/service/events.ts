/**
 * Turn work that reports as it goes (callbacks) into the async iterable a streaming endpoint answers:
 * events are queued until read, and the work's failure ends the iteration with its error. Byte progress is
 * throttled (at most one event per blob every `everyMs`, plus its completion) so the queue stays small.
 */
import type { ImageEvent } from "../../../src/api/images.ts";
import type { Progress } from "../registry/types.ts";

export type Emit<T> = (event: T) => void;

/** Run `work` now; iterate its events. Stopping the iteration early aborts `work` through its signal. */
export function eventsOf<T>(work: (emit: Emit<T>, signal: AbortSignal) => Promise<void>, outer?: AbortSignal): AsyncIterable<T> {
  const queue: T[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const stop = new AbortController();
  const signal = outer ? AbortSignal.any([outer, stop.signal]) : stop.signal;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  work((e) => {
    queue.push(e);
    notify();
  }, signal).then(
    () => {
      finished = true;
      notify();
    },
    (error: unknown) => {
      finished = true;
      failure = { error };
      notify();
    },
  );
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const next = queue.shift();
          if (next !== undefined) {
            yield next;
            continue;
          }
          if (finished) {
            if (failure) throw failure.error;
            return;
          }
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        if (!finished) stop.abort(new Error("the client went away"));
      }
    },
  };
}

/** A registry progress callback emitting throttled `progress` events (manifests are not reported). */
export function progressEvents(emit: Emit<ImageEvent>, everyMs = 100, now: () => number = Date.now): (p: Progress) => void {
  const last = new Map<string, { at: number; bytes: number }>();
  return (p) => {
    if (p.phase === "manifest") return;
    const prev = last.get(p.digest);
    if (prev?.bytes === p.bytes) return;
    const t = now();
    if (p.bytes < p.total && prev !== undefined && t - prev.at < everyMs) return;
    last.set(p.digest, { at: t, bytes: p.bytes });
    emit({ kind: "progress", digest: p.digest, bytes: p.bytes });
  };
}
