/**
 * Compose the server: database and migrations, then WALT logs, then the HTTP service. Services start in
 * dependency order and stop in reverse, each within the shutdown deadline (model-codebases §4.7).
 */
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { systemClock, type Clock } from "../src/clock.ts";
import type { Logger } from "../src/log.ts";
import { sqlitePath, type ServerConfig } from "./config/config.ts";
import type { ServerContext } from "./context.ts";
import { openDb } from "./db/db.ts";
import { createApp } from "./http/app.ts";
import { lockDataDir } from "./lock.ts";
import { LogHub } from "./logs/hub.ts";
import { NodeStatus } from "./nodes/status.ts";
import { ensureServerDevice, serverMac } from "./server-identity.ts";
import { WaltError } from "../src/errors.ts";
import { ImageStore } from "./images/store/store.ts";
import { importDefaultImages } from "./images/service/defaults.ts";
import { createNetboot, netbootEnabled } from "./netboot/create.ts";
import type { Netboot } from "./netboot/service.ts";

/** The HTTP API on a unix socket too: the CLI reaches a server running in another network namespace. */
export const socketPath = (dataDir: string): string => join(dataDir, "walt.sock");

export interface RunningServer {
  readonly ctx: ServerContext;
  /** Base URL of the HTTP service. */
  readonly url: string;
  readonly port: number;
  /** Graceful stop: HTTP first, then logs flushed, then the database closed. Idempotent. */
  stop(deadlineMs?: number): Promise<void>;
}

export async function startServer(config: ServerConfig, log: Logger, clock: Clock = systemClock): Promise<RunningServer> {
  try {
    mkdirSync(config.dataDir, { recursive: true });
  } catch (e) {
    throw new WaltError("UNAVAILABLE", `Cannot create the data directory ${config.dataDir}: ${(e as Error).message}`);
  }
  const lock = lockDataDir(config.dataDir);
  const steps: { name: string; stop(): Promise<void> | void }[] = [{ name: "lock", stop: () => lock.release() }];
  const stopAll = async (deadlineMs: number): Promise<void> => {
    const deadline = Date.now() + deadlineMs;
    for (const s of steps.reverse()) {
      const t0 = Date.now();
      const left = Math.max(0, deadline - Date.now());
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((r) => (timer = setTimeout(r, left)));
      await Promise.race([Promise.resolve(s.stop()), late]);
      clearTimeout(timer);
      log.info("server: stopped", { service: s.name, ms: Date.now() - t0 });
    }
    steps.length = 0;
  };
  try {
    const db = await openDb(config.databaseUrl ? { kind: "pg", url: config.databaseUrl } : { kind: "sqlite", path: sqlitePath(config) });
    steps.push({ name: "database", stop: () => db.close() });
    const mac = serverMac(config.dataDir);
    await ensureServerDevice(db, mac, config.waltNet.serverIp, clock);
    const logs = await LogHub.open(db, clock, log);
    steps.push({ name: "logs", stop: () => logs.close() });
    let ctxRef: ServerContext | undefined;
    const status = new NodeStatus(() => {
      if (!ctxRef) throw new Error("server context not ready");
      return ctxRef;
    });
    const images = await ImageStore.open(config.dataDir, db, log, clock);
    const netboot: Netboot | undefined = netbootEnabled(config, log)
      ? createNetboot(() => {
          if (!ctxRef) throw new Error("server context not ready");
          return ctxRef;
        }, config, log)
      : undefined;
    const ctx: ServerContext = { config, db, clock, log, logs, status, images, serverMac: mac, netboot };
    ctxRef = ctx;
    await importDefaultImages(ctx, config.defaultImagesDir, log);
    const app = createApp(ctx, (c) => (c.env as { ip?: string } | undefined)?.ip ?? "127.0.0.1");
    const http = Bun.serve({
      hostname: config.http.host,
      port: config.http.port,
      idleTimeout: 0, // streams (realtime logs, node wait) stay open as long as the client wants
      fetch: (req, srv) => app.fetch(req, { ip: srv.requestIP(req)?.address?.replace(/^::ffff:/, "") ?? "" }),
    });
    steps.push({ name: "http", stop: () => http.stop(true) });
    const sock = socketPath(config.dataDir);
    rmSync(sock, { force: true }); // left by a server that died: the data dir lock says none runs now
    // idleTimeout works on unix sockets too (streams such as `walt node wait` stay quiet for long), though
    // Bun's types only allow it on TCP servers.
    const unixOptions = { unix: sock, idleTimeout: 0, fetch: (req: Request) => app.fetch(req, { ip: "" }) };
    const unix = Bun.serve(unixOptions as unknown as Parameters<typeof Bun.serve>[0]);
    chmodSync(sock, 0o666); // the token authenticates; the socket only has to be reachable
    steps.push({ name: "http (unix socket)", stop: () => unix.stop(true) });
    if (netboot) {
      steps.push({ name: "netboot", stop: () => netboot.stop(AbortSignal.timeout(config.shutdownDeadlineMs)) });
      await netboot.start((req, ip) => app.fetch(req, { ip }));
    }
    log.info("server: ready", { url: http.url.href, database: db.dialect, dataDir: config.dataDir });
    let stopped: Promise<void> | undefined;
    return {
      ctx,
      url: http.url.href.replace(/\/$/, ""),
      port: http.port ?? config.http.port,
      stop: (deadlineMs = config.shutdownDeadlineMs) => (stopped ??= stopAll(deadlineMs)),
    };
  } catch (e) {
    await stopAll(config.shutdownDeadlineMs);
    if (e instanceof Error && !(e instanceof WaltError) && /EADDRINUSE|in use/i.test(e.message)) {
      throw new WaltError("UNAVAILABLE", `Cannot listen on ${config.http.host}:${config.http.port}: the address is already in use.`, { hint: "choose another port with --port, or stop the process using it" });
    }
    throw e;
  }
}
