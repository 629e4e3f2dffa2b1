/** `walt node create <node_name>` / `walt node remove <node_name>`: virtual nodes (WALT §1.6, §7.1). */
import { createNode, removeNode } from "../../../src/api/nodes.ts";
import type { CommandDef } from "../../framework/types.ts";
import { checkNodesOwnership } from "./ownership.ts";

export const nodeCreate: CommandDef = {
  name: "create",
  ordering: 11,
  description: "create a virtual WalT node",
  args: [{ name: "node_name" }],
  async run(ctx, p) {
    const api = await ctx.api();
    const r = await ctx.busy(() => api.call(createNode, { name: String(p.args["node_name"]) }));
    for (const m of r.messages) ctx.io.stdout.write(m + "\n");
  },
};

export const nodeRemove: CommandDef = {
  name: "remove",
  ordering: 12,
  description: "remove a virtual WalT node",
  args: [{ name: "node_name" }],
  async run(ctx, p) {
    const name = String(p.args["node_name"]);
    // WALT checks ownership first (confirmation for another user's node); the server then refuses physical nodes.
    await checkNodesOwnership(ctx, name);
    const api = await ctx.api();
    const r = await ctx.busy(() => api.call(removeNode, { name, force: true }));
    for (const m of r.messages) ctx.io.stdout.write(m + "\n");
  },
};
