/**
 * Sequential read-ahead over a TftpFile, double-buffered: while windows are served from the current chunk,
 * the next one is already being read, so a transfer rarely waits for the disk (or the thread pool) between
 * windows. `peek` is synchronous so a session can answer an ACK without a promise when the bytes are there.
 */
import type { TftpFile } from "./routes.ts";

interface Chunk {
  offset: number;
  bytes: Uint8Array;
}

const covers = (c: Chunk | null, offset: number, length: number): c is Chunk =>
  c !== null && offset >= c.offset && offset + length <= c.offset + c.bytes.length;

export class ReadAhead {
  private current: Chunk = { offset: 0, bytes: new Uint8Array(0) };
  private spare: Chunk | null = null;
  private pending: Promise<void> | null = null;

  /** `overlap`: bytes the next chunk repeats from the end of the current one (a window straddling the two). */
  constructor(
    private readonly file: TftpFile,
    private readonly chunk = 256 * 1024,
    private readonly overlap = 0,
  ) {}

  /** The bytes if they are in memory, else undefined (then `load` them). */
  peek(offset: number, length: number): Uint8Array | undefined {
    if (!covers(this.current, offset, length)) {
      if (!covers(this.spare, offset, length)) return undefined;
      this.current = this.spare;
      this.spare = null;
    }
    this.prefetch();
    const from = offset - this.current.offset;
    return this.current.bytes.subarray(from, from + length);
  }

  /** Make `peek(offset, length)` succeed. Rejects if the file is shorter than its size said. */
  async load(offset: number, length: number): Promise<void> {
    if (this.pending) await this.pending;
    if (covers(this.current, offset, length) || covers(this.spare, offset, length)) return;
    const want = Math.min(Math.max(length, this.chunk), this.file.size - offset);
    const bytes = await this.file.read(offset, want);
    if (bytes.length < length) throw new Error("file shrank while being served");
    this.current = { offset, bytes };
    this.spare = null;
  }

  private prefetch(): void {
    const end = this.current.offset + this.current.bytes.length;
    if (this.pending || this.spare || end >= this.file.size) return;
    const offset = Math.max(this.current.offset, end - this.overlap);
    const length = Math.min(this.chunk, this.file.size - offset);
    this.pending = this.file.read(offset, length).then(
      (bytes) => {
        if (bytes.length === length) this.spare = { offset, bytes };
      },
      () => undefined, // a failing read surfaces again, and is reported, when `load` retries it
    );
    void this.pending.finally(() => (this.pending = null));
  }
}
