/**
 * The server device: WALT keeps a row for the server itself (name walt-server, type server) keyed by the
 * MAC of walt-net. In virtual-only mode that MAC is a persistent random 52:54:00:xx:xx:xx (WALT §3.1).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Clock } from "../src/clock.ts";
import type { Db } from "./db/db.ts";

export function serverMac(dataDir: string): string {
  const path = join(dataDir, "walt-net.mac");
  if (existsSync(path)) {
    const mac = readFileSync(path, "utf8").trim().toLowerCase();
    if (/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) return mac;
  }
  const bytes = crypto.getRandomValues(new Uint8Array(3));
  const mac = ["52", "54", "00", ...[...bytes].map((b) => b.toString(16).padStart(2, "0"))].join(":");
  writeFileSync(path, mac + "\n");
  return mac;
}

/** Ensure the server row exists (and that no other row holds its name). */
export async function ensureServerDevice(db: Db, mac: string, ip: string, clock: Clock): Promise<void> {
  const t = db.t.devices;
  const rows = await db.orm.select().from(t).where(eq(t.type, "server"));
  for (const r of rows) if (r.mac !== mac) await db.orm.delete(t).where(eq(t.mac, r.mac));
  const conflicting = await db.orm.select().from(t).where(eq(t.name, "walt-server"));
  for (const r of conflicting) if (r.mac !== mac) await db.orm.update(t).set({ name: `device-${r.mac.replace(/:/g, "").slice(-6)}` }).where(eq(t.mac, r.mac));
  await db.orm
    .insert(t)
    .values({ mac, ip, name: "walt-server", type: "server", model: null, virtual: false, createdUs: clock.nowUs() })
    .onConflictDoUpdate({ target: t.mac, set: { ip, name: "walt-server", type: "server" } });
}
