import { describe, expect, test } from "bun:test";
import { concatBytes } from "../../../src/bytes.ts";
import { createLogger } from "../../../src/log.ts";
import { decodeReply, encodeCall, mapping, rpcb } from "../../../test/helpers/rpc-client.ts";
import { waitFor } from "../../../test/helpers/wait-for.ts";
import { frameRecord, RecordReader } from "./rpc.ts";
import { RpcbindServer } from "./server.ts";

/** One TCP connection to the server: framed calls out, replies in. */
async function tcpPeer(port: number) {
  const replies: Uint8Array[] = [];
  const reader = new RecordReader(1 << 16);
  let closed = false;
  const sock = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data: (_s, chunk) => {
        const got = reader.push(chunk);
        if ("records" in got) replies.push(...got.records);
      },
      close: () => void (closed = true),
    },
  });
  return { sock, replies, closed: () => closed };
}

async function udpCall(port: number, message: Uint8Array): Promise<Uint8Array> {
  let reply: Uint8Array | undefined;
  const s = await Bun.udpSocket({ binaryType: "uint8array", socket: { data: (_s, d) => void (reply = d) } });
  try {
    s.send(message, port, "127.0.0.1");
    return await waitFor(() => reply, "the UDP reply", 5000, 5);
  } finally {
    s.close();
  }
}

describe("rpcbind server (real sockets on 127.0.0.1, port 0)", () => {
  test("registration over TCP from loopback, lookup over UDP; garbage and broken streams leave it serving", async () => {
    const lines: string[] = [];
    const srv = new RpcbindServer({ tcp: [{ host: "127.0.0.1", port: 0 }], udp: [{ host: "127.0.0.1", port: 0 }], log: createLogger({ level: "debug", write: (l) => lines.push(l) }) });
    expect(await srv.start()).toEqual([]);
    const [tcpPort, udpPort] = srv.ports as [number, number];
    try {
      const a = await tcpPeer(tcpPort);
      // One call split across two writes, then two calls in one write.
      const set = frameRecord(encodeCall(1, 100000, 4, 1, rpcb(100005, 3, "tcp", "127.0.0.1.78.80")));
      a.sock.write(set.subarray(0, 10));
      a.sock.flush();
      a.sock.write(set.subarray(10));
      a.sock.write(concatBytes([frameRecord(encodeCall(2, 100000, 2, 1, mapping(100003, 3, 6, 2049))), frameRecord(encodeCall(3, 100000, 2, 0))]));
      await waitFor(() => a.replies.length === 3 || undefined, "three replies", 5000, 5);
      expect(a.replies.map((r) => decodeReply(r)).map((r) => [r.xid, r.stat, r.body.remaining ? r.body.bool() : null])).toEqual([
        [1, 0, true],
        [2, 0, true],
        [3, 0, null],
      ]);
      a.sock.end();

      // A datagram that is not a call: dropped and logged, no answer; the next call is answered.
      const s = await Bun.udpSocket({ binaryType: "uint8array", socket: { data: () => undefined } });
      s.send(Uint8Array.of(1, 2, 3), udpPort, "127.0.0.1");
      s.close();
      await waitFor(() => lines.some((l) => l.includes("rpcbind: message dropped")) || undefined, "the drop logged", 5000, 5);
      expect(decodeReply(await udpCall(udpPort, encodeCall(4, 100000, 2, 3, mapping(100005, 3, 6, 0)))).body.u32()).toBe(20048);
      expect(decodeReply(await udpCall(udpPort, encodeCall(5, 100000, 3, 3, rpcb(100003, 3, "", "", "")))).body.string(99)).toBe("");
      expect(decodeReply(await udpCall(udpPort, encodeCall(5, 100000, 3, 3, rpcb(100003, 3, "tcp", "", "")))).body.string(99)).toBe("127.0.0.1.8.1");

      // A record announcing 2 GB: that connection is closed, the server goes on.
      const b = await tcpPeer(tcpPort);
      b.sock.write(Uint8Array.of(0xff, 0xff, 0xff, 0xff));
      await waitFor(() => b.closed() || undefined, "the hostile connection closed", 5000, 5);
      expect(lines.some((l) => l.includes("record of over 65536 bytes"))).toBe(true);
      const c = await tcpPeer(tcpPort);
      c.sock.write(frameRecord(encodeCall(6, 100000, 4, 4)));
      await waitFor(() => c.replies[0], "the DUMP reply", 5000, 5);
      const dump = decodeReply(c.replies[0] as Uint8Array).body;
      expect([dump.bool(), dump.u32()]).toEqual([true, 100005]);
      c.sock.end();
    } finally {
      await srv.stop();
    }
  });

  test("an endpoint that cannot be bound is reported, the others serve", async () => {
    const first = new RpcbindServer({ tcp: [{ host: "127.0.0.1", port: 0 }], udp: [], log: createLogger({ level: "error", write: () => undefined }) });
    await first.start();
    const taken = first.ports[0] as number;
    const second = new RpcbindServer({ tcp: [{ host: "127.0.0.1", port: taken }, { host: "127.0.0.1", port: 0 }], udp: [], log: createLogger({ level: "error", write: () => undefined }) });
    try {
      const failed = await second.start();
      expect(failed.map((f) => [f.proto, f.endpoint.port, f.error])).toEqual([["tcp", taken, "EADDRINUSE"]]);
      expect(second.ports).toHaveLength(1);
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
