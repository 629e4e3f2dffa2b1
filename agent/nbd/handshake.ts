/**
 * The client side of the NBD fixed-newstyle handshake up to transmission, over any byte transport
 * (https://github.com/NetworkBlockDevice/nbd/blob/master/doc/proto.md): greeting, client flags, NBD_OPT_GO with the
 * export name, then NBD_REP_INFO replies up to NBD_REP_ACK. After it the socket carries transmission requests,
 * which the kernel's nbd driver sends once the socket is handed over (connect.ts); nothing here reads data.
 * The wire format is the shared codec's (src/proto/nbd); this file is only the negotiation.
 */
import { WaltError } from "../../src/errors.ts";
import { concatBytes } from "../../src/bytes.ts";
import { decodeGreeting, decodeInfo, decodeOptionReply, encodeClientFlags, encodeInfoRequest, encodeOption } from "../../src/proto/nbd/client.ts";
import { FLAG_C_FIXED_NEWSTYLE, FLAG_C_NO_ZEROES, FLAG_FIXED_NEWSTYLE, FLAG_NO_ZEROES, OPT, REP, SIZE } from "../../src/proto/nbd/constants.ts";
import type { Decoded } from "../../src/proto/nbd/types.ts";

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

/** A reply payload bigger than this is garbage (the protocol's strings are at most 4096 bytes). */
const MAX_REPLY_DATA = 64 * 1024;
const REP_ERROR_BIT = 0x80000000;
/** Names of the error replies, for messages (proto.md "Option reply types"). */
const REP_NAMES = new Map<number, string>(Object.entries(REP).map(([k, v]) => [v, `NBD_REP_${k}`]));

const nbdError = (message: string): WaltError => new WaltError("EXTERNAL", `NBD handshake: ${message}`);

/** NBD_OPT_GO for `exportName`, with no information requests (the server always sends NBD_INFO_EXPORT). */
export const encodeGo = (exportName: string): Uint8Array => encodeOption(OPT.GO, encodeInfoRequest(exportName, []));

/** Read one message of the incremental codec: the fixed part first, then what the decoder says it needs. */
async function readMessage<T>(t: Transport, first: number, decode: (b: Uint8Array) => Decoded<T>): Promise<T> {
  let bytes = await t.read(first);
  for (;;) {
    const d = decode(bytes);
    if (d.kind === "ok") return d.value;
    if (d.kind === "bad") throw nbdError(d.reason);
    if (d.need - first > MAX_REPLY_DATA) throw nbdError(`option reply of ${d.need - first} bytes`);
    bytes = concatBytes([bytes, await t.read(d.need - bytes.length)]);
  }
}

/** Negotiate `exportName` and stop at the start of transmission; throws a WaltError saying what went wrong. */
export async function negotiate(t: Transport, exportName: string): Promise<ExportInfo> {
  const { handshakeFlags } = await readMessage(t, SIZE.GREETING, decodeGreeting);
  if ((handshakeFlags & FLAG_FIXED_NEWSTYLE) === 0) throw nbdError("the server does not speak fixed newstyle");
  await t.write(encodeClientFlags(FLAG_C_FIXED_NEWSTYLE | (handshakeFlags & FLAG_NO_ZEROES ? FLAG_C_NO_ZEROES : 0)));
  await t.write(encodeGo(exportName));
  let info: ExportInfo | undefined;
  for (;;) {
    const reply = await readMessage(t, SIZE.OPTION_REPLY_HEADER, decodeOptionReply);
    if (reply.type >= REP_ERROR_BIT) {
      const text = new TextDecoder().decode(reply.data);
      const name = REP_NAMES.get(reply.type) ?? `reply 0x${reply.type.toString(16)}`;
      throw nbdError(`the server refused export "${exportName}" (${name})${text ? `: ${text}` : ""}`);
    }
    const i = reply.type === REP.INFO ? decodeInfo(reply.data) : undefined;
    if (i?.kind === "export") info = { sizeBytes: i.size, transmissionFlags: i.transmissionFlags };
    if (reply.type === REP.ACK) break;
  }
  if (info === undefined) throw nbdError("the server acknowledged NBD_OPT_GO without NBD_INFO_EXPORT");
  return info;
}
