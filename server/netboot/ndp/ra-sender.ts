/**
 * Sends router-advert.ts's advertisement to all nodes (ff02::1) on walt-net, through a raw ICMPv6 socket (glibc
 * through `bun:ffi`: Bun has no raw sockets; the server runs as root, which CAP_NET_RAW needs). Called when the
 * DHCP server offers an address: a PXE firmware asking DHCP is, at that moment, soliciting routers too. Nothing is
 * received, so nothing blocks the event loop. Any failure (IPv6 off on walt-net, no link-local address yet) is
 * logged and costs the node only the wait this avoids.
 */
import { dlopen, FFIType, ptr, read } from "bun:ffi";
import { readFileSync } from "node:fs";
import type { Logger } from "../../../src/log.ts";
import { encodeRouterAdvert } from "./router-advert.ts";

const AF_INET6 = 10;
const SOCK_RAW_CLOEXEC_NONBLOCK = 3 | 0o2000000 | 0o4000;
const IPPROTO_ICMPV6 = 58;
const IPPROTO_IPV6 = 41;
const IPV6_MULTICAST_IF = 17;
const IPV6_MULTICAST_HOPS = 18;
/** RFC 4861 §6.1.2: a node drops a Router Advertisement whose hop limit is not 255 (it came from off-link). */
const ND_HOP_LIMIT = 255;
const ALL_NODES = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

function openLibc() {
  return dlopen("libc.so.6", {
    socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    setsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
    sendto: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i64 },
    close: { args: [FFIType.i32], returns: FFIType.i32 },
    __errno_location: { args: [], returns: FFIType.ptr },
  });
}

/** struct sockaddr_in6 for ff02::1 on interface `ifindex` (the scope of a link-local multicast address). */
function allNodesOn(ifindex: number): Uint8Array {
  const sa = new Uint8Array(28);
  const v = new DataView(sa.buffer);
  v.setUint16(0, AF_INET6, true);
  sa.set(ALL_NODES, 8);
  v.setUint32(24, ifindex, true);
  return sa;
}

export class RouterAdvertSender {
  private lib: ReturnType<typeof openLibc> | undefined;
  private fd = -1;
  private failedOnce = false;
  /** ff02::1 on walt-net, set by open(). */
  private target: Uint8Array = new Uint8Array(0);
  /** The advertisement: always the same, encoded once. */
  private readonly message: Uint8Array;

  constructor(private readonly o: { ifname: string; mac: string; log: Logger }) {
    this.message = encodeRouterAdvert(o.mac);
  }

  private errno(): number {
    const p = this.lib?.symbols.__errno_location();
    return p === undefined || p === null ? 0 : read.i32(p, 0);
  }

  /** Open the socket; false (logged) when this host cannot send. */
  open(): boolean {
    try {
      this.lib = openLibc();
      const ifindex = Number(readFileSync(`/sys/class/net/${this.o.ifname}/ifindex`, "utf8").trim());
      const s = this.lib.symbols;
      this.fd = s.socket(AF_INET6, SOCK_RAW_CLOEXEC_NONBLOCK, IPPROTO_ICMPV6);
      if (this.fd < 0) throw new Error(`socket: errno ${this.errno()}`);
      for (const [opt, value] of [[IPV6_MULTICAST_IF, ifindex], [IPV6_MULTICAST_HOPS, ND_HOP_LIMIT]] as const) {
        const v = new Int32Array([value]);
        if (s.setsockopt(this.fd, IPPROTO_IPV6, opt, ptr(v), 4) !== 0) throw new Error(`setsockopt ${opt}: errno ${this.errno()}`);
      }
      this.target = allNodesOn(ifindex);
      return true;
    } catch (e) {
      this.o.log.warn("netboot: cannot send IPv6 router advertisements (iPXE will wait ≈ 16 s for IPv6)", { error: e instanceof Error ? e.message : String(e) });
      this.close();
      return false;
    }
  }

  /** One advertisement to all nodes; true when the kernel took it. */
  advertise(): boolean {
    if (this.lib === undefined || this.fd < 0) return false;
    const msg = this.message;
    const sent = Number(this.lib.symbols.sendto(this.fd, ptr(msg), msg.length, 0, ptr(this.target), this.target.length));
    if (sent === msg.length) return true;
    // Once: a bridge whose link-local address is still tentative (DAD) fails like this until it is not.
    if (!this.failedOnce) this.o.log.info("netboot: router advertisement not sent", { errno: this.errno() });
    this.failedOnce = true;
    return false;
  }

  close(): void {
    if (this.lib !== undefined && this.fd >= 0) this.lib.symbols.close(this.fd);
    this.fd = -1;
    this.lib?.close();
    this.lib = undefined;
  }
}
