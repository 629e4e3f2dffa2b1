/**
 * One export's storage: a sparse file of the requested size, private to one connection and removed when it ends.
 * Reads and writes are positioned (pread/pwrite through a FileHandle) so no seek state is shared.
 */
import type { FileHandle } from "node:fs/promises";
import { rm } from "node:fs/promises";
import type { LinuxIo } from "./linux-io.ts";

/** What the session needs from an export (the data side of the socket/decision/data split). */
export interface NbdExport {
  readonly name: string;
  readonly size: number;
  /** Fill `into` with the bytes at `position` (zeroes past the end of the file). */
  read(into: Uint8Array, position: number): Promise<void>;
  /** Write the chunks back to back from `position`. */
  write(chunks: Uint8Array[], position: number): Promise<void>;
  /** Discard a range; its content is undefined afterwards. */
  trim(offset: number, length: number): Promise<void>;
  /** Make a range read as zeroes; `allocate` keeps it allocated (NBD_CMD_FLAG_NO_HOLE). */
  writeZeroes(offset: number, length: number, allocate: boolean): Promise<void>;
  flush(): Promise<void>;
  /** Close and delete the storage. Idempotent. */
  close(): Promise<void>;
}

const ZERO_CHUNK = 1024 * 1024;

export class SwapFile implements NbdExport {
  private closing: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly size: number,
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly linux: LinuxIo | undefined,
    private readonly onClosed: (path: string) => void,
  ) {}

  async read(into: Uint8Array, position: number): Promise<void> {
    // Served from the page cache without leaving the event loop when possible (see linux-io.ts).
    let done = Math.max(0, this.linux?.readCached(this.handle.fd, into, position) ?? 0);
    while (done < into.length) {
      const { bytesRead } = await this.handle.read(into, done, into.length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    into.fill(0, done);
  }

  async write(chunks: Uint8Array[], position: number): Promise<void> {
    let pending = chunks.filter((c) => c.length > 0);
    while (pending.length > 0) {
      const { bytesWritten } = await this.handle.writev(pending, position);
      if (bytesWritten === 0) throw Object.assign(new Error(`no progress writing ${this.path}`), { code: "EIO" });
      position += bytesWritten;
      pending = dropBytes(pending, bytesWritten);
    }
  }

  trim(offset: number, length: number): Promise<void> {
    // The protocol lets a server ignore TRIM, so a failed punch (filesystem without support) is not an error.
    this.linux?.punchHole(this.handle.fd, offset, length);
    return Promise.resolve();
  }

  async writeZeroes(offset: number, length: number, allocate: boolean): Promise<void> {
    const fd = this.handle.fd;
    if (this.linux && (allocate ? this.linux.zeroRange(fd, offset, length) : this.linux.punchHole(fd, offset, length))) return;
    const zeroes = new Uint8Array(Math.min(length, ZERO_CHUNK));
    for (let at = offset; at < offset + length; at += zeroes.length) {
      await this.write([zeroes.subarray(0, Math.min(zeroes.length, offset + length - at))], at);
    }
  }

  /**
   * Nothing to make durable: the file is deleted when the connection ends and never reused after a crash, and every
   * read is served from the same page cache the writes went to. Answering at once is both correct and what swap needs.
   */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.handle.close();
      } finally {
        await rm(this.path, { force: true });
        this.onClosed(this.path);
      }
    })();
    return this.closing;
  }
}

/** The chunks minus their first `n` bytes (after a short writev). */
function dropBytes(chunks: Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of chunks) {
    if (n >= c.length) {
      n -= c.length;
      continue;
    }
    out.push(n > 0 ? c.subarray(n) : c);
    n = 0;
  }
  return out;
}
