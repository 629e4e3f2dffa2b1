/**
 * Glue between the settings framework (pure: definitions, checks, display) and the database:
 * resolve the set, check ownership, plan, then apply every update at once.
 */
import type { ServerContext } from "../context.ts";
import { DeviceRepo, type DeviceWithNode } from "../devices/repo.ts";
import { isInWaltNet } from "../devices/info.ts";
import { resolveNodeSet, resolveSet } from "../devices/sets.ts";
import { requireOwnedOrFree } from "../nodes/guard.ts";
import { platformLog } from "../logs/platform.ts";
import { formatConfig, planSettings, settingNamesFor, type SettingsDevice } from "./index.ts";

export function toSettingsDevice(ctx: Pick<ServerContext, "config">, d: DeviceWithNode): SettingsDevice {
  return { mac: d.mac, name: d.name, type: d.type, ip: d.ip, virtual: d.virtual, conf: d.conf, inWaltNet: isInWaltNet(ctx, d.ip) };
}

async function resolve(ctx: ServerContext, user: string, set: string, nodesOnly: boolean): Promise<{ all: DeviceWithNode[]; devs: DeviceWithNode[] }> {
  const all = await new DeviceRepo(ctx.db).all();
  return { all, devs: nodesOnly ? resolveNodeSet(all, user, set) : resolveSet(all, user, set) };
}

export async function getDeviceConfig(ctx: ServerContext, user: string, set: string, nodesOnly: boolean): Promise<string> {
  const { devs } = await resolve(ctx, user, set, nodesOnly);
  return formatConfig(devs.map((d) => toSettingsDevice(ctx, d)));
}

/** Apply settings; nodes of other users need `force` (the CLI confirmed). */
export async function setDeviceConfig(
  ctx: ServerContext,
  user: string,
  set: string,
  args: string[],
  opts: { nodesOnly: boolean; force: boolean },
): Promise<{ messages: string[]; final: string }> {
  const { all, devs } = await resolve(ctx, user, set, opts.nodesOnly);
  requireOwnedOrFree(devs.filter((d) => d.type === "node"), user, opts.force);
  const plan = await planSettings(
    devs.map((d) => toSettingsDevice(ctx, d)),
    args,
    { allDevices: all.map((d) => toSettingsDevice(ctx, d)), canBindPort: (port) => canBind(port) },
  );
  const repo = new DeviceRepo(ctx.db);
  await ctx.db.tx(async () => {
    for (const u of plan.updates) {
      await repo.update(u.mac, { conf: u.conf, ...(u.type ? { type: u.type } : {}), ...(u.rename ? { name: u.rename.to } : {}) });
    }
  });
  for (const u of plan.updates) if (u.rename) await platformLog(ctx, "devices", `renamed ${u.rename.from} to ${u.rename.to} for clarity`);
  return { messages: plan.messages, final: plan.finalMessage };
}

/** Setting names applicable to every device of the set (shell completion). */
export function settingNamesForDevices(ctx: Pick<ServerContext, "config">, devs: readonly DeviceWithNode[]): string[] {
  return settingNamesFor(devs.map((d) => toSettingsDevice(ctx, d)));
}

/** WALT's bind test for `expose`: can the server listen on this TCP port? */
async function canBind(port: number): Promise<string | null> {
  try {
    const s = Bun.listen({ hostname: "0.0.0.0", port, socket: { data() {} } });
    s.stop(true);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
