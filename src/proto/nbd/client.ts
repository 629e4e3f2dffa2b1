/**
 * NBD codec, client side: the mirror of server/nbd/protocol.ts. The agent's handshake (agent/nbd/handshake.ts), the
 * test client, the benchmark and the codec's round-trip tests use it. Decoders follow the same incremental
 * `more | ok | bad` contract and never throw.
 */
import { IHAVEOPT, INFO, NBD_MAGIC, OPTION_REPLY_MAGIC, REQUEST_MAGIC, SIMPLE_REPLY_MAGIC, SIZE } from "./constants.ts";
import type { BlockSizes, Decoded, Request } from "./types.ts";

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

export function encodeClientFlags(flags: number): Uint8Array {
  const b = new Uint8Array(4);
  view(b).setUint32(0, flags);
  return b;
}

export function encodeOption(option: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const b = new Uint8Array(SIZE.OPTION_HEADER + data.length);
  const v = view(b);
  v.setBigUint64(0, IHAVEOPT);
  v.setUint32(8, option);
  v.setUint32(12, data.length);
  b.set(data, SIZE.OPTION_HEADER);
  return b;
}

/** Data of NBD_OPT_INFO / NBD_OPT_GO. */
export function encodeInfoRequest(name: string, infos: number[]): Uint8Array {
  const n = new TextEncoder().encode(name);
  const b = new Uint8Array(4 + n.length + 2 + 2 * infos.length);
  const v = view(b);
  v.setUint32(0, n.length);
  b.set(n, 4);
  v.setUint16(4 + n.length, infos.length);
  infos.forEach((t, i) => v.setUint16(4 + n.length + 2 + 2 * i, t));
  return b;
}

export function encodeRequest(r: Request): Uint8Array {
  const b = new Uint8Array(SIZE.REQUEST);
  const v = view(b);
  v.setUint32(0, REQUEST_MAGIC);
  v.setUint16(4, r.flags);
  v.setUint16(6, r.type);
  v.setBigUint64(8, r.cookie);
  v.setBigUint64(16, BigInt(r.offset));
  v.setUint32(24, r.length);
  return b;
}

export function decodeGreeting(b: Uint8Array): Decoded<{ handshakeFlags: number }> {
  if (b.length < SIZE.GREETING) return { kind: "more", need: SIZE.GREETING };
  const v = view(b);
  if (v.getBigUint64(0) !== NBD_MAGIC || v.getBigUint64(8) !== IHAVEOPT) return { kind: "bad", reason: "not a newstyle NBD server" };
  return { kind: "ok", value: { handshakeFlags: v.getUint16(16) }, size: SIZE.GREETING };
}

export interface OptionReply {
  option: number;
  type: number;
  data: Uint8Array;
}

export function decodeOptionReply(b: Uint8Array): Decoded<OptionReply> {
  if (b.length < SIZE.OPTION_REPLY_HEADER) return { kind: "more", need: SIZE.OPTION_REPLY_HEADER };
  const v = view(b);
  const magic = v.getBigUint64(0);
  if (magic !== OPTION_REPLY_MAGIC) return { kind: "bad", reason: `bad option reply magic ${hex(magic)}` };
  const total = SIZE.OPTION_REPLY_HEADER + v.getUint32(16);
  if (b.length < total) return { kind: "more", need: total };
  return { kind: "ok", value: { option: v.getUint32(8), type: v.getUint32(12), data: b.slice(SIZE.OPTION_REPLY_HEADER, total) }, size: total };
}

export type Info =
  | { kind: "export"; size: number; transmissionFlags: number }
  | ({ kind: "block-size" } & BlockSizes)
  | { kind: "other"; type: number };

/** The data of an NBD_REP_INFO reply. */
export function decodeInfo(data: Uint8Array): Info | undefined {
  if (data.length < 2) return undefined;
  const v = view(data);
  const type = v.getUint16(0);
  if (type === INFO.EXPORT && data.length === 12) return { kind: "export", size: Number(v.getBigUint64(2)), transmissionFlags: v.getUint16(10) };
  if (type === INFO.BLOCK_SIZE && data.length === 14) return { kind: "block-size", min: v.getUint32(2), preferred: v.getUint32(6), max: v.getUint32(10) };
  return { kind: "other", type };
}

export function decodeExportNameReply(b: Uint8Array, noZeroes: boolean): Decoded<{ size: number; transmissionFlags: number }> {
  const total = SIZE.EXPORT_NAME_REPLY + (noZeroes ? 0 : SIZE.ZEROES);
  if (b.length < total) return { kind: "more", need: total };
  const v = view(b);
  return { kind: "ok", value: { size: Number(v.getBigUint64(0)), transmissionFlags: v.getUint16(8) }, size: total };
}

export function decodeSimpleReply(b: Uint8Array): Decoded<{ error: number; cookie: bigint }> {
  if (b.length < SIZE.SIMPLE_REPLY) return { kind: "more", need: SIZE.SIMPLE_REPLY };
  const v = view(b);
  const magic = v.getUint32(0);
  if (magic !== SIMPLE_REPLY_MAGIC) return { kind: "bad", reason: `bad reply magic ${hex(magic)}` };
  return { kind: "ok", value: { error: v.getUint32(4), cookie: v.getBigUint64(8) }, size: SIZE.SIMPLE_REPLY };
}
