/**
 * Test support: a real ServerContext on in-memory SQLite with a manual clock and the server device, for the
 * DHCP backend tests (registration goes through server/devices/register.ts for real).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manualClock } from "../../src/clock.ts";
import { silentLogger } from "../../src/log.ts";
import { resolveConfig } from "../config/config.ts";
import type { ServerContext } from "../context.ts";
import { openDb } from "../db/db.ts";
import { ImageStore } from "../images/store/store.ts";
import { LogHub } from "../logs/hub.ts";
import { NodeStatus } from "../nodes/status.ts";
import { ensureServerDevice } from "../server-identity.ts";

export const SERVER_MAC = "52:54:00:00:00:01";
export const T0_US = 1_700_000_000_000_000;

export interface DhcpTestContext {
  ctx: ServerContext;
  clock: ReturnType<typeof manualClock>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function dhcpTestContext(): Promise<DhcpTestContext> {
  const db = await openDb({ kind: "sqlite", path: ":memory:" });
  const clock = manualClock(T0_US);
  const dataDir = mkdtempSync(join(tmpdir(), "walt-dhcp-"));
  const config = resolveConfig({}, { dataDir });
  await ensureServerDevice(db, SERVER_MAC, config.waltNet.serverIp, clock);
  const logs = await LogHub.open(db, clock, silentLogger);
  let ctxRef: ServerContext | undefined;
  const status = new NodeStatus(() => {
    if (!ctxRef) throw new Error("context not ready");
    return ctxRef;
  });
  const images = await ImageStore.open(dataDir, db, silentLogger, clock);
  const ctx: ServerContext = { config, db, clock, log: silentLogger, logs, status, images, serverMac: SERVER_MAC };
  ctxRef = ctx;
  return {
    ctx,
    clock,
    async [Symbol.asyncDispose]() {
      await logs.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
