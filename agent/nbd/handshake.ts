/**
 * The client side of the NBD fixed-newstyle handshake up to transmission, over any byte transport
 * (https://github.com/NetworkBlockDevice/nbd/blob/master/doc/proto.md): greeting, client flags, NBD_OPT_GO with the
 * export name, then NBD_REP_INFO replies up to NBD_REP_ACK. After it the socket carries transmission requests,
 * which the kernel's nbd driver sends once the socket is handed over (connect.ts); nothing here reads data.
 */
import { WaltError } from "../../src/errors.ts";

/** Blocking byte I/O: `read` returns exactly n bytes or throws. */
export interface Transport {
  read(n: number): Promise<Uint8Array>;
  write(bytes: Uint8Array): Promise<void>;
}

export interface ExportInfo {
  sizeBytes: number;
  /** Transmission flags (NBD_FLAG_HAS_FLAGS, READ_ONLY, SEND_FLUSH, …), passed to the kernel unchanged. */
  transmissionFlags: number;
}

const NBD_MAGIC = 0x4e42444d41474943n; // "NBDMAGIC"
const IHAVEOPT = 0x49484156454f5054n; // "IHAVEOPT"
const OPTION_REPLY_MAGIC = 0x3e889045565a9n;
const FLAG_FIXED_NEWSTYLE = 1 << 0;
const FLAG_NO_ZEROES = 1 << 1;
const NBD_OPT_GO = 7;
const NBD_REP_ACK = 1;
const NBD_REP_INFO = 3;
const NBD_INFO_EXPORT = 0;
const REP_ERROR_BIT = 0x80000000;
/** Error replies a server may send, by name, for messages (proto.md "Option reply types"). */
const REP_ERRORS: Record<number, string> = {
  0x80000001: "NBD_REP_ERR_UNSUP",
  0x80000002: "NBD_REP_ERR_POLICY",
  0x80000003: "NBD_REP_ERR_INVALID",
  0x80000006: "NBD_REP_ERR_UNKNOWN",
  0x80000007: "NBD_REP_ERR_SHUTDOWN",
};
/** A reply payload bigger than this is garbage (the protocol's strings are at most 4096 bytes). */
const MAX_REPLY_DATA = 64 * 1024;

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const nbdError = (message: string): WaltError => new WaltError("EXTERNAL", `NBD handshake: ${message}`);

/** NBD_OPT_GO data: name length, name, and no information requests (NBD_INFO_EXPORT is always sent). */
export function encodeGo(exportName: string): Uint8Array {
  const name = new TextEncoder().encode(exportName);
  const b = new Uint8Array(16 + 4 + name.length + 2);
  const v = view(b);
  v.setBigUint64(0, IHAVEOPT);
  v.setUint32(8, NBD_OPT_GO);
  v.setUint32(12, 4 + name.length + 2);
  v.setUint32(16, name.length);
  b.set(name, 20);
  v.setUint16(20 + name.length, 0);
  return b;
}

/** Negotiate `exportName` and stop at the start of transmission; throws a WaltError saying what went wrong. */
export async function negotiate(t: Transport, exportName: string): Promise<ExportInfo> {
  const greeting = view(await t.read(18));
  if (greeting.getBigUint64(0) !== NBD_MAGIC || greeting.getBigUint64(8) !== IHAVEOPT) throw nbdError("not a newstyle NBD server");
  const handshakeFlags = greeting.getUint16(16);
  if ((handshakeFlags & FLAG_FIXED_NEWSTYLE) === 0) throw nbdError("the server does not speak fixed newstyle");
  const clientFlags = new Uint8Array(4);
  view(clientFlags).setUint32(0, FLAG_FIXED_NEWSTYLE | (handshakeFlags & FLAG_NO_ZEROES));
  await t.write(clientFlags);
  await t.write(encodeGo(exportName));
  let info: ExportInfo | undefined;
  for (;;) {
    const header = view(await t.read(20));
    if (header.getBigUint64(0) !== OPTION_REPLY_MAGIC) throw nbdError("bad option reply magic");
    const type = header.getUint32(12);
    const length = header.getUint32(16);
    if (length > MAX_REPLY_DATA) throw nbdError(`option reply of ${length} bytes`);
    const data = length === 0 ? new Uint8Array(0) : await t.read(length);
    if (type >= REP_ERROR_BIT) {
      const text = new TextDecoder().decode(data);
      throw nbdError(`the server refused export "${exportName}" (${REP_ERRORS[type] ?? `reply 0x${type.toString(16)}`})${text ? `: ${text}` : ""}`);
    }
    if (type === NBD_REP_INFO && length === 12 && view(data).getUint16(0) === NBD_INFO_EXPORT) {
      info = { sizeBytes: Number(view(data).getBigUint64(2)), transmissionFlags: view(data).getUint16(10) };
    }
    if (type === NBD_REP_ACK) break;
  }
  if (info === undefined) throw nbdError("the server acknowledged NBD_OPT_GO without NBD_INFO_EXPORT");
  return info;
}
