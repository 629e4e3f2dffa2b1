/** `walt node release <node_set>`: the nodes boot their default image again, so they are free (WALT §1.6). */
import { releaseNodes } from "../../../src/api/nodes.ts";
import type { CommandDef } from "../../framework/types.ts";

export const nodeRelease: CommandDef = {
  name: "release",
  ordering: 3,
  description: "release ownership of a (set of) node(s)",
  args: [{ name: "node_set" }],
  async run(ctx, p) {
    const api = await ctx.api();
    // The server develops the set (`X is not a node, it is a Y.`) and refuses nodes that are not the
    // requester's with WALT's message, as WALT's client does in mode "owned": nothing to confirm here.
    const r = await ctx.busy(() => api.call(releaseNodes, { set: String(p.args["node_set"]) }));
    for (const m of r.messages) ctx.io.stdout.write(m + "\n");
  },
};
