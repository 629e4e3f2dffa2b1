/**
 * Generic-netlink messages that hand an NBD socket to the kernel (pure encoders and decoders, no I/O).
 * Layouts: linux/netlink.h (nlmsghdr, nlattr, nlmsgerr), linux/genetlink.h (genlmsghdr, the `nlctrl` family) and
 * linux/nbd-netlink.h (the `nbd` family, NBD_CMD_CONNECT). Netlink headers are in host byte order: every node Bun
 * runs on (x86-64, arm64) is little-endian, so little-endian is written here.
 */
import { concatBytes } from "../../src/bytes.ts";

/** linux/netlink.h */
export const NLM_F_REQUEST = 0x1;
export const NLM_F_ACK = 0x4;
export const NLMSG_ERROR = 0x2;
export const NLMSG_DONE = 0x3;
const NLA_F_NESTED = 0x8000;
const NLA_TYPE_MASK = 0x3fff;
/** linux/genetlink.h: the controller family has a fixed id. */
export const GENL_ID_CTRL = 0x10;
export const CTRL_CMD_GETFAMILY = 3;
export const CTRL_ATTR_FAMILY_ID = 1;
export const CTRL_ATTR_FAMILY_NAME = 2;
/** linux/nbd-netlink.h */
export const NBD_GENL_FAMILY_NAME = "nbd";
export const NBD_GENL_VERSION = 1;
export const NBD_CMD_CONNECT = 1;
export const NBD_CMD_DISCONNECT = 2;
export const NBD_ATTR = { INDEX: 1, SIZE_BYTES: 2, BLOCK_SIZE_BYTES: 3, TIMEOUT: 4, SERVER_FLAGS: 5, SOCKETS: 7 } as const;
const NBD_SOCK_ITEM = 1;
const NBD_SOCK_FD = 1;

const NLMSG_HDRLEN = 16;
const GENL_HDRLEN = 4;
const NLA_HDRLEN = 4;
const align4 = (n: number): number => (n + 3) & ~3;

/** One attribute: its type and payload, or nested attributes. */
export type Attr = { type: number; data: Uint8Array } | { type: number; nested: Attr[] };

const u32 = (type: number, v: number): Attr => {
  const data = new Uint8Array(4);
  new DataView(data.buffer).setUint32(0, v, true);
  return { type, data };
};
const u64 = (type: number, v: number): Attr => {
  const data = new Uint8Array(8);
  new DataView(data.buffer).setBigUint64(0, BigInt(v), true);
  return { type, data };
};

function attrBytes(a: Attr): Uint8Array {
  const body = "data" in a ? a.data : concatBytes(a.nested.map(attrBytes));
  const out = new Uint8Array(align4(NLA_HDRLEN + body.length));
  const v = new DataView(out.buffer);
  v.setUint16(0, NLA_HDRLEN + body.length, true);
  // NLA_F_NESTED is what the kernel's strict parser expects on nests; the nbd family accepts either.
  v.setUint16(2, "data" in a ? a.type : a.type | NLA_F_NESTED, true);
  out.set(body, NLA_HDRLEN);
  return out;
}

/** A generic-netlink request: nlmsghdr (NLM_F_REQUEST | NLM_F_ACK, port id 0 = the kernel), genlmsghdr, attributes. */
export function encodeGenlRequest(family: number, cmd: number, version: number, seq: number, attrs: Attr[]): Uint8Array {
  const body = concatBytes(attrs.map(attrBytes));
  const out = new Uint8Array(NLMSG_HDRLEN + GENL_HDRLEN + body.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, out.length, true);
  v.setUint16(4, family, true);
  v.setUint16(6, NLM_F_REQUEST | NLM_F_ACK, true);
  v.setUint32(8, seq, true);
  v.setUint32(12, 0, true);
  out[16] = cmd;
  out[17] = version;
  out.set(body, NLMSG_HDRLEN + GENL_HDRLEN);
  return out;
}

/** CTRL_CMD_GETFAMILY for `name` (NUL-terminated string attribute). */
export function encodeGetFamily(name: string, seq: number): Uint8Array {
  const data = new TextEncoder().encode(`${name}\0`);
  return encodeGenlRequest(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, seq, [{ type: CTRL_ATTR_FAMILY_NAME, data }]);
}

export interface NbdConnectParams {
  index: number;
  sizeBytes: number;
  blockSizeBytes: number;
  /** The export's transmission flags, as the server sent them (NBD_FLAG_READ_ONLY, SEND_FLUSH, …). */
  serverFlags: number;
  /** Request timeout in seconds; 0 leaves it out, so the kernel keeps waiting (nbd-client's default). */
  timeoutS: number;
  fd: number;
}

/** NBD_CMD_CONNECT: the device index, the export geometry and one connected socket. */
export function encodeNbdConnect(family: number, seq: number, p: NbdConnectParams): Uint8Array {
  const attrs: Attr[] = [
    u32(NBD_ATTR.INDEX, p.index),
    u64(NBD_ATTR.SIZE_BYTES, p.sizeBytes),
    u64(NBD_ATTR.BLOCK_SIZE_BYTES, p.blockSizeBytes),
    u64(NBD_ATTR.SERVER_FLAGS, p.serverFlags),
    ...(p.timeoutS > 0 ? [u64(NBD_ATTR.TIMEOUT, p.timeoutS)] : []),
    { type: NBD_ATTR.SOCKETS, nested: [{ type: NBD_SOCK_ITEM, nested: [u32(NBD_SOCK_FD, p.fd)] }] },
  ];
  return encodeGenlRequest(family, NBD_CMD_CONNECT, NBD_GENL_VERSION, seq, attrs);
}

/** NBD_CMD_DISCONNECT of one device. */
export function encodeNbdDisconnect(family: number, seq: number, index: number): Uint8Array {
  return encodeGenlRequest(family, NBD_CMD_DISCONNECT, NBD_GENL_VERSION, seq, [u32(NBD_ATTR.INDEX, index)]);
}

export interface NlMessage {
  type: number;
  flags: number;
  seq: number;
  /** Bytes after the nlmsghdr. */
  payload: Uint8Array;
}

/** The messages of one datagram (several may share it); a truncated tail is dropped. */
export function decodeMessages(buf: Uint8Array): NlMessage[] {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: NlMessage[] = [];
  for (let at = 0; at + NLMSG_HDRLEN <= buf.length; ) {
    const len = v.getUint32(at, true);
    if (len < NLMSG_HDRLEN || at + len > buf.length) break;
    out.push({ type: v.getUint16(at + 4, true), flags: v.getUint16(at + 6, true), seq: v.getUint32(at + 8, true), payload: buf.subarray(at + NLMSG_HDRLEN, at + len) });
    at += align4(len);
  }
  return out;
}

/** The errno of an NLMSG_ERROR (0 is the ACK, negative values are -errno as the kernel sends them). */
export function errorOf(m: NlMessage): number | undefined {
  if (m.type !== NLMSG_ERROR || m.payload.length < 4) return undefined;
  return new DataView(m.payload.buffer, m.payload.byteOffset, 4).getInt32(0, true);
}

/** Top-level attributes of a generic-netlink message payload (after the genlmsghdr), by type. */
export function genlAttrs(m: NlMessage): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  const b = m.payload.subarray(GENL_HDRLEN);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 0; at + NLA_HDRLEN <= b.length; ) {
    const len = v.getUint16(at, true);
    if (len < NLA_HDRLEN || at + len > b.length) break;
    out.set(v.getUint16(at + 2, true) & NLA_TYPE_MASK, b.subarray(at + NLA_HDRLEN, at + len));
    at += align4(len);
  }
  return out;
}

/** CTRL_ATTR_FAMILY_ID of a CTRL_CMD_GETFAMILY reply. */
export function familyIdOf(m: NlMessage): number | undefined {
  const id = genlAttrs(m).get(CTRL_ATTR_FAMILY_ID);
  return id !== undefined && id.length >= 2 ? new DataView(id.buffer, id.byteOffset, 2).getUint16(0, true) : undefined;
}
