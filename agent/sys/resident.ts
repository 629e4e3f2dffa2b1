/**
 * Which byte ranges of a file are in the page cache: mmap(2) it and ask mincore(2) (through glibc, `bun:ffi`).
 * Used once per agent build by a learning node (step read-ahead, docs/netboot.md): with the read-around at 0,
 * the pages of /proc/self/exe in the cache are exactly those the agent touched so far.
 */
import { dlopen, FFIType } from "bun:ffi";
import { closeSync, fstatSync, openSync } from "node:fs";
import { SysError } from "./sys.ts";

const PROT_READ = 1;
const MAP_SHARED = 1;

export interface Resident {
  /** The file's size in bytes. */
  size: number;
  /** [offset, length] in bytes, ascending; the last one ends at most at `size`. */
  ranges: [number, number][];
}

/** Runs of resident pages (bit 0 of each mincore byte) as byte ranges, clamped to the file size. */
export function residentRuns(vec: Uint8Array, pageSize: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < vec.length; ) {
    if (((vec[p] ?? 0) & 1) === 0) {
      p++;
      continue;
    }
    const start = p;
    while (p < vec.length && ((vec[p] ?? 0) & 1) === 1) p++;
    const offset = start * pageSize;
    out.push([offset, Math.min(p * pageSize, size) - offset]);
  }
  return out;
}

export function residentRanges(path: string): Resident {
  const lib = dlopen("libc.so.6", {
    mmap: { args: [FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.i32, FFIType.i32, FFIType.i64], returns: FFIType.ptr },
    munmap: { args: [FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
    mincore: { args: [FFIType.ptr, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
    getpagesize: { args: [], returns: FFIType.i32 },
  });
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    if (size === 0) return { size, ranges: [] };
    const page = lib.symbols.getpagesize();
    const addr = lib.symbols.mmap(null, size, PROT_READ, MAP_SHARED, fd, 0);
    // MAP_FAILED is (void *)-1, which arrives as 2^64 rounded.
    if (addr === null || addr >= 2 ** 63) throw new SysError(`mmap ${path}: failed`);
    try {
      const vec = new Uint8Array(Math.ceil(size / page));
      if (lib.symbols.mincore(addr, size, vec) !== 0) throw new SysError(`mincore ${path}: failed`);
      return { size, ranges: residentRuns(vec, page, size) };
    } finally {
      lib.symbols.munmap(addr, size);
    }
  } catch (e) {
    throw e instanceof SysError ? e : new SysError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
    lib.close();
  }
}
