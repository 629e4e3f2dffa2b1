import { describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { RpcbindServer } from "../nfs/rpcbind/server.ts";
import { startRpcbind } from "./rpcbind.ts";

/** A TCP port free on loopback right now (the endpoints below all use one port, as 111 in service). */
function freePort(): number {
  const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: () => undefined } });
  const p = l.port;
  l.stop(true);
  return p;
}

const WALT_NET_IP = "127.0.0.2"; // stands for walt-net's address: all of 127/8 is loopback on Linux

describe("rpcbind for network boot", () => {
  test("answers on loopback (ganesha) and walt-net (nodes) when nothing holds the port", async () => {
    const lines: string[] = [];
    const r = await startRpcbind(WALT_NET_IP, createLogger({ level: "info", write: (l) => lines.push(l) }), freePort());
    try {
      expect(r.stoppable?.name).toBe("rpcbind");
      // ::1 may be missing where IPv6 is off: then three endpoints, and a warning says which one failed.
      expect(r.server?.ports.length).toBeGreaterThanOrEqual(3);
      expect(lines.some((l) => l.includes("rpcbind: listening"))).toBe(true);
    } finally {
      await r.stoppable?.stop(AbortSignal.timeout(1000));
    }
  });

  test("a port already served everywhere (the host's own rpcbind) is left to it", async () => {
    const port = freePort();
    const silent = createLogger({ level: "error", write: () => undefined });
    const host = new RpcbindServer({ tcp: ["::1", "127.0.0.1", WALT_NET_IP].map((h) => ({ host: h, port })), udp: [{ host: WALT_NET_IP, port }], log: silent });
    await host.start();
    const lines: string[] = [];
    try {
      const r = await startRpcbind(WALT_NET_IP, createLogger({ level: "info", write: (l) => lines.push(l) }), port);
      expect(r.stoppable).toBeUndefined();
      expect(lines.some((l) => l.includes("is already served (the host's rpcbind)"))).toBe(true);
    } finally {
      await host.stop();
    }
  });
});
