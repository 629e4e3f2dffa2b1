/** `walt device forget` (WALT §1.7, §6.5): delete everything about a device. */
import { notFound, usageError } from "../../src/errors.ts";
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "./repo.ts";
import { platformLog } from "../logs/platform.ts";

export type ForgetResult = { status: "done" } | { status: "has-logs"; logLines: number };

/**
 * Forget a device. Without `force`, a device with log lines (console streams excluded) is kept and the
 * count is returned so the CLI can print WALT's warning. Virtual nodes are removed with `walt node remove`.
 */
export async function forgetDevice(ctx: ServerContext, name: string, force: boolean): Promise<ForgetResult> {
  const repo = new DeviceRepo(ctx.db);
  const d = await repo.byName(name);
  if (!d) throw notFound(`No device with name '${name}' found.`);
  if (d.type === "server") throw usageError("Failed: the server device cannot be forgotten.");
  if (d.type === "node" && d.virtual) throw usageError(`${name} is a virtual node. Use 'walt node remove ${name}' instead.`);
  if (!force) {
    await ctx.logs.flush();
    const n = await ctx.logs.store.countForIssuer(d.mac);
    if (n > 0) return { status: "has-logs", logLines: n };
  }
  await ctx.logs.flush();
  await repo.remove(d.mac);
  ctx.logs.forgetIssuer(d.mac);
  ctx.status.forget(d.mac);
  await platformLog(ctx, "devices", `forgot device ${name} mac=${d.mac}`);
  return { status: "done" };
}
