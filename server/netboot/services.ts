/**
 * The network services of network boot, bound to walt-net's address (docs/netboot.md, start order):
 * walt-net → HTTP on walt-net:80 (nodes always use port 80) → NBD → TFTP → rpcbind → NFS. Virtual nodes and DHCP come
 * after the first sync (service.ts). Each entry of the returned list stops one service within a deadline.
 */
import { join } from "node:path";
import type { ServerContext } from "../context.ts";
import { NbdServer } from "../nbd/server.ts";
import { createTftpServer } from "../tftp/server.ts";
import { fileRoute, waltMapPath } from "../tftp/routes.ts";
import type { IpObserver } from "./observe.ts";
import { RouterAdvertSender } from "./ndp/ra-sender.ts";
import { startRpcbind } from "./rpcbind.ts";
import { setupWaltNet } from "./walt-net.ts";

export interface Stoppable {
  name: string;
  stop(deadline: AbortSignal): Promise<void>;
}

export const NBD_PORT = 10809;
export const NODE_HTTP_PORT = 80;

/** Directories node boot files may resolve into (a request never leaves them, after symlinks). */
export function bootRoots(dataDir: string): string[] {
  return [join(dataDir, "nodes"), join(dataDir, "served"), join(dataDir, "pxe")];
}

export interface ServiceHooks {
  /** The HTTP application, served again on walt-net:80 when the main listener is elsewhere. */
  fetch(req: Request, ip: string): Response | Promise<Response>;
  observe: IpObserver;
}

export interface NetworkServices {
  /** One IPv6 router advertisement on walt-net (ndp/router-advert.ts): ends a PXE firmware's wait for IPv6. */
  advertiseRouter(): void;
}

/** Start walt-net, node HTTP, NBD, TFTP and rpcbind; on failure, what started is stopped and the error thrown. */
export async function startNetworkServices(ctx: ServerContext, hooks: ServiceHooks, started: Stoppable[]): Promise<NetworkServices> {
  const { config, log } = ctx;
  const { serverIp, prefix, rawDevice } = config.waltNet;
  const net = await setupWaltNet({ serverIp, prefix, rawDevice, mac: ctx.serverMac, log });
  started.push({ name: "walt-net", stop: () => net.teardown() });
  const ra = new RouterAdvertSender({ ifname: net.name, mac: ctx.serverMac, log });
  if (ra.open()) {
    started.push({ name: "router advertisements", stop: () => Promise.resolve(ra.close()) });
    log.info("netboot: IPv6 router advertisements on walt-net when a node asks DHCP (no prefix, not a default router)");
  }

  const mainCoversWaltNet = config.http.port === NODE_HTTP_PORT && (config.http.host === "0.0.0.0" || config.http.host === serverIp);
  if (!mainCoversWaltNet) {
    const http = Bun.serve({
      hostname: serverIp,
      port: NODE_HTTP_PORT,
      idleTimeout: 0,
      fetch: (req, srv) => hooks.fetch(req, srv.requestIP(req)?.address?.replace(/^::ffff:/, "") ?? ""),
    });
    started.push({ name: "http (walt-net)", stop: () => http.stop(true) });
    log.info("netboot: HTTP for nodes", { url: `http://${serverIp}:${NODE_HTTP_PORT}` });
  }

  const nbd = new NbdServer({
    host: serverIp,
    port: NBD_PORT,
    swapDir: join(config.dataDir, "nbd-swap"),
    logger: log,
    onConnect: (peer, name) => hooks.observe.nbd(peer.address, `swap export ${name} connected`),
    onDisconnect: (peer, name) => hooks.observe.nbd(peer.address, `swap export ${name} disconnected, its file removed`),
  });
  await nbd.start();
  started.push({ name: "nbd", stop: (d) => nbd.stop(d) });

  const tftp = createTftpServer({
    host: serverIp,
    port: 69,
    routes: [fileRoute(config.dataDir, waltMapPath, { name: "walt", allowedRoots: bootRoots(config.dataDir) })],
    logger: log.child({ service: "tftp" }),
    onEvent: (e) => hooks.observe.bootFile(e.clientIp, e.path, e.bytes, e.kind === "served" ? undefined : e.reason, "tftp"),
  });
  await tftp.start();
  started.push({ name: "tftp", stop: (d) => tftp.stop(d) });

  // Before ganesha, which registers NFSv3 and MOUNT with it (rpcbind.ts).
  const rpcbind = await startRpcbind(serverIp, log.child({ service: "rpcbind" }));
  if (rpcbind.stoppable !== undefined) started.push(rpcbind.stoppable);
  return { advertiseRouter: () => void ra.advertise() };
}
