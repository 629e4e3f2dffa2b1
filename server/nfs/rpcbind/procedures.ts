/**
 * rpcbind's procedures (RFC 1833): program 100000, portmap version 2 (§3) and rpcbind versions 3 and 4 (§2).
 * One call in, one reply out, against the registry. Served: NULL, SET, UNSET, GETPORT / GETADDR, DUMP, GETTIME and
 * v4 GETVERSADDR — what ganesha registers with and what a kernel's mount asks. CALLIT/INDIRECT (a forwarding
 * amplifier, off by default in rpcbind too) and the statistics procedures answer PROC_UNAVAIL.
 */
import { hostOfUaddr, type Registration, RpcbindRegistry, uaddrOf, portOfUaddr } from "./registry.ts";
import { ACCEPT, decodeCall, encodeAccepted, encodeRpcMismatch, type RpcCall } from "./rpc.ts";
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

function readMapping(r: XdrReader): { prog: number; vers: number; protocol: number; port: number } | undefined {
  const [prog, vers, protocol, port] = [r.u32(), r.u32(), r.u32(), r.u32()];
  if (prog === undefined || vers === undefined || protocol === undefined || port === undefined) return undefined;
  return { prog, vers, protocol, port };
}

/** A registered wildcard address (0.0.0.0, ::) names every address: answer the one the caller reached. */
function mergeAddr(addr: string, ctx: CallContext): string {
  const host = hostOfUaddr(addr);
  const port = portOfUaddr(addr);
  return (host === "0.0.0.0" || host === "::") && port !== undefined ? uaddrOf(ctx.localHost, port) : addr;
}

type Result = Uint8Array | "garbage" | "unavailable";

function portmap(call: RpcCall, reg: RpcbindRegistry, ctx: CallContext): Result {
  const w = new XdrWriter();
  switch (call.proc) {
    case 0:
      return w.bytes();
    case 1:
    case 2:
    case 3: {
      const m = readMapping(call.args);
      if (m === undefined) return "garbage";
      if (call.proc === 3) return w.u32(reg.pmapGetPort(m.prog, m.vers, m.protocol)).bytes();
      const done = call.proc === 1 ? reg.pmapSet(m.prog, m.vers, m.protocol, m.port, ctx.local) : reg.pmapUnset(m.prog, m.vers, ctx.local);
      return w.bool(done).bytes();
    }
    case 4:
      for (const m of reg.pmapDump()) w.bool(true).u32(m.prog).u32(m.vers).u32(m.protocol).u32(m.port);
      return w.bool(false).bytes();
    default:
      return "unavailable";
  }
}

function rpcbind(call: RpcCall, reg: RpcbindRegistry, ctx: CallContext): Result {
  const w = new XdrWriter();
  switch (call.proc) {
    case 0:
      return w.bytes();
    case 1:
    case 2:
    case 3:
    case 9: {
      if (call.proc === 9 && call.vers < 4) return "unavailable";
      const r = readRpcb(call.args);
      if (r === undefined) return "garbage";
      if (call.proc === 1) return w.bool(reg.set(r, ctx.local)).bytes();
      if (call.proc === 2) return w.bool(reg.unset(r.prog, r.vers, r.netid, ctx.local)).bytes();
      // GETADDR falls back to another version of the program (as rpcbind does); GETVERSADDR wants this one.
      const found = reg.lookup(r.prog, r.vers, r.netid === "" ? ctx.netid : r.netid, call.proc === 3);
      return w.string(found === undefined ? "" : mergeAddr(found.addr, ctx)).bytes();
    }
    case 4:
      for (const e of reg.dump()) w.bool(true).u32(e.prog).u32(e.vers).string(e.netid).string(e.addr).string(e.owner);
      return w.bool(false).bytes();
    case 6:
      return w.u32(Math.floor(ctx.nowS()) >>> 0).bytes();
    default:
      return "unavailable";
  }
}

/** Answer one RPC message; a message that is not a readable call is dropped with the reason. */
export function handleMessage(message: Uint8Array, reg: RpcbindRegistry, ctx: CallContext): Handled {
  const d = decodeCall(message);
  if (d.kind === "bad") return { drop: d.reason };
  if (d.kind === "rpc-mismatch") return { reply: encodeRpcMismatch(d.xid), note: "RPC version other than 2" };
  const { call } = d;
  if (call.prog !== RPCBIND_PROGRAM) return { reply: encodeAccepted(call.xid, ACCEPT.PROG_UNAVAIL), note: `program ${call.prog}` };
  if (call.vers < VERSIONS.low || call.vers > VERSIONS.high) return { reply: encodeAccepted(call.xid, ACCEPT.PROG_MISMATCH, undefined, VERSIONS), note: `version ${call.vers}` };
  const result = call.vers === 2 ? portmap(call, reg, ctx) : rpcbind(call, reg, ctx);
  if (result === "garbage") return { reply: encodeAccepted(call.xid, ACCEPT.GARBAGE_ARGS), note: `malformed arguments to procedure ${call.proc} (v${call.vers})` };
  if (result === "unavailable") return { reply: encodeAccepted(call.xid, ACCEPT.PROC_UNAVAIL), note: `procedure ${call.proc} (v${call.vers}) not served` };
  return { reply: encodeAccepted(call.xid, ACCEPT.SUCCESS, result) };
}
