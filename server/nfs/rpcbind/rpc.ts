/**
 * ONC RPC version 2 messages (RFC 5531), server side: a call's header decoded, replies encoded, and the record
 * marking of RPC over TCP (§11). Pure: bytes in, values out. Decoding never throws; what cannot be a call is `bad`
 * (dropped: RFC 5531 gives no way to answer a message without a readable header).
 */
import { concatBytes } from "../../../src/bytes.ts";
import { XdrReader, XdrWriter } from "./xdr.ts";

const RPC_VERSION = 2;
const CALL = 0;
const REPLY = 1;
const MSG_ACCEPTED = 0;
const MSG_DENIED = 1;
const RPC_MISMATCH = 0;
const AUTH_NONE = 0;
/** RFC 5531 §8.2: credentials and verifiers carry at most 400 bytes. */
const MAX_AUTH_BYTES = 400;

/** accept_stat of an accepted reply (RFC 5531 §9). */
export const ACCEPT = { SUCCESS: 0, PROG_UNAVAIL: 1, PROG_MISMATCH: 2, PROC_UNAVAIL: 3, GARBAGE_ARGS: 4, SYSTEM_ERR: 5 } as const;
export type AcceptStat = (typeof ACCEPT)[keyof typeof ACCEPT];

export interface RpcCall {
  xid: number;
  prog: number;
  vers: number;
  proc: number;
  /** The procedure's arguments, positioned after the header. */
  args: XdrReader;
}

export type DecodedCall = { kind: "call"; call: RpcCall } | { kind: "rpc-mismatch"; xid: number } | { kind: "bad"; reason: string };

export function decodeCall(bytes: Uint8Array): DecodedCall {
  const r = new XdrReader(bytes);
  const xid = r.u32();
  const type = r.u32();
  if (xid === undefined || type === undefined) return { kind: "bad", reason: `${bytes.length}-byte message, shorter than an RPC header` };
  if (type !== CALL) return { kind: "bad", reason: `message type ${type}, not a call` };
  const rpcvers = r.u32();
  if (rpcvers === undefined) return { kind: "bad", reason: "truncated call header" };
  if (rpcvers !== RPC_VERSION) return { kind: "rpc-mismatch", xid };
  const prog = r.u32();
  const vers = r.u32();
  const proc = r.u32();
  // Credentials and verifier: read to reach the arguments; rpcbind's answers do not depend on them.
  const auth = [r.u32(), r.opaque(MAX_AUTH_BYTES), r.u32(), r.opaque(MAX_AUTH_BYTES)];
  if (prog === undefined || vers === undefined || proc === undefined || auth.includes(undefined)) return { kind: "bad", reason: "truncated call header or credentials over 400 bytes" };
  return { kind: "call", call: { xid, prog, vers, proc, args: r } };
}

/** An accepted reply: SUCCESS with `results`, PROG_MISMATCH with the supported range, or another status. */
export function encodeAccepted(xid: number, stat: AcceptStat, results?: Uint8Array, versions?: { low: number; high: number }): Uint8Array {
  const w = new XdrWriter().u32(xid).u32(REPLY).u32(MSG_ACCEPTED).u32(AUTH_NONE).u32(0).u32(stat);
  if (stat === ACCEPT.PROG_MISMATCH && versions !== undefined) w.u32(versions.low).u32(versions.high);
  const head = w.bytes();
  return stat === ACCEPT.SUCCESS && results !== undefined ? concatBytes([head, results]) : head;
}

/** A denied reply to a call of another RPC version: only version 2 is spoken (RFC 5531 §9, RPC_MISMATCH). */
export function encodeRpcMismatch(xid: number): Uint8Array {
  return new XdrWriter().u32(xid).u32(REPLY).u32(MSG_DENIED).u32(RPC_MISMATCH).u32(RPC_VERSION).u32(RPC_VERSION).bytes();
}

/* ---------- record marking over TCP (RFC 5531 §11) ---------- */

const LAST_FRAGMENT = 0x80000000;

/** One record as a single last fragment. */
export function frameRecord(message: Uint8Array): Uint8Array {
  const head = new Uint8Array(4);
  new DataView(head.buffer).setUint32(0, (LAST_FRAGMENT | message.length) >>> 0);
  return concatBytes([head, message]);
}

/**
 * Reassembles records from a byte stream. A record larger than `maxRecord` is an error: rpcbind's calls are a few
 * hundred bytes, and a peer announcing 2 GB must not make the server buffer it.
 */
export class RecordReader {
  private buf: Uint8Array = new Uint8Array(0);
  private fragments: Uint8Array[] = [];
  private recordBytes = 0;

  constructor(private readonly maxRecord: number) {}

  /** The records completed by `chunk`, or the reason the stream is unusable (the connection should close). */
  push(chunk: Uint8Array): { records: Uint8Array[] } | { error: string } {
    this.buf = this.buf.length === 0 ? chunk : concatBytes([this.buf, chunk]);
    const records: Uint8Array[] = [];
    while (this.buf.length >= 4) {
      const header = new DataView(this.buf.buffer, this.buf.byteOffset, 4).getUint32(0);
      const len = header & ~LAST_FRAGMENT;
      if (this.recordBytes + len > this.maxRecord) return { error: `record of over ${this.maxRecord} bytes` };
      if (this.buf.length < 4 + len) break;
      this.fragments.push(this.buf.subarray(4, 4 + len));
      this.recordBytes += len;
      this.buf = this.buf.subarray(4 + len);
      if ((header & LAST_FRAGMENT) !== 0) {
        records.push(concatBytes(this.fragments));
        this.fragments = [];
        this.recordBytes = 0;
      }
    }
    return { records };
  }
}
