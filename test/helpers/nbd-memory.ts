/** An in-memory NBD backend for unit tests of the session and commands: same interface, no files. */
import type { NbdBackend, NbdExport } from "../../server/nbd/backend.ts";
import { resolveExportName, MiB } from "../../server/nbd/export-name.ts";

export class MemoryExport implements NbdExport {
  readonly bytes: Uint8Array;
  closed = false;
  trims: [number, number][] = [];
  /** Make the next operations fail with this errno code (e.g. "ENOSPC"). */
  failWith: string | undefined;

  constructor(
    readonly name: string,
    readonly size: number,
  ) {
    this.bytes = new Uint8Array(size);
  }

  private check(): Promise<void> {
    return this.failWith ? Promise.reject(Object.assign(new Error(this.failWith), { code: this.failWith })) : Promise.resolve();
  }

  async read(into: Uint8Array, position: number): Promise<void> {
    await this.check();
    into.set(this.bytes.subarray(position, position + into.length));
  }

  async write(chunks: Uint8Array[], position: number): Promise<void> {
    await this.check();
    for (const c of chunks) {
      this.bytes.set(c, position);
      position += c.length;
    }
  }

  async trim(offset: number, length: number): Promise<void> {
    await this.check();
    this.trims.push([offset, length]);
  }

  async writeZeroes(offset: number, length: number): Promise<void> {
    await this.check();
    this.bytes.fill(0, offset, offset + length);
  }

  flush = (): Promise<void> => this.check();

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** Exports up to 64 MiB (default 4 MiB) held in memory; `opened` lists them for assertions. */
export function memoryBackend(limits = { defaultBytes: 4 * MiB, maxBytes: 64 * MiB }): NbdBackend & { opened: MemoryExport[]; failOpen: boolean } {
  const b = {
    opened: [] as MemoryExport[],
    failOpen: false,
    resolve: (name: string) => resolveExportName(name, limits),
    list: () => ["swap"],
    open: (name: string): Promise<NbdExport> => {
      const r = resolveExportName(name, limits);
      if (!r.ok || b.failOpen) return Promise.reject(new Error(r.ok ? "disk full" : r.message));
      const e = new MemoryExport(r.name, r.size);
      b.opened.push(e);
      return Promise.resolve(e);
    },
  };
  return b;
}
