/**
 * What rpcbind knows (RFC 1833): which RPC program, version and transport answers at which universal address.
 * The decisions of SET, UNSET and the lookups, without I/O. Only local callers (ganesha, on loopback) may change
 * it, as rpcbind restricts SET/UNSET to local transports; nodes on walt-net only look up.
 */

/** A portmap (v2) mapping (RFC 1833 §3.1): protocol 6 (TCP) or 17 (UDP). */
export interface PmapMapping {
  prog: number;
  vers: number;
  protocol: number;
  port: number;
}

export interface Registration {
  prog: number;
  vers: number;
  /** Transport: tcp, udp, tcp6, udp6 (RFC 1833 §2.1 r_netid). */
  netid: string;
  /** Universal address, e.g. 192.168.152.1.8.1 for port 2049 (RFC 5665 §5.2.3.3). */
  addr: string;
  owner: string;
}

/** Portmap (v2) speaks protocol numbers; rpcbind (v3, v4) speaks netids. IPv4 only, as portmap is. */
const PMAP_NETIDS: Record<number, string> = { 6: "tcp", 17: "udp" };
const PROTOCOL_OF: Record<string, number> = { tcp: 6, udp: 17 };

/** An IPv4 dotted quad or an IPv6 address (it has a colon), then the port's two fields (RFC 5665 §5.2.3). */
const UADDR = /^((?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F.]*:[0-9a-fA-F:.]*)\.(\d{1,3})\.(\d{1,3})$/;

/** A universal address's host and port (its last two dotted fields), undefined when malformed. */
export function parseUaddr(uaddr: string): { host: string; port: number } | undefined {
  const m = UADDR.exec(uaddr);
  if (m === null) return undefined;
  const [hi, lo] = [Number(m[2]), Number(m[3])];
  return hi > 255 || lo > 255 ? undefined : { host: m[1] ?? "", port: hi * 256 + lo };
}

export const portOfUaddr = (uaddr: string): number | undefined => parseUaddr(uaddr)?.port;

export function uaddrOf(host: string, port: number): string {
  return `${host}.${port >> 8}.${port & 0xff}`;
}

export class RpcbindRegistry {
  private entries: Registration[] = [];

  /**
   * RPCBPROC_SET: false when another address holds the (prog, vers, netid) slot. The same registration again is
   * accepted: a restarted ganesha registers the very address its dead predecessor left behind.
   */
  set(r: Registration, local: boolean): boolean {
    if (!local || portOfUaddr(r.addr) === undefined || r.netid === "") return false;
    const held = this.entries.find((e) => e.prog === r.prog && e.vers === r.vers && e.netid === r.netid);
    if (held !== undefined) return held.addr === r.addr;
    this.entries.push({ ...r });
    return true;
  }

  /** RPCBPROC_UNSET: an empty netid removes the version on every transport. True when something was removed. */
  unset(prog: number, vers: number, netid: string, local: boolean): boolean {
    if (!local) return false;
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !(e.prog === prog && e.vers === vers && (netid === "" || e.netid === netid)));
    return this.entries.length < before;
  }

  /** The registration serving (prog, vers) on `netid`; with `anyVersion`, another version of the program if needed. */
  lookup(prog: number, vers: number, netid: string, anyVersion: boolean): Registration | undefined {
    const same = this.entries.filter((e) => e.prog === prog && e.netid === netid);
    return same.find((e) => e.vers === vers) ?? (anyVersion ? same[0] : undefined);
  }

  dump(): readonly Registration[] {
    return this.entries;
  }

  /* ---------- portmap (v2) views ---------- */

  pmapSet(prog: number, vers: number, protocol: number, port: number, local: boolean): boolean {
    const netid = PMAP_NETIDS[protocol];
    if (netid === undefined || port > 0xffff) return false;
    return this.set({ prog, vers, netid, addr: uaddrOf("0.0.0.0", port), owner: "portmap" }, local);
  }

  /** PMAPPROC_UNSET removes the version on both IPv4 transports. */
  pmapUnset(prog: number, vers: number, local: boolean): boolean {
    const tcp = this.unset(prog, vers, "tcp", local);
    const udp = this.unset(prog, vers, "udp", local);
    return tcp || udp;
  }

  /** PMAPPROC_GETPORT: 0 when the exact version is not registered (RFC 1833 §3.2). */
  pmapGetPort(prog: number, vers: number, protocol: number): number {
    const netid = PMAP_NETIDS[protocol];
    const r = netid === undefined ? undefined : this.lookup(prog, vers, netid, false);
    return r === undefined ? 0 : (portOfUaddr(r.addr) ?? 0);
  }

  pmapDump(): PmapMapping[] {
    const out: PmapMapping[] = [];
    for (const e of this.entries) {
      const protocol = PROTOCOL_OF[e.netid];
      const port = portOfUaddr(e.addr);
      if (protocol !== undefined && port !== undefined) out.push({ prog: e.prog, vers: e.vers, protocol, port });
    }
    return out;
  }
}
