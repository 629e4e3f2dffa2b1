/**
 * Test helper: a real ServerContext on an in-memory SQLite database with a manual clock, the server
 * device registered, and a Hono app carrying the web API routes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImageStore } from "../images/store/store.ts";
import { Hono } from "hono";
import { manualClock } from "../../src/clock.ts";
import { silentLogger } from "../../src/log.ts";
import { resolveConfig } from "../config/config.ts";
import type { ServerContext } from "../context.ts";
import { openDb } from "../db/db.ts";
import { DeviceRepo } from "../devices/repo.ts";
import { ImageRepo } from "../images/repo.ts";
import { LogHub } from "../logs/hub.ts";
import { NodeStatus } from "../nodes/status.ts";
import { mountWebApi } from "./mount.ts";
import type { ConfigOf } from "./nodes.ts";

export const SERVER_MAC = "52:54:00:00:00:01";
/** 2023-11-14 22:13:20 UTC, in microseconds. */
export const T0_US = 1_700_000_000_000_000;

export interface TestEnv {
  ctx: ServerContext;
  clock: ReturnType<typeof manualClock>;
  devices: DeviceRepo;
  images: ImageRepo;
  app: Hono;
  close(): Promise<void>;
}

/** A stub of the settings module: the stored settings plus the device name, enough to see it is wired. */
export const stubConfigOf: ConfigOf = (d) => ({ ...d.conf, "stub.name": d.name });

export async function testEnv(configOf: ConfigOf = stubConfigOf): Promise<TestEnv> {
  const db = await openDb({ kind: "sqlite", path: ":memory:" });
  const clock = manualClock(T0_US);
  const logs = await LogHub.open(db, clock, silentLogger);
  let ctxRef: ServerContext | undefined;
  const status = new NodeStatus(() => {
    if (!ctxRef) throw new Error("context not ready");
    return ctxRef;
  });
  const dataDir = mkdtempSync(join(tmpdir(), "walt-webapi-"));
  const config = resolveConfig({}, { dataDir });
  const images = await ImageStore.open(dataDir, db, silentLogger, clock);
  const ctx: ServerContext = { config, db, clock, log: silentLogger, logs, status, images, serverMac: SERVER_MAC };
  ctxRef = ctx;
  const devices = new DeviceRepo(db);
  await devices.insert({ mac: SERVER_MAC, ip: config.waltNet.serverIp, name: "walt-server", type: "server", model: null, virtual: false, createdUs: T0_US });
  const app = new Hono();
  mountWebApi(app, ctx, configOf);
  return {
    ctx,
    clock,
    devices,
    images: new ImageRepo(db),
    app,
    close: async () => {
      await logs.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Register a node with its image. */
export async function addNode(
  env: TestEnv,
  n: { mac: string; name: string; image: string; ip?: string | null; model?: string; virtual?: boolean; conf?: Record<string, string | number | boolean | null> },
): Promise<void> {
  await env.devices.insert({
    mac: n.mac,
    ip: n.ip === undefined ? null : n.ip,
    name: n.name,
    type: "node",
    model: n.model ?? "pc-x86-64",
    virtual: n.virtual ?? true,
    createdUs: T0_US,
    conf: n.conf ?? {},
  });
  await env.devices.setNode(n.mac, n.image);
}

/** GET `path` on the web API; returns the status, the content type and the body (parsed when JSON). */
export async function get(env: TestEnv, path: string, headers: Record<string, string> = {}) {
  const res = await env.app.request(path, { headers });
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, type, text, body: type.startsWith("application/json") ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}
