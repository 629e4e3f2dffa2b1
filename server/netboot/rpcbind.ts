/**
 * rpcbind for network boot (docs/netboot.md, "NFSv3 and rpcbind"). ganesha must register NFSv3 and MOUNT with an
 * rpcbind or it exits, and WALT's own images mount their root with the kernel's `nfsroot=…,vers=3`, which asks
 * the server's rpcbind (port 111) for the MOUNT port. The server answers it itself, on loopback (where ganesha's
 * libtirpc looks when /run/rpcbind.sock does not answer: [::1]:111, seen with strace) and on walt-net.
 *
 * A host that runs its own rpcbind keeps it: port 111 taken everywhere means ganesha registers there, and the
 * server stays out of the way. Debian's rpcbind is not started by us: it would create /run/rpcbind.sock in the
 * host's file system from inside a test's network namespace, and serve any other namespace through it.
 */
import type { Logger } from "../../src/log.ts";
import { RpcbindServer } from "../nfs/rpcbind/server.ts";
import type { Stoppable } from "./services.ts";

export const RPCBIND_PORT = 111;

export interface RpcbindStart {
  /** Stops what was started, or undefined when the host's own rpcbind serves. */
  stoppable: Stoppable | undefined;
  server: RpcbindServer | undefined;
}

export async function startRpcbind(serverIp: string, log: Logger, port = RPCBIND_PORT): Promise<RpcbindStart> {
  const tcp = ["::1", "127.0.0.1", serverIp].map((host) => ({ host, port }));
  const udp = [{ host: serverIp, port }];
  const server = new RpcbindServer({ tcp, udp, log });
  const failed = await server.start();
  // Nothing bound, each endpoint taken (::1 may also just be missing): the host's rpcbind serves them all.
  if (failed.length === tcp.length + udp.length && failed.every((f) => f.error === "EADDRINUSE" || f.endpoint.host === "::1")) {
    await server.stop();
    log.info(`rpcbind: port ${port} is already served (the host's rpcbind): ganesha registers with it`);
    return { stoppable: undefined, server: undefined };
  }
  for (const f of failed) log.warn("rpcbind: cannot listen", { proto: f.proto, host: f.endpoint.host, port: f.endpoint.port, error: f.error });
  log.info("rpcbind: listening", { hosts: `::1, 127.0.0.1, ${serverIp}`, port });
  return { stoppable: { name: "rpcbind", stop: () => server.stop() }, server };
}
