/**
 * The cpio "newc" format (what the Linux kernel unpacks as an initramfs), written in TypeScript rather than
 * with `cpio`: entries come from a list, not a staging folder, so device nodes (/dev/console) need no root and
 * the archive is reproducible (sorted names, fixed owners and mtimes, inode numbers in order).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;

export interface CpioEntry {
  /** Path without a leading slash. */
  name: string;
  /** st_mode: type bits and permissions. */
  mode: number;
  uid?: number;
  gid?: number;
  /** Content of a file, or the target of a symlink. */
  data?: Uint8Array | string;
  /** A file on disk streamed as the content (instead of `data`). */
  file?: string;
  rdevMajor?: number;
  rdevMinor?: number;
}

const hex8 = (n: number): string => n.toString(16).padStart(8, "0");
const pad4 = (n: number): Uint8Array => new Uint8Array((4 - (n % 4)) % 4);

function header(ino: number, e: CpioEntry, size: number, mtime: number): Uint8Array {
  const name = Buffer.from(`${e.name}\0`);
  const nlink = (e.mode & S_IFMT) === S_IFDIR ? 2 : 1;
  const fields = [ino, e.mode, e.uid ?? 0, e.gid ?? 0, nlink, mtime, size, 0, 0, e.rdevMajor ?? 0, e.rdevMinor ?? 0, name.byteLength, 0];
  const head = Buffer.from(`070701${fields.map(hex8).join("")}`, "ascii");
  return Buffer.concat([head, name, pad4(head.byteLength + name.byteLength)]);
}

/** The archive of `entries` (in the given order) with every mtime set to `mtime` (seconds), then the trailer. */
export async function* cpioNewc(entries: readonly CpioEntry[], mtime: number): AsyncGenerator<Uint8Array> {
  let ino = 1;
  for (const e of entries) {
    if (e.file !== undefined) {
      const size = (await stat(e.file)).size;
      yield header(ino++, e, size, mtime);
      let read = 0;
      for await (const chunk of createReadStream(e.file)) {
        read += (chunk as Buffer).byteLength;
        yield chunk as Buffer;
      }
      if (read !== size) throw new Error(`${e.file} changed while being archived`);
      yield pad4(size);
    } else {
      const data = typeof e.data === "string" ? Buffer.from(e.data) : (e.data ?? new Uint8Array());
      yield header(ino++, e, data.byteLength, mtime);
      yield data;
      yield pad4(data.byteLength);
    }
  }
  yield header(0, { name: "TRAILER!!!", mode: 0 }, 0, 0);
}

export interface ParsedCpioEntry {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  rdevMajor: number;
  rdevMinor: number;
  data: Uint8Array;
}

/** Parse a whole newc archive (tests, and checks of small initramfs images). */
export function parseCpio(bytes: Uint8Array): ParsedCpioEntry[] {
  const out: ParsedCpioEntry[] = [];
  const text = (a: number, b: number): string => Buffer.from(bytes.subarray(a, b)).toString("latin1");
  let off = 0;
  for (;;) {
    if (off + 110 > bytes.byteLength) throw new Error("cpio archive truncated (no trailer)");
    if (text(off, off + 6) !== "070701") throw new Error(`not a newc cpio header at offset ${off}`);
    const f = (i: number): number => parseInt(text(off + 6 + i * 8, off + 14 + i * 8), 16);
    const size = f(6);
    const nameSize = f(11);
    const name = Buffer.from(bytes.subarray(off + 110, off + 110 + nameSize - 1)).toString("utf8");
    let dataStart = off + 110 + nameSize;
    dataStart += (4 - (dataStart % 4)) % 4;
    if (name === "TRAILER!!!") return out;
    out.push({
      name,
      mode: f(1),
      uid: f(2),
      gid: f(3),
      mtime: f(5),
      rdevMajor: f(9),
      rdevMinor: f(10),
      data: bytes.subarray(dataStart, dataStart + size),
    });
    off = dataStart + size;
    off += (4 - (off % 4)) % 4;
  }
}
