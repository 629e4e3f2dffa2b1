/**
 * What happens to nodes booting an image that changed (clone --force, squash, default image updates): WALT
 * reboots them (§4.8). Network boot arrives in a later issue, so the hook is injected; the default one records
 * a platform log line naming the nodes that should reboot.
 */
import type { ServerContext } from "../../context.ts";
import { DeviceRepo } from "../../devices/repo.ts";
import { platformLog } from "../../logs/platform.ts";

/** Reboot the nodes booting any of `fullnames`; `cause` as WALT's reboot causes (`image change`). */
export type RebootNodes = (fullnames: readonly string[], cause: string) => Promise<void>;

/** The node names booting one of `fullnames`, sorted. */
export async function nodesUsing(ctx: Pick<ServerContext, "db">, fullnames: readonly string[]): Promise<string[]> {
  const wanted = new Set(fullnames);
  return (await new DeviceRepo(ctx.db).all())
    .filter((d) => d.node !== undefined && wanted.has(d.node.image))
    .map((d) => d.name)
    .sort();
}

/** Until network boot exists: a `platform.images` log line (nothing when no node uses the images). */
export function logRebootNodes(ctx: Pick<ServerContext, "db" | "logs" | "serverMac" | "log">): RebootNodes {
  return async (fullnames, cause) => {
    const names = await nodesUsing(ctx, fullnames);
    if (names.length === 0) return;
    await platformLog(ctx, "images", `nodes ${names.join(", ")} should reboot (${cause}: ${[...fullnames].join(", ")})`);
  };
}
