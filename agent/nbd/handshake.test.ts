/** The handshake against the project's own NBD server on loopback, through a Bun-socket transport. */
import { describe, expect, test } from "bun:test";
import { startNbdServer } from "../../test/helpers/nbd-server.ts";
import { encodeGo, negotiate, type Transport } from "./handshake.ts";

/** A Transport over a Bun TCP socket (the agent's real one is a libc fd, see libc.ts). */
async function bunTransport(port: number): Promise<Transport & { end(): void }> {
  let input = new Uint8Array(0);
  let ended = false;
  let wake = (): void => undefined;
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data: (_s, chunk) => {
        const next = new Uint8Array(input.length + chunk.length);
        next.set(input);
        next.set(chunk, input.length);
        input = next;
        wake();
      },
      close: () => {
        ended = true;
        wake();
      },
    },
  });
  return {
    read: async (n) => {
      while (input.length < n) {
        if (ended) throw new Error("connection closed");
        await new Promise<void>((r) => (wake = r));
      }
      const out = input.slice(0, n);
      input = input.slice(n);
      return out;
    },
    write: (b) => {
      socket.write(b);
      return Promise.resolve();
    },
    end: () => socket.end(),
  };
}

/** The message a promise rejects with ("resolved" when it did not). */
const messageOf = (p: Promise<unknown>): Promise<string> => p.then(() => "resolved", (e: unknown) => (e instanceof Error ? e.message : String(e)));

describe("NBD handshake", () => {
  test("NBD_OPT_GO for a swap export: its size and transmission flags; the server opens the export", async () => {
    await using nbd = await startNbdServer();
    const t = await bunTransport(nbd.port);
    const info = await negotiate(t, "swap-16M");
    expect(info.sizeBytes).toBe(16 * 2 ** 20);
    expect(info.transmissionFlags & 1).toBe(1); // NBD_FLAG_HAS_FLAGS
    expect(info.transmissionFlags & 2).toBe(0); // not read-only: it is swap
    expect(nbd.events).toEqual(["connect swap-16M"]);
    t.end();
  });

  test("a refused export names the reply type and the server's message", async () => {
    await using nbd = await startNbdServer({ maxExportBytes: 2 ** 30 });
    const unknown = await bunTransport(nbd.port);
    expect(await messageOf(negotiate(unknown, "disk"))).toMatch(/^NBD handshake: the server refused export "disk" \(NBD_REP_ERR_UNKNOWN\): Unknown export "disk"/);
    const big = await bunTransport(nbd.port);
    expect(await messageOf(negotiate(big, "swap-16G"))).toMatch('the server refused export "swap-16G" (NBD_REP_ERR_POLICY)');
    unknown.end();
    big.end();
  });

  test("a peer that is not a newstyle NBD server is refused at the greeting", async () => {
    const http = new TextEncoder().encode("HTTP/1.1 400 Bad Request\r\n");
    const t: Transport = { read: (n) => Promise.resolve(http.slice(0, n)), write: () => Promise.resolve() };
    expect(await messageOf(negotiate(t, "swap"))).toMatch("NBD handshake: not a newstyle NBD server");
  });

  test("NBD_OPT_GO bytes: IHAVEOPT, option 7, length, name length, name, no information requests", () => {
    expect(Buffer.from(encodeGo("swap")).toString("hex")).toBe("49484156454f5054" + "00000007" + "0000000a" + "00000004" + "73776170" + "0000");
  });
});
