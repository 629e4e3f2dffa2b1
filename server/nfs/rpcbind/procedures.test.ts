import { describe, expect, test } from "bun:test";
import { decodeReply, encodeCall, mapping, rpcb } from "../../../test/helpers/rpc-client.ts";
import { type CallContext, handleMessage, RPCBIND_PROGRAM } from "./procedures.ts";
import { RpcbindRegistry } from "./registry.ts";
import { XdrWriter } from "./xdr.ts";

const LOCAL: CallContext = { local: true, netid: "tcp6", localHost: "::1", nowS: () => 1_790_000_000 };
const NODE: CallContext = { local: false, netid: "tcp", localHost: "192.168.152.1", nowS: () => 1_790_000_000 };

function call(reg: RpcbindRegistry, ctx: CallContext, vers: number, proc: number, args?: Uint8Array, prog = RPCBIND_PROGRAM) {
  const h = handleMessage(encodeCall(77, prog, vers, proc, args), reg, ctx);
  if ("drop" in h) throw new Error(`dropped: ${h.drop}`);
  const r = decodeReply(h.reply);
  expect(r.xid).toBe(77);
  return r;
}

describe("rpcbind procedures", () => {
  test("ganesha's registration over loopback, then a node's GETADDR and GETPORT over walt-net", () => {
    const reg = new RpcbindRegistry();
    expect(call(reg, LOCAL, 4, 1, rpcb(100005, 3, "tcp", "192.168.152.1.78.80")).body.bool()).toBe(true);
    expect(call(reg, LOCAL, 4, 1, rpcb(100003, 3, "tcp", "192.168.152.1.8.1")).body.bool()).toBe(true);
    expect(call(reg, NODE, 3, 3, rpcb(100005, 3, "", "", "")).body.string(100)).toBe("192.168.152.1.78.80");
    expect(call(reg, NODE, 2, 3, mapping(100003, 3, 6, 0)).body.u32()).toBe(2049);
    // GETVERSADDR (v4) wants the exact version; GETADDR takes another one.
    expect(call(reg, NODE, 4, 9, rpcb(100005, 1, "tcp", "", "")).body.string(100)).toBe("");
    expect(call(reg, NODE, 4, 3, rpcb(100005, 1, "tcp", "", "")).body.string(100)).toBe("192.168.152.1.78.80");
  });

  test("a node cannot register or unregister; nothing changes", () => {
    const reg = new RpcbindRegistry();
    call(reg, LOCAL, 4, 1, rpcb(100003, 3, "tcp", "192.168.152.1.8.1"));
    expect(call(reg, NODE, 4, 1, rpcb(100099, 1, "tcp", "192.168.152.2.1.1")).body.bool()).toBe(false);
    expect(call(reg, NODE, 4, 2, rpcb(100003, 3, "", "")).body.bool()).toBe(false);
    expect(call(reg, NODE, 2, 1, mapping(100099, 1, 6, 257)).body.bool()).toBe(false);
    expect(reg.dump().map((e) => e.prog)).toEqual([100003]);
  });

  test("a wildcard registration is answered with the address the node reached", () => {
    const reg = new RpcbindRegistry();
    expect(call(reg, LOCAL, 2, 1, mapping(100005, 3, 6, 20048)).body.bool()).toBe(true);
    expect(call(reg, NODE, 3, 3, rpcb(100005, 3, "tcp", "", "")).body.string(100)).toBe("192.168.152.1.78.80");
  });

  test("DUMP lists registrations (v2 mappings, v3/v4 rpcb entries); GETTIME answers the clock; NULL answers nothing", () => {
    const reg = new RpcbindRegistry();
    call(reg, LOCAL, 4, 1, rpcb(100003, 3, "tcp", "192.168.152.1.8.1", "superuser"));
    const v4 = call(reg, NODE, 4, 4).body;
    expect([v4.bool(), v4.u32(), v4.u32(), v4.string(9), v4.string(99), v4.string(99), v4.bool()]).toEqual([true, 100003, 3, "tcp", "192.168.152.1.8.1", "superuser", false]);
    const v2 = call(reg, NODE, 2, 4).body;
    expect([v2.bool(), v2.u32(), v2.u32(), v2.u32(), v2.u32(), v2.bool()]).toEqual([true, 100003, 3, 6, 2049, false]);
    expect(call(reg, NODE, 3, 6).body.u32()).toBe(1_790_000_000);
    const nul = call(reg, NODE, 2, 0);
    expect([nul.stat, nul.body.remaining]).toEqual([0, 0]);
  });

  test("other programs, versions and procedures, and malformed arguments, get RPC's error answers", () => {
    const reg = new RpcbindRegistry();
    expect(call(reg, NODE, 3, 0, undefined, 100003).stat).toBe(1); // PROG_UNAVAIL
    const mm = call(reg, NODE, 5, 0);
    expect([mm.stat, mm.body.u32(), mm.body.u32()]).toEqual([2, 2, 4]); // PROG_MISMATCH 2..4
    expect(call(reg, NODE, 2, 5).stat).toBe(3); // CALLIT: PROC_UNAVAIL
    expect(call(reg, NODE, 3, 9).stat).toBe(3); // GETVERSADDR is v4 only
    expect(call(reg, NODE, 4, 1, new XdrWriter().u32(1).bytes()).stat).toBe(4); // GARBAGE_ARGS
    expect(call(reg, NODE, 2, 3, new Uint8Array(7)).stat).toBe(4);
  });

  test("what is not a call is dropped with the reason", () => {
    expect(handleMessage(new Uint8Array(3), new RpcbindRegistry(), NODE)).toEqual({ drop: "3-byte message, shorter than an RPC header" });
  });
});
