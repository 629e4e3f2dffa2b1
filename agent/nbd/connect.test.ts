/**
 * The FFI layer against this machine's kernel. NBD_CMD_CONNECT itself needs the nbd module, which tests must not
 * load on the host: the e2e boot test proves it on a VM (test/e2e/boot.test.ts, /proc/swaps of the node).
 */
import { describe, expect, test } from "bun:test";
import { genlFamilyId, nbdConnect, openExport, withGenlFamily } from "./connect.ts";
import { Libc } from "./libc.ts";
import { GENL_ID_CTRL } from "./netlink.ts";

const FIXTURE = new URL("./fixtures/nbd-server.ts", import.meta.url).pathname;

/** The project's NBD server in a child process (fixtures/nbd-server.ts): its port, and its events once stopped. */
async function nbdServerProcess(): Promise<{ port: number; stop(): Promise<string[]> }> {
  const proc = Bun.spawn({ cmd: [process.execPath, FIXTURE], stdin: "pipe", stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the NBD server fixture exited: ${text}`);
    text += new TextDecoder().decode(value);
  }
  const [port = "", ...rest] = text.split("\n");
  return {
    port: Number(port),
    stop: async () => {
      await proc.stdin.end();
      let tail = rest.join("\n");
      for (let r = await reader.read(); !r.done; r = await reader.read()) tail += new TextDecoder().decode(r.value);
      await proc.exited;
      return tail.split("\n").filter((l) => l !== "");
    },
  };
}

/** The message a promise rejects with ("resolved" when it did not). */
const messageOf = (p: Promise<unknown>): Promise<string> => p.then(() => "resolved", (e: unknown) => (e instanceof Error ? e.message : String(e)));

describe("libc sockets through bun:ffi", () => {
  test("generic netlink resolves the controller's own family, and an unknown family is ENOENT", () => {
    const libc = new Libc();
    try {
      expect(withGenlFamily(libc, "nlctrl", 5000, (fd, id) => [id, genlFamilyId(libc, fd, "nlctrl")])).toEqual([GENL_ID_CTRL, GENL_ID_CTRL]);
      expect(() => withGenlFamily(libc, "walt-nofamily", 5000, (_fd, id) => id)).toThrow("generic netlink family walt-nofamily: ENOENT");
    } finally {
      libc.close();
    }
  });

  test("a server that does not listen is ECONNREFUSED, a bad address a usage error, before any netlink call", async () => {
    const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: () => undefined } });
    const port = closed.port;
    closed.stop(true);
    const opts = { port, exportName: "swap-1M", index: 0, timeoutMs: 5000 };
    expect(await messageOf(nbdConnect({ ...opts, server: "127.0.0.1" }))).toMatch(`connect to 127.0.0.1:${port}: ECONNREFUSED`);
    expect(await messageOf(nbdConnect({ ...opts, server: "node.local" }))).toMatch("node.local is not an IPv4 address");
  });

  test("the handshake on a blocking libc socket against the project's NBD server: the export's size and flags", async () => {
    const server = await nbdServerProcess();
    const libc = new Libc();
    try {
      const { fd, info } = await openExport(libc, { server: "127.0.0.1", port: server.port, exportName: "swap-16M", timeoutMs: 5000 });
      expect(info.sizeBytes).toBe(16 * 2 ** 20);
      expect(info.transmissionFlags & 3).toBe(1); // NBD_FLAG_HAS_FLAGS, not NBD_FLAG_READ_ONLY
      libc.closeFd(fd);
    } finally {
      libc.close();
    }
    expect(await server.stop()).toEqual(["connect swap-16M", "disconnect swap-16M"]);
  });

  test("a server that accepts but never greets is a timeout (SO_RCVTIMEO) naming the call", async () => {
    // The kernel completes the TCP handshake from the listen backlog; this process never writes a byte.
    using silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: () => undefined } });
    const libc = new Libc();
    try {
      const opened = openExport(libc, { server: "127.0.0.1", port: silent.port, exportName: "swap-1M", timeoutMs: 200 });
      expect(await messageOf(opened)).toBe("recv: EAGAIN (timed out)");
    } finally {
      libc.close();
    }
  });
});
