/** The image service's hook: nodes booting an image that changed (clone --force, squash, update) reboot on it. */
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "../devices/repo.ts";
import type { RebootNodes } from "../images/service/reboot.ts";
import { platformLog } from "../logs/platform.ts";
import { rebootNodes } from "./reboot.ts";

export function rebootImageNodes(ctx: ServerContext): RebootNodes {
  return async (fullnames, cause) => {
    const wanted = new Set(fullnames);
    const nodes = (await new DeviceRepo(ctx.db).all()).filter((d) => d.node !== undefined && wanted.has(d.node.image));
    if (nodes.length === 0) return;
    await ctx.netboot?.sync();
    // Hard, unlike `walt node boot` (set-image.ts): the image changed in place, so the old content a held export
    // would keep may already be gone from the store; the nodes restart on the new content at once.
    const r = await rebootNodes(ctx, nodes, cause, true);
    for (const line of [...r.messages, ...r.errors]) await platformLog(ctx, "nodes", line);
  };
}
