/**
 * Types for the parts of npm `dhcp@0.2.20` we use: its packet codec only (lib/protocol.js, lib/options.js).
 * The package ships no types. Its Server class and sockets are never used (machine-facts: the server throws
 * inside its UDP handler on iPXE's parameter request list); server/dhcp/codec.ts guards every call.
 */
declare module "dhcp/lib/protocol.js" {
  /** Option values as the library decodes/encodes them, keyed by option code. */
  export type DhcpJsOptionValue = number | string | boolean | number[] | string[];
  /** A BOOTP/DHCP packet as the library represents it (RFC 2131 §2 field names). */
  export interface DhcpJsPacket {
    op: number;
    htype: number;
    hlen: number;
    hops: number;
    xid: number;
    secs: number;
    flags: number;
    ciaddr: string;
    yiaddr: string;
    siaddr: string;
    giaddr: string;
    /** Upper-case, dash-separated on parse; any `:`/`-` form on format. */
    chaddr: string;
    sname: string;
    file: string;
    magicCookie?: number;
    options: Record<number, DhcpJsOptionValue>;
  }
  /** The library's write cursor over a 1500-byte Buffer: bytes written are `_data[0.._w)`. */
  export interface SeqBuffer {
    _data: Buffer;
    _w: number;
  }
  const protocol: {
    /** Throws on short packets, bad hardware types and reads past the end. */
    parse(buf: Buffer): DhcpJsPacket;
    /** Throws on invalid addresses and on overflowing its 1500-byte buffer. */
    format(p: Omit<DhcpJsPacket, "magicCookie">): SeqBuffer;
  };
  export default protocol;
}

declare module "dhcp/lib/options.js" {
  export type DhcpJsOptionType =
    | "IP"
    | "IPs"
    | "UInt8"
    | "UInt16"
    | "UInt32"
    | "Int8"
    | "Int16"
    | "Int32"
    | "UInt8s"
    | "UInt16s"
    | "ASCII"
    | "UTF8"
    | "Bool";
  export interface DhcpJsOptionDef {
    name: string;
    type?: DhcpJsOptionType;
    config?: string;
    attr?: string;
    default?: unknown;
    enum?: Record<number, string>;
  }
  const options: {
    /** Option table keyed by code (shared, module-level: addOption mutates it). */
    opts: Record<number, DhcpJsOptionDef | undefined>;
    addOption(code: number, def: DhcpJsOptionDef): void;
  };
  export default options;
}
