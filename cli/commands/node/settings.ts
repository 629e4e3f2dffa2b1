/**
 * Shared by `walt node config` and `walt device config` (WALT §2): without settings print the
 * configuration, with settings check ownership (confirm for nodes of other users), then apply them.
 */
import { getConfig, resolveSet, setConfig } from "../../../src/api/devices.ts";
import type { CliContext } from "../../context.ts";
import { checkNodesOwnership } from "./ownership.ts";

export async function runConfig(ctx: CliContext, set: string, settings: readonly string[], nodesOnly: boolean): Promise<void> {
  const api = await ctx.api();
  // Develop the set first, like WALT: errors about the set (unknown name, not a node) come before anything else.
  const { names } = await ctx.busy(() => api.call(resolveSet, { set, nodesOnly }));
  const developed = names.join(",");
  if (settings.length === 0) {
    const r = await ctx.busy(() => api.call(getConfig, { set: developed, nodesOnly }));
    ctx.io.stdout.write(r.text);
    return;
  }
  await checkNodesOwnership(ctx, developed, { ignoreOtherDevices: !nodesOnly });
  const r = await ctx.busy(() => api.call(setConfig, { set: developed, settings: [...settings], nodesOnly, force: true }));
  for (const m of [...r.messages, r.final]) ctx.io.stdout.write(m + "\n");
}
