/**
 * Backpressure for Bun sockets, whose write() is unbuffered: it takes what the kernel accepts and returns the count.
 * The rest waits here until the socket's `drain` event; each write's promise resolves when all its bytes are out.
 */
export interface WritableSocket {
  write(data: Uint8Array): number;
}

const DONE = Promise.resolve();

export class SocketWriter {
  private queue: { bytes: Uint8Array; resolve: () => void }[] = [];
  private closed = false;

  constructor(private readonly socket: WritableSocket) {}

  /** Send bytes; resolves when the socket took them all, or at once if it is closed (nobody will read them). */
  write(bytes: Uint8Array): Promise<void> {
    if (this.closed || bytes.length === 0) return DONE;
    if (this.queue.length === 0) {
      const n = this.socket.write(bytes);
      if (n < 0) {
        this.close();
        return DONE;
      }
      if (n === bytes.length) return DONE;
      bytes = bytes.subarray(n);
    }
    return new Promise((resolve) => this.queue.push({ bytes, resolve }));
  }

  /** Call on the socket's drain event. */
  drain(): void {
    for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
      const n = this.socket.write(head.bytes);
      if (n < 0) return this.close();
      if (n < head.bytes.length) {
        head.bytes = head.bytes.subarray(n);
        return;
      }
      this.queue.shift();
      head.resolve();
    }
  }

  /** Drop what is pending and release every waiting writer. */
  close(): void {
    this.closed = true;
    for (const w of this.queue) w.resolve();
    this.queue = [];
  }

  get pendingBytes(): number {
    return this.queue.reduce((s, w) => s + w.bytes.length, 0);
  }
}
