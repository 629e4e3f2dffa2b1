/**
 * Lines from a socket, one `next()` at a time, each within a timeout (WALT's handler reads every request line
 * with `walt-timeout 15`). Input is capped: a client sending a megabyte without a newline must not grow the
 * memory of a daemon that runs on 512 MB nodes.
 */
import type { Socket } from "node:net";
import { Wakeup } from "../../src/wakeup.ts";

export const TIMED_OUT = Symbol("timed out");
/** Longest request line kept; WALT's requests are a few bytes. */
const MAX_LINE = 4096;

export class LineReader {
  private buf = "";
  private ended = false;
  private readonly input = new Wakeup();

  constructor(
    private readonly sock: Socket,
    private readonly timeoutMs: number,
  ) {
    sock.setEncoding("utf8");
    sock.on("data", (chunk: string) => {
      this.buf += chunk;
      // An over-long line is cut to its end: still one (unknown) request, never a growing buffer.
      if (this.buf.length > MAX_LINE && !this.buf.includes("\n")) this.buf = this.buf.slice(-MAX_LINE);
      this.input.wake();
    });
    const end = (): void => {
      this.ended = true;
      this.input.wake();
    };
    sock.on("end", end);
    sock.on("close", end);
    sock.on("error", end);
  }

  /** The next line (without `\n` and a trailing `\r`), null at end of input, TIMED_OUT after the timeout. */
  async next(): Promise<string | null | typeof TIMED_OUT> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const nl = this.buf.indexOf("\n");
      if (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        return line.endsWith("\r") ? line.slice(0, -1) : line;
      }
      if (this.ended) return null;
      const left = deadline - Date.now();
      if (left <= 0) return TIMED_OUT;
      await this.input.sleep(left);
    }
  }

  dispose(): void {
    this.input.clear();
    this.sock.removeAllListeners("data");
  }
}
