/** `walt node acquire <node_set>`: boot a personal clone of the default image (WALT §1.6, §6.8). */
import { acquireNodes } from "../../../src/api/nodes.ts";
import type { CommandDef } from "../../framework/types.ts";
import { checkNodesOwnership } from "./ownership.ts";

export const nodeAcquire: CommandDef = {
  name: "acquire",
  ordering: 2,
  description: "get ownership of a (set of) node(s)",
  args: [{ name: "node_set" }],
  async run(ctx, p) {
    const set = await checkNodesOwnership(ctx, String(p.args["node_set"]), { mode: "free-or-not-owned" });
    const api = await ctx.api();
    const r = await ctx.busy(() => api.call(acquireNodes, { set, force: true }));
    for (const m of r.messages) ctx.io.stdout.write(m + "\n");
  },
};
