/**
 * NBD codec, server side (fixed newstyle negotiation, simple replies): decoders of what a client sends and
 * encoders of what the server answers. Pure: bytes in, values out, no I/O.
 *
 * Decoders are incremental: given whatever bytes have arrived, they answer `more` (with how many bytes they need in
 * total), `ok` (the value and how many bytes it used) or `bad` (a reason). They never throw, whatever the input.
 */
import {
  FLAG_C_FIXED_NEWSTYLE,
  FLAG_C_NO_ZEROES,
  IHAVEOPT,
  INFO,
  MAX_OPTION_DATA,
  MAX_STRING,
  NBD_MAGIC,
  OPTION_REPLY_MAGIC,
  REP,
  REQUEST_MAGIC,
  SIMPLE_REPLY_MAGIC,
  SIZE,
} from "../../src/proto/nbd/constants.ts";
import type { BlockSizes, Decoded, Request } from "../../src/proto/nbd/types.ts";

export * from "../../src/proto/nbd/constants.ts";
export type { BlockSizes, Decoded, Request } from "../../src/proto/nbd/types.ts";

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const more = (need: number): { kind: "more"; need: number } => ({ kind: "more", need });
const bad = (reason: string): { kind: "bad"; reason: string } => ({ kind: "bad", reason });
const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

/* ---------- client → server ---------- */

export interface ClientFlags {
  fixedNewstyle: boolean;
  noZeroes: boolean;
}

export function decodeClientFlags(b: Uint8Array): Decoded<ClientFlags> {
  if (b.length < SIZE.CLIENT_FLAGS) return more(SIZE.CLIENT_FLAGS);
  const flags = view(b).getUint32(0);
  if ((flags & ~(FLAG_C_FIXED_NEWSTYLE | FLAG_C_NO_ZEROES)) !== 0) return bad(`unknown client flags ${hex(flags)}`);
  return {
    kind: "ok",
    value: { fixedNewstyle: (flags & FLAG_C_FIXED_NEWSTYLE) !== 0, noZeroes: (flags & FLAG_C_NO_ZEROES) !== 0 },
    size: SIZE.CLIENT_FLAGS,
  };
}

export interface OptionRequest {
  option: number;
  /** A view into the input; copy it to keep it past the next read. */
  data: Uint8Array;
}

/** One option request: IHAVEOPT, option, length, data. Data longer than MAX_OPTION_DATA is refused as garbage. */
export function decodeOption(b: Uint8Array): Decoded<OptionRequest> {
  // The magic is checked as soon as it is there, so garbage is refused without waiting for a full header.
  if (b.length >= 8 && view(b).getBigUint64(0) !== IHAVEOPT) return bad(`bad option magic ${hex(view(b).getBigUint64(0))}`);
  if (b.length < SIZE.OPTION_HEADER) return more(SIZE.OPTION_HEADER);
  const v = view(b);
  const option = v.getUint32(8);
  const length = v.getUint32(12);
  if (length > MAX_OPTION_DATA) return bad(`option ${option} carries ${length} bytes, more than ${MAX_OPTION_DATA}`);
  const total = SIZE.OPTION_HEADER + length;
  if (b.length < total) return more(total);
  return { kind: "ok", value: { option, data: b.subarray(SIZE.OPTION_HEADER, total) }, size: total };
}

export interface InfoRequest {
  name: string;
  infos: number[];
}

/** The data of NBD_OPT_INFO / NBD_OPT_GO: name length, name, count of info requests, info types. */
export function decodeInfoRequest(data: Uint8Array): { ok: true; value: InfoRequest } | { ok: false; reason: string } {
  if (data.length < 4) return { ok: false, reason: "too short for a name length" };
  const v = view(data);
  const nameLen = v.getUint32(0);
  if (nameLen > MAX_STRING) return { ok: false, reason: `name of ${nameLen} bytes` };
  if (data.length < 4 + nameLen + 2) return { ok: false, reason: "name length overruns the option" };
  const count = v.getUint16(4 + nameLen);
  if (data.length !== 4 + nameLen + 2 + 2 * count) return { ok: false, reason: "info request count does not match the option length" };
  const infos: number[] = [];
  for (let i = 0; i < count; i++) infos.push(v.getUint16(4 + nameLen + 2 + 2 * i));
  const name = decodeString(data.subarray(4, 4 + nameLen));
  return name === undefined ? { ok: false, reason: "name is not UTF-8" } : { ok: true, value: { name, infos } };
}

/** Strict UTF-8 decoding (names are UTF-8 without NUL); undefined when invalid. */
export function decodeString(b: Uint8Array): string | undefined {
  try {
    const s = new TextDecoder("utf-8", { fatal: true }).decode(b);
    return s.includes("\0") ? undefined : s;
  } catch {
    return undefined;
  }
}

/** A transmission request header (28 bytes); a WRITE's payload follows it and is not part of the value. */
export function decodeRequest(b: Uint8Array): Decoded<Request> {
  if (b.length >= 4 && view(b).getUint32(0) !== REQUEST_MAGIC) return bad(`bad request magic ${hex(view(b).getUint32(0))}`);
  if (b.length < SIZE.REQUEST) return more(SIZE.REQUEST);
  const v = view(b);
  return {
    kind: "ok",
    value: { flags: v.getUint16(4), type: v.getUint16(6), cookie: v.getBigUint64(8), offset: Number(v.getBigUint64(16)), length: v.getUint32(24) },
    size: SIZE.REQUEST,
  };
}

/* ---------- server → client ---------- */

export function encodeGreeting(handshakeFlags: number): Uint8Array {
  const b = new Uint8Array(SIZE.GREETING);
  const v = view(b);
  v.setBigUint64(0, NBD_MAGIC);
  v.setBigUint64(8, IHAVEOPT);
  v.setUint16(16, handshakeFlags);
  return b;
}

export function encodeOptionReply(option: number, type: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const b = new Uint8Array(SIZE.OPTION_REPLY_HEADER + data.length);
  const v = view(b);
  v.setBigUint64(0, OPTION_REPLY_MAGIC);
  v.setUint32(8, option);
  v.setUint32(12, type);
  v.setUint32(16, data.length);
  b.set(data, SIZE.OPTION_REPLY_HEADER);
  return b;
}

/** An error reply carrying a message for the user, cut to the protocol's string limit. */
export function encodeOptionError(option: number, type: number, message: string): Uint8Array {
  return encodeOptionReply(option, type, new TextEncoder().encode(message).subarray(0, MAX_STRING));
}

/** NBD_REP_SERVER data for NBD_OPT_LIST: name length, name. */
export function encodeServerEntry(option: number, name: string): Uint8Array {
  const n = new TextEncoder().encode(name);
  const d = new Uint8Array(4 + n.length);
  view(d).setUint32(0, n.length);
  d.set(n, 4);
  return encodeOptionReply(option, REP.SERVER, d);
}

export function encodeInfoExport(option: number, size: number, transmissionFlags: number): Uint8Array {
  const d = new Uint8Array(12);
  const v = view(d);
  v.setUint16(0, INFO.EXPORT);
  v.setBigUint64(2, BigInt(size));
  v.setUint16(10, transmissionFlags);
  return encodeOptionReply(option, REP.INFO, d);
}

export function encodeInfoBlockSize(option: number, s: BlockSizes): Uint8Array {
  const d = new Uint8Array(14);
  const v = view(d);
  v.setUint16(0, INFO.BLOCK_SIZE);
  v.setUint32(2, s.min);
  v.setUint32(6, s.preferred);
  v.setUint32(10, s.max);
  return encodeOptionReply(option, REP.INFO, d);
}

/** The answer to NBD_OPT_EXPORT_NAME: size, transmission flags, and 124 zeroes unless NO_ZEROES was agreed. */
export function encodeExportNameReply(size: number, transmissionFlags: number, noZeroes: boolean): Uint8Array {
  const b = new Uint8Array(SIZE.EXPORT_NAME_REPLY + (noZeroes ? 0 : SIZE.ZEROES));
  const v = view(b);
  v.setBigUint64(0, BigInt(size));
  v.setUint16(8, transmissionFlags);
  return b;
}

/** Write a simple reply header into `into` (16 bytes at offset 0), so a READ reply and its data share one buffer. */
export function writeSimpleReply(into: Uint8Array, error: number, cookie: bigint): Uint8Array {
  const v = view(into);
  v.setUint32(0, SIMPLE_REPLY_MAGIC);
  v.setUint32(4, error);
  v.setBigUint64(8, cookie);
  return into;
}

export const encodeSimpleReply = (error: number, cookie: bigint): Uint8Array =>
  writeSimpleReply(new Uint8Array(SIZE.SIMPLE_REPLY), error, cookie);
