/**
 * Linux file calls node:fs lacks, through bun:ffi:
 * - fallocate(2), for TRIM (punch a hole: the swap file gives the space back) and WRITE_ZEROES;
 * - preadv2(2) with RWF_NOWAIT, to serve a READ straight from the page cache on the event loop. It never blocks (the
 *   kernel answers EAGAIN instead of going to the disk), and saves the thread-pool round trip of an async read, which
 *   costs more than copying 4 KiB. Whatever it cannot serve goes through the FileHandle as usual.
 * When libc cannot be loaded (not glibc) callers fall back: TRIM becomes a no-op (the protocol lets a server ignore
 * it), WRITE_ZEROES writes zero buffers, reads are all async.
 */
import { dlopen, FFIType, ptr } from "bun:ffi";

const FALLOC_FL_KEEP_SIZE = 0x01;
const FALLOC_FL_PUNCH_HOLE = 0x02;
const FALLOC_FL_ZERO_RANGE = 0x10;
const RWF_NOWAIT = 0x08;

export interface LinuxIo {
  /** Deallocate a range (reads then return zeroes); false when the call failed. */
  punchHole(fd: number, offset: number, length: number): boolean;
  /** Zero a range, keeping it allocated; false when the call failed. */
  zeroRange(fd: number, offset: number, length: number): boolean;
  /** Read what the page cache holds at `position` into `into` without blocking: bytes read, or -1. */
  readCached(fd: number, into: Uint8Array, position: number): number;
}

/** Load the calls from the C library, or undefined where it is not available. */
export function loadLinuxIo(): LinuxIo | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    const lib = dlopen("libc.so.6", {
      fallocate: { args: [FFIType.i32, FFIType.i32, FFIType.i64, FFIType.i64], returns: FFIType.i32 },
      preadv2: { args: [FFIType.i32, FFIType.ptr, FFIType.i32, FFIType.i64, FFIType.i32], returns: FFIType.i64 },
    });
    const fallocate = (fd: number, mode: number, offset: number, length: number): boolean =>
      lib.symbols.fallocate(fd, mode, offset, length) === 0;
    // One struct iovec { void *base; size_t len; }, filled per call; the buffer stays referenced during the call.
    const iov = new BigUint64Array(2);
    const iovPtr = ptr(iov);
    return {
      punchHole: (fd, offset, length) => fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length),
      zeroRange: (fd, offset, length) => fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, offset, length),
      readCached(fd, into, position) {
        if (into.length === 0) return 0;
        iov[0] = BigInt(ptr(into));
        iov[1] = BigInt(into.length);
        return Number(lib.symbols.preadv2(fd, iovPtr, 1, position, RWF_NOWAIT));
      },
    };
  } catch {
    return undefined;
  }
}
