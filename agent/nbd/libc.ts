/**
 * The thin FFI layer: sockets through glibc (`bun:ffi`), because the kernel's nbd driver takes a socket *file
 * descriptor* (NBD_SOCK_FD) and Bun's own sockets do not expose theirs. Calls block the agent's only thread, which
 * is fine during boot; SO_RCVTIMEO / SO_SNDTIMEO bound every wait (Linux also applies SO_SNDTIMEO to connect(2)).
 * Constants are Linux's generic ones (x86-64 and arm64, the architectures Bun runs on).
 */
import { dlopen, FFIType, read as readPtr } from "bun:ffi";
import { WaltError } from "../../src/errors.ts";
import type { Transport } from "./handshake.ts";

export const AF_INET = 2;
export const AF_NETLINK = 16;
export const SOCK_STREAM = 1;
export const SOCK_RAW = 3;
export const SOCK_CLOEXEC = 0o2000000;
export const NETLINK_GENERIC = 16;
const SOL_SOCKET = 1;
const SO_RCVTIMEO = 20;
const SO_SNDTIMEO = 21;

/** errno values worth a name in a boot message (asm-generic/errno*.h). */
const ERRNO: Record<number, string> = {
  1: "EPERM", 2: "ENOENT", 11: "EAGAIN (timed out)", 16: "EBUSY", 19: "ENODEV", 22: "EINVAL", 101: "ENETUNREACH",
  104: "ECONNRESET", 110: "ETIMEDOUT", 111: "ECONNREFUSED", 113: "EHOSTUNREACH", 115: "EINPROGRESS (timed out)",
};
export const errnoName = (n: number): string => ERRNO[n] ?? `errno ${n}`;

function load() {
  return dlopen("libc.so.6", {
    socket: { args: ["i32", "i32", "i32"], returns: "i32" },
    connect: { args: ["i32", "ptr", "u32"], returns: "i32" },
    setsockopt: { args: ["i32", "i32", "i32", "ptr", "u32"], returns: "i32" },
    send: { args: ["i32", "ptr", "u64", "i32"], returns: FFIType.i64_fast },
    recv: { args: ["i32", "ptr", "u64", "i32"], returns: FFIType.i64_fast },
    close: { args: ["i32"], returns: "i32" },
    __errno_location: { args: [], returns: "ptr" },
  });
}

/** libc's socket calls; each failure throws a WaltError naming the call and errno. Release with close(). */
export class Libc {
  private readonly lib = load();

  private fail(what: string): WaltError {
    const p = this.lib.symbols.__errno_location();
    return new WaltError("EXTERNAL", `${what}: ${errnoName(p === null ? 0 : readPtr.i32(p, 0))}`);
  }

  socket(domain: number, type: number, protocol: number): number {
    const fd = this.lib.symbols.socket(domain, type | SOCK_CLOEXEC, protocol);
    if (fd < 0) throw this.fail("socket");
    return fd;
  }

  /** connect(2) to an IPv4 address (sockaddr_in: family in host order, port and address in network order). */
  connectIpv4(fd: number, address: string, port: number): void {
    const octets = address.split(".").map(Number);
    if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
      throw new WaltError("USAGE", `${address} is not an IPv4 address`);
    }
    const sa = new Uint8Array(16);
    const v = new DataView(sa.buffer);
    v.setUint16(0, AF_INET, true);
    v.setUint16(2, port, false);
    sa.set(octets, 4);
    if (this.lib.symbols.connect(fd, sa, sa.length) !== 0) throw this.fail(`connect to ${address}:${port}`);
  }

  /** SO_RCVTIMEO and SO_SNDTIMEO (struct timeval, two 64-bit fields); 0 waits for ever. */
  setTimeouts(fd: number, ms: number): void {
    const tv = new Uint8Array(16);
    const v = new DataView(tv.buffer);
    v.setBigInt64(0, BigInt(Math.floor(ms / 1000)), true);
    v.setBigInt64(8, BigInt((ms % 1000) * 1000), true);
    for (const opt of [SO_RCVTIMEO, SO_SNDTIMEO]) {
      if (this.lib.symbols.setsockopt(fd, SOL_SOCKET, opt, tv, tv.length) !== 0) throw this.fail("setsockopt");
    }
  }

  send(fd: number, bytes: Uint8Array): number {
    const n = Number(this.lib.symbols.send(fd, bytes, bytes.length, 0));
    if (n < 0) throw this.fail("send");
    return n;
  }

  /** One recv(2) into `buf`; 0 is the peer's end of stream (or an empty datagram). */
  recv(fd: number, buf: Uint8Array): number {
    const n = Number(this.lib.symbols.recv(fd, buf, buf.length, 0));
    if (n < 0) throw this.fail("recv");
    return n;
  }

  closeFd(fd: number): void {
    this.lib.symbols.close(fd);
  }

  close(): void {
    this.lib.close();
  }
}

/** A connected stream socket as a handshake transport. */
export function fdTransport(libc: Libc, fd: number): Transport {
  return {
    read: (n) => {
      const out = new Uint8Array(n);
      for (let at = 0; at < n; ) {
        const got = libc.recv(fd, out.subarray(at));
        if (got === 0) return Promise.reject(new WaltError("EXTERNAL", "the server closed the connection"));
        at += got;
      }
      return Promise.resolve(out);
    },
    write: (bytes) => {
      for (let at = 0; at < bytes.length; ) at += libc.send(fd, bytes.subarray(at));
      return Promise.resolve();
    },
  };
}
