/** ONC RPC calls and replies as a client writes and reads them (RFC 5531), for the rpcbind tests. */
import { concatBytes } from "../../src/bytes.ts";
import { XdrReader, XdrWriter } from "../../server/nfs/rpcbind/xdr.ts";

/** A call with AUTH_NONE credentials and verifier. */
export function encodeCall(xid: number, prog: number, vers: number, proc: number, args: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes([new XdrWriter().u32(xid).u32(0).u32(2).u32(prog).u32(vers).u32(proc).u32(0).u32(0).u32(0).u32(0).bytes(), args]);
}

export interface Reply {
  xid: number;
  /** 0 accepted, 1 denied. */
  replyStat: number;
  /** accept_stat when accepted, reject_stat when denied. */
  stat: number;
  body: XdrReader;
}

export function decodeReply(b: Uint8Array): Reply {
  const r = new XdrReader(b);
  const xid = r.u32();
  const type = r.u32();
  const replyStat = r.u32();
  if (xid === undefined || type !== 1 || replyStat === undefined) throw new Error("not an RPC reply");
  if (replyStat === 0) {
    r.u32();
    r.opaque(400);
  }
  const stat = r.u32();
  if (stat === undefined) throw new Error("truncated reply");
  return { xid, replyStat, stat, body: r };
}

/** An rpcb structure (RFC 1833 §2.1). */
export const rpcb = (prog: number, vers: number, netid: string, addr: string, owner = "test"): Uint8Array =>
  new XdrWriter().u32(prog).u32(vers).string(netid).string(addr).string(owner).bytes();

/** A portmap mapping (RFC 1833 §3.1). */
export const mapping = (prog: number, vers: number, protocol: number, port: number): Uint8Array => new XdrWriter().u32(prog).u32(vers).u32(protocol).u32(port).bytes();
