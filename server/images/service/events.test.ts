import { describe, expect, test } from "bun:test";
import type { ImageEvent } from "../../../src/api/images.ts";
import { eventsOf, progressEvents } from "./events.ts";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe("eventsOf", () => {
  test("yields the events in order, emitted before or after the first read", async () => {
    const it = eventsOf<number>(async (emit) => {
      emit(1);
      await Bun.sleep(1);
      emit(2);
      emit(3);
    });
    expect(await collect(it)).toEqual([1, 2, 3]);
  });

  test("ends with the work's error, after the events emitted before it", async () => {
    const it = eventsOf<number>(async (emit) => {
      emit(1);
      await Promise.resolve();
      throw new Error("boom");
    });
    const seen: number[] = [];
    let error: unknown;
    try {
      for await (const e of it) seen.push(e);
    } catch (e) {
      error = e;
    }
    expect(seen).toEqual([1]);
    expect((error as Error).message).toBe("boom");
  });

  test("a reader that stops early aborts the work", async () => {
    let aborted: AbortSignal | undefined;
    const it = eventsOf<number>(async (emit, signal) => {
      aborted = signal;
      emit(1);
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
    });
    for await (const e of it) if (e === 1) break;
    expect(aborted?.aborted).toBe(true);
  });

  test("an outer signal reaches the work", async () => {
    const outer = new AbortController();
    let seen: AbortSignal | undefined;
    const it = eventsOf<number>(async (_emit, signal) => {
      seen = signal;
    }, outer.signal);
    await collect(it);
    outer.abort();
    expect(seen?.aborted).toBe(true);
  });
});

describe("progressEvents", () => {
  test("one event per blob at most every period, plus its completion; manifests are not reported", () => {
    const events: ImageEvent[] = [];
    let now = 0;
    const on = progressEvents((e) => events.push(e), 100, () => now);
    on({ phase: "manifest", digest: "m", bytes: 10, total: 10 });
    on({ phase: "layer", digest: "a", bytes: 1, total: 10 });
    on({ phase: "layer", digest: "a", bytes: 2, total: 10 });
    now = 150;
    on({ phase: "layer", digest: "a", bytes: 5, total: 10 });
    on({ phase: "layer", digest: "b", bytes: 3, total: 3 });
    on({ phase: "layer", digest: "a", bytes: 10, total: 10 });
    on({ phase: "layer", digest: "a", bytes: 10, total: 10 });
    expect(events).toEqual([
      { kind: "progress", digest: "a", bytes: 1 },
      { kind: "progress", digest: "a", bytes: 5 },
      { kind: "progress", digest: "b", bytes: 3 },
      { kind: "progress", digest: "a", bytes: 10 },
    ]);
  });
});
