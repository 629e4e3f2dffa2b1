/**
 * Bytes received from a socket, kept as the chunks they arrived in. Headers are peeked as one contiguous view
 * (copying only when they straddle chunks); payloads are taken as slices of the original chunks, so a 1 MiB WRITE
 * goes from the socket's buffers to the file without being copied into another buffer.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Bytes of chunks[0] already consumed. */
  private head = 0;
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The first `n` bytes (n ≤ length) as one view. Straddling chunks are merged once, so repeated peeks are cheap. */
  peek(n: number): Uint8Array {
    if (n > this.total) throw new RangeError(`peek(${n}) with ${this.total} bytes queued`);
    const first = this.chunks[0];
    if (first === undefined || n === 0) return new Uint8Array(0);
    if (first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    const merged = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0] as Uint8Array;
      const part = c.subarray(this.head, this.head + Math.min(c.length - this.head, n - filled));
      merged.set(part, filled);
      filled += part.length;
      this.head += part.length;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    // The partly consumed chunk now follows the merged one; make `head` point into the merged one again.
    const rest = this.chunks[0];
    if (rest !== undefined && this.head > 0) this.chunks[0] = rest.subarray(this.head);
    this.head = 0;
    this.chunks.unshift(merged);
    return merged;
  }

  /** Remove up to `n` bytes and return them as slices of the received chunks (no copy). */
  take(n: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let left = Math.min(n, this.total);
    this.total -= left;
    while (left > 0) {
      const c = this.chunks[0] as Uint8Array;
      const part = c.subarray(this.head, this.head + Math.min(c.length - this.head, left));
      out.push(part);
      left -= part.length;
      this.head += part.length;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    return out;
  }

  /** Drop up to `n` bytes; returns how many were dropped. */
  skip(n: number): number {
    const before = this.total;
    this.take(n);
    return before - this.total;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.total = 0;
  }
}
