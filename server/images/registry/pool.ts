/** A small worker pool for blob transfers. */

/**
 * Run jobs `width` at a time. The first failure aborts the others and is thrown once every job has settled,
 * so nothing keeps writing after the pull returns.
 */
export async function inPool<T>(items: readonly T[], width: number, outer: AbortSignal | undefined, run: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const ac = new AbortController();
  const signal = outer ? AbortSignal.any([outer, ac.signal]) : ac.signal;
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failed && !signal.aborted && next < items.length) {
      const item = items[next++] as T;
      try {
        await run(item, signal);
      } catch (e) {
        if (!failed) {
          failed = { error: e };
          ac.abort(e);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
  if (failed) throw failed.error;
  if (outer?.aborted) throw outer.reason;
}
