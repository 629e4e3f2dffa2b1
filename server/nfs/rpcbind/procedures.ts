/**
 * rpcbind's procedures (RFC 1833): program 100000, portmap version 2 (§3) and rpcbind versions 3 and 4 (§2).
 * One call in, one reply out, against the registry. Served: NULL, SET, UNSET, GETPORT / GETADDR, DUMP, GETTIME and
 * v4 GETVERSADDR — what ganesha registers with and what a kernel's mount asks. CALLIT/INDIRECT (a forwarding
 * amplifier, off by default in rpcbind too) and the statistics procedures answer PROC_UNAVAIL.
 */
import { parseUaddr, type PmapMapping, type Registration, RpcbindRegistry, uaddrOf } from "./registry.ts";
import { ACCEPT, decodeCall, encodeAccepted, encodeRpcMismatch } from "./rpc.ts";
import { type XdrReader, XdrWriter } from "./xdr.ts";

export const RPCBIND_PROGRAM = 100000;
const VERSIONS = { low: 2, high: 4 };
/** Bounds on rpcb strings: netids are a few letters, universal addresses under 64 bytes (RFC 5665). */
const MAX_NETID = 32;
const MAX_ADDR = 128;
const MAX_OWNER = 256;

export interface CallContext {
  /** The caller is on loopback (only local callers may SET and UNSET). */
  local: boolean;
  /** The transport the call arrived on: tcp, udp, tcp6, udp6. */
  netid: string;
  /** The server's address the call arrived at, put in place of a wildcard registered address. */
  localHost: string;
  nowS: () => number;
}

export type Handled = { reply: Uint8Array; note?: string } | { drop: string };

function readRpcb(r: XdrReader): Registration | undefined {
  const [prog, vers, netid, addr, owner] = [r.u32(), r.u32(), r.string(MAX_NETID), r.string(MAX_ADDR), r.string(MAX_OWNER)];
  if (prog === undefined || vers === undefined || netid === undefined || addr === undefined || owner === undefined) return undefined;
  return { prog, vers, netid, addr, owner };
}

function readMapping(r: XdrReader): PmapMapping | undefined {
  const [prog, vers, protocol, port] = [r.u32(), r.u32(), r.u32(), r.u32()];
  if (prog === undefined || vers === undefined || protocol === undefined || port === undefined) return undefined;
  return { prog, vers, protocol, port };
}

/** A registered wildcard address (0.0.0.0, ::) names every address: answer the one the caller reached. */
function mergeAddr(addr: string, ctx: CallContext): string {
  const u = parseUaddr(addr);
  return u !== undefined && (u.host === "0.0.0.0" || u.host === "::") ? uaddrOf(ctx.localHost, u.port) : addr;
}

/** A procedure's encoded results, or its arguments were malformed. */
type Result = Uint8Array | "garbage";
type Procedure = (args: XdrReader, reg: RpcbindRegistry, ctx: CallContext) => Result;

/** Decode the arguments with `read`, then answer; undecodable arguments are GARBAGE_ARGS. */
const withArgs =
  <T>(read: (r: XdrReader) => T | undefined, answer: (a: T, reg: RpcbindRegistry, ctx: CallContext, w: XdrWriter) => XdrWriter): Procedure =>
  (args, reg, ctx) => {
    const a = read(args);
    return a === undefined ? "garbage" : answer(a, reg, ctx, new XdrWriter()).bytes();
  };

const nothing: Procedure = () => new Uint8Array(0);

/** Portmap, version 2 (RFC 1833 §3.2): NULL, SET, UNSET, GETPORT, DUMP. */
const PORTMAP: Record<number, Procedure> = {
  0: nothing,
  1: withArgs(readMapping, (m, reg, ctx, w) => w.bool(reg.pmapSet(m.prog, m.vers, m.protocol, m.port, ctx.local))),
  2: withArgs(readMapping, (m, reg, ctx, w) => w.bool(reg.pmapUnset(m.prog, m.vers, ctx.local))),
  3: withArgs(readMapping, (m, reg, _ctx, w) => w.u32(reg.pmapGetPort(m.prog, m.vers, m.protocol))),
  4: (_a, reg) => {
    const w = new XdrWriter();
    for (const m of reg.pmapDump()) w.bool(true).u32(m.prog).u32(m.vers).u32(m.protocol).u32(m.port);
    return w.bool(false).bytes();
  },
};

/** GETADDR falls back to another version of the program (as rpcbind does); GETVERSADDR wants this one. */
const getAddr = (anyVersion: boolean): Procedure =>
  withArgs(readRpcb, (r, reg, ctx, w) => {
    const found = reg.lookup(r.prog, r.vers, r.netid === "" ? ctx.netid : r.netid, anyVersion);
    return w.string(found === undefined ? "" : mergeAddr(found.addr, ctx));
  });

/** rpcbind, version 3 (RFC 1833 §2.2): NULL, SET, UNSET, GETADDR, DUMP, GETTIME. */
const RPCBIND_V3: Record<number, Procedure> = {
  0: nothing,
  1: withArgs(readRpcb, (r, reg, ctx, w) => w.bool(reg.set(r, ctx.local))),
  2: withArgs(readRpcb, (r, reg, ctx, w) => w.bool(reg.unset(r.prog, r.vers, r.netid, ctx.local))),
  3: getAddr(true),
  4: (_a, reg) => {
    const w = new XdrWriter();
    for (const e of reg.dump()) w.bool(true).u32(e.prog).u32(e.vers).string(e.netid).string(e.addr).string(e.owner);
    return w.bool(false).bytes();
  },
  6: (_a, _reg, ctx) => new XdrWriter().u32(Math.floor(ctx.nowS()) >>> 0).bytes(),
};

/** Version 4 adds GETVERSADDR (§2.3). */
const RPCBIND_V4: Record<number, Procedure> = { ...RPCBIND_V3, 9: getAddr(false) };

const BY_VERSION: Record<number, Record<number, Procedure>> = { 2: PORTMAP, 3: RPCBIND_V3, 4: RPCBIND_V4 };

/** Answer one RPC message; a message that is not a readable call is dropped with the reason. */
export function handleMessage(message: Uint8Array, reg: RpcbindRegistry, ctx: CallContext): Handled {
  const d = decodeCall(message);
  if (d.kind === "bad") return { drop: d.reason };
  if (d.kind === "rpc-mismatch") return { reply: encodeRpcMismatch(d.xid), note: "RPC version other than 2" };
  const { call } = d;
  if (call.prog !== RPCBIND_PROGRAM) return { reply: encodeAccepted(call.xid, ACCEPT.PROG_UNAVAIL), note: `program ${call.prog}` };
  const procedures = BY_VERSION[call.vers];
  if (procedures === undefined) return { reply: encodeAccepted(call.xid, ACCEPT.PROG_MISMATCH, undefined, VERSIONS), note: `version ${call.vers}` };
  const procedure = procedures[call.proc];
  if (procedure === undefined) return { reply: encodeAccepted(call.xid, ACCEPT.PROC_UNAVAIL), note: `procedure ${call.proc} (v${call.vers}) not served` };
  const result = procedure(call.args, reg, ctx);
  if (result === "garbage") return { reply: encodeAccepted(call.xid, ACCEPT.GARBAGE_ARGS), note: `malformed arguments to procedure ${call.proc} (v${call.vers})` };
  return { reply: encodeAccepted(call.xid, ACCEPT.SUCCESS, result) };
}
