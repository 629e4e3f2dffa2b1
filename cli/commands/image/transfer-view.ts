/**
 * Rendering of ImageEvent streams (clone, publish, default image updates): messages on stdout, warnings on
 * stderr, and for each transfer WALT's `<label>... done.` line. On a terminal a progress bar (bytes and blobs)
 * is redrawn in place meanwhile.
 *
 * The bar is drawn here rather than with @clack/prompts' `progress`: that one puts the process's stdin in raw
 * mode and exits with status 0 on Ctrl-C, where WALT prints `Aborted.` and exits 1 (cli/main.ts does that).
 */
import type { ImageEvent } from "../../../src/api/images.ts";
import type { Io } from "../../ui/io.ts";
import { formatSize } from "../../../src/text/size.ts";

const WIDTH = 30;
const REDRAW_MS = 100;

/** A size in binary units, e.g. `12.3 MiB`. */
export const humanBytes = (n: number): string => formatSize(n, "iec");

interface Transfer {
  label: string;
  sizes: Map<string, number>;
  done: Map<string, number>;
  total: number;
}

/** One progress line: `<label> [####------] 1.2 MiB/4.0 MiB, 1/3 blobs`. */
export function progressLine(t: Transfer, columns: number): string {
  const bytes = [...t.done.values()].reduce((a, b) => a + b, 0);
  const complete = [...t.done.entries()].filter(([d, b]) => b >= (t.sizes.get(d) ?? Infinity)).length;
  const ratio = t.total > 0 ? Math.min(1, bytes / t.total) : 0;
  const filled = Math.round(ratio * WIDTH);
  const line = `${t.label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${humanBytes(bytes)}/${humanBytes(t.total)}, ${complete}/${t.sizes.size} blobs`;
  return line.length >= columns ? line.slice(0, Math.max(0, columns - 1)) : line;
}

/** Print the events; answers the `done` result (undefined when the stream ended without one). */
export async function renderEvents(io: Io, events: AsyncIterable<ImageEvent>, now: () => number = Date.now): Promise<string | undefined> {
  const tty = io.stdout.isTTY;
  let current: Transfer | undefined;
  let shown = 0;
  let lastDraw = 0;
  const erase = (): void => {
    if (shown > 0) io.stdout.write(`\r${" ".repeat(shown)}\r`);
    shown = 0;
  };
  const draw = (force: boolean): void => {
    if (!tty || current === undefined || (!force && now() - lastDraw < REDRAW_MS)) return;
    const line = progressLine(current, io.size().columns);
    erase();
    io.stdout.write(line);
    shown = line.length;
    lastDraw = now();
  };
  let result: string | undefined;
  try {
    for await (const e of events) {
      switch (e.kind) {
        case "message":
        case "warning":
          erase();
          (e.kind === "message" ? io.stdout : io.stderr).write(e.text + "\n");
          draw(true);
          break;
        case "transfer-start":
          current = { label: e.label, sizes: new Map(e.blobs.map((b) => [b.digest, b.size])), done: new Map(), total: e.blobs.reduce((a, b) => a + b.size, 0) };
          draw(true);
          break;
        case "progress":
          if (current) {
            if (!current.sizes.has(e.digest)) current.sizes.set(e.digest, e.bytes);
            current.done.set(e.digest, e.bytes);
            draw(false);
          }
          break;
        case "transfer-end":
          erase();
          io.stdout.write(`${e.label}... done.\n`);
          current = undefined;
          break;
        case "done":
          result = e.result;
          break;
      }
    }
  } finally {
    erase();
  }
  return result;
}

/** WALT's busy indicator (`ctx.busy`) until the first event: the server validates a request before it streams. */
export function busyUntilFirst<T>(busy: <R>(fn: () => Promise<R>) => Promise<R>, events: AsyncIterable<T>): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      const it = events[Symbol.asyncIterator]();
      try {
        let r = await busy(() => it.next());
        while (r.done !== true) {
          yield r.value;
          r = await it.next();
        }
      } finally {
        await it.return?.();
      }
    },
  };
}
