/**
 * An in-process WALT server for tests: a real database (SQLite file in a temp dir, or PostgreSQL when
 * WALT_TEST_PG_URL is set and `pg: true`), the real hono app, and the real CLI routed to it through
 * `app.request` (no sockets), with stdout, stderr and the exit code captured together.
 */
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import type { Hono } from "hono";
import { systemClock, type Clock } from "../../src/clock.ts";
import { silentLogger } from "../../src/log.ts";
import { resolveConfig } from "../../server/config/config.ts";
import type { ServerContext } from "../../server/context.ts";
import { openDb, type DbTarget } from "../../server/db/db.ts";
import { createApp } from "../../server/http/app.ts";
import { LogHub } from "../../server/logs/hub.ts";
import { NodeStatus } from "../../server/nodes/status.ts";
import { registerDevice, type Registration } from "../../server/devices/register.ts";
import { ensureServerDevice } from "../../server/server-identity.ts";
import { UserRepo } from "../../server/users/tokens.ts";
import { ImageStore } from "../../server/images/store/store.ts";
import { runCli } from "../../cli/main.ts";
import { memoryIo } from "../../cli/ui/io.ts";
import { tempDir } from "./tmp.ts";

export const SERVER_MAC = "52:54:00:aa:bb:cc";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export interface TestServer {
  ctx: ServerContext;
  app: Hono;
  dir: string;
  /** Register a user and write a client config for it; returns the config path. */
  user(name: string): Promise<string>;
  /** Run the CLI as `user` (registered on first use). `input` feeds prompts line by line. */
  cli(user: string, argv: string[], opts?: { input?: string[]; env?: Record<string, string> }): Promise<CliResult>;
  /** Server-internal device registration (what DHCP will call). */
  register(r: Registration): ReturnType<typeof registerDevice>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startTestServer(opts: { clock?: Clock; pg?: string | undefined } = {}): Promise<TestServer> {
  const tmp = tempDir();
  const clock = opts.clock ?? systemClock;
  const config = resolveConfig({}, { dataDir: tmp.path, port: 0 });
  const target: DbTarget = opts.pg ? { kind: "pg", url: opts.pg } : { kind: "sqlite", path: join(tmp.path, "walt.db") };
  const db = await openDb(target);
  await ensureServerDevice(db, SERVER_MAC, config.waltNet.serverIp, clock);
  const logs = await LogHub.open(db, clock, silentLogger);
  let ctxRef: ServerContext | undefined;
  const status = new NodeStatus(() => ctxRef as ServerContext);
  const images = await ImageStore.open(tmp.path, db, silentLogger, clock);
  const ctx: ServerContext = { config, db, clock, log: silentLogger, logs, status, images, serverMac: SERVER_MAC };
  ctxRef = ctx;
  const app = createApp(ctx, (c) => (c.env as { ip?: string } | undefined)?.ip ?? "127.0.0.1");
  const configs = new Map<string, string>();
  const users = new UserRepo(db, clock);

  const user = async (name: string): Promise<string> => {
    const existing = configs.get(name);
    if (existing) return existing;
    const token = await users.register(name);
    const path = join(tmp.path, `client-${name}.conf`);
    writeFileSync(path, `server: "http://walt.test"\nusername: "${name}"\ntoken: "${token}"\n`);
    configs.set(name, path);
    return path;
  };

  return {
    ctx,
    app,
    dir: tmp.path,
    user,
    async cli(name, argv, o = {}) {
      const path = await user(name);
      const io = memoryIo({ input: o.input ?? [], env: { WALT_CONFIG: path, HOME: tmp.path, ...o.env } });
      const code = await runCli(argv, io, { fetch: async (url, init) => app.request(url, init) });
      return { code, out: io.out(), err: io.err() };
    },
    register: (r) => registerDevice(ctx, r),
    async [Symbol.asyncDispose]() {
      await logs.close();
      await db.close();
      tmp[Symbol.dispose]();
    },
  };
}
