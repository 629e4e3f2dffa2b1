/**
 * Test support: the in-process test server (test/helpers/server.ts) plus network boot without network services:
 * a fake hypervisor recording VM starts and kills, served roots that are plain directories, no NFS server.
 */
import { join } from "node:path";
import type { Hono } from "hono";
import type { Clock } from "../../src/clock.ts";
import { runCli } from "../../cli/main.ts";
import { memoryIo } from "../../cli/ui/io.ts";
import { startTestServer, type CliResult, type TestServer } from "./server.ts";
import type { ServerContext } from "../../server/context.ts";
import { createApp } from "../../server/http/app.ts";
import type { NfsService } from "../../server/netboot/ganesha.ts";
import type { Mounter } from "../../server/netboot/mounter.ts";
import type { NfsExport } from "../../server/nfs/ganesha-config.ts";
import type { NodeServiceTarget } from "../../server/netboot/node-request.ts";
import { Netboot } from "../../server/netboot/service.ts";
import { FakeHypervisor } from "../../server/vnodes/fake-hypervisor.ts";

/** Served roots without root privileges: the merged directory stays an empty directory. */
export const noMounter: Mounter = {
  mountOverlay: () => Promise.resolve(),
  umount: () => Promise.resolve(),
  isMounted: () => Promise.resolve(false),
};

export interface NetbootTestServer {
  base: TestServer;
  ctx: ServerContext;
  app: Hono;
  hv: FakeHypervisor;
  netboot: Netboot;
  /** The CLI as `user`, against the app that has network boot; `ip` is the caller's address. */
  cli(user: string, argv: string[], opts?: { input?: string[] }): Promise<CliResult>;
  /** A request as a node at `ip` would send it. */
  nodeRequest(ip: string, path: string, init?: RequestInit): Promise<Response>;
  /** Network boot stopped and started again on the same data directory (a server restart; the database stays). */
  restartNetboot(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Soft reboots in tests: nothing listens on loopback port 1, so every node refuses at once (no 15 s timeouts). */
export const REFUSING_NODE_SERVICE: NodeServiceTarget = { timeoutMs: 2_000, endpoint: () => ({ host: "127.0.0.1", port: 1 }) };

/**
 * `emulated`: the real emulated bootloader reads the node's tree (else every VM "boots" with PXE);
 * `nodeService`: where soft reboots go (default: refused at once).
 */
export async function startNetbootTestServer(
  opts: { emulated?: boolean; clock?: Clock; nodeService?: NodeServiceTarget; nfs?: NfsService; agentBinary?: string } = {},
): Promise<NetbootTestServer> {
  const base = await startTestServer(opts.clock ? { clock: opts.clock } : {});
  const hv = new FakeHypervisor();
  const make = (): { ctx: ServerContext; app: Hono; netboot: Netboot } => {
    let ctxRef: ServerContext | undefined;
    const netboot = new Netboot(() => ctxRef as ServerContext, {
      dataDir: base.dir,
      services: false,
      hypervisor: hv,
      mounter: noMounter,
      nfs: opts.nfs ?? null,
      ...(opts.emulated ? {} : { bootFor: () => Promise.resolve({ kind: "pxe" as const }) }),
      delayScaleMs: 0,
      retryDelayMs: 10,
      agentBinary: opts.agentBinary,
      nodeService: opts.nodeService ?? REFUSING_NODE_SERVICE,
    });
    const ctx: ServerContext = { ...base.ctx, netboot };
    ctxRef = ctx;
    return { ctx, app: createApp(ctx, (c) => (c.env as { ip?: string } | undefined)?.ip ?? "127.0.0.1"), netboot };
  };
  const s: NetbootTestServer = {
    base,
    ...make(),
    hv,
    async cli(user, argv, o = {}) {
      const path = await base.user(user);
      const io = memoryIo({ input: o.input ?? [], env: { WALT_CONFIG: path, HOME: base.dir } });
      const code = await runCli(argv, io, { fetch: async (url, init) => s.app.request(url, init) });
      return { code, out: io.out(), err: io.err() };
    },
    nodeRequest: async (ip, path, init) => s.app.request(path, init, { ip }),
    async restartNetboot() {
      await s.netboot.stop(AbortSignal.timeout(5000));
      Object.assign(s, make());
      await s.netboot.start(() => new Response(null, { status: 404 }));
    },
    async [Symbol.asyncDispose]() {
      await s.netboot.stop(AbortSignal.timeout(5000));
      await base[Symbol.asyncDispose]();
    },
  };
  await s.netboot.start(() => new Response(null, { status: 404 }));
  return s;
}

/** An NFS server that only records the export lists it is given (the last one is what nodes can mount). */
export class RecordingNfs implements NfsService {
  readonly applied: NfsExport[][] = [];

  start(): Promise<void> {
    return Promise.resolve();
  }

  apply(phases: readonly NfsExport[][]): Promise<void> {
    this.applied.push(...phases);
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** The directory exported at `pseudo` now. */
  pathAt(pseudo: string): string | undefined {
    return this.applied.at(-1)?.find((e) => e.pseudo === pseudo)?.path;
  }
}

export const nodesDirOf = (s: NetbootTestServer): string => join(s.base.dir, "nodes");
