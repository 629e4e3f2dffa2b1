/** `walt node rename <old_node_name> <new_node_name>` (WALT §1.6, rules of §1.7). */
import { renameDevice } from "../../../src/api/devices.ts";
import type { CommandDef } from "../../framework/types.ts";
import { checkNodesOwnership } from "./ownership.ts";

export const nodeRename: CommandDef = {
  name: "rename",
  ordering: 13,
  description: "rename a WalT node",
  args: [{ name: "old_node_name" }, { name: "new_node_name" }],
  async run(ctx, p) {
    const oldName = String(p.args["old_node_name"]);
    await checkNodesOwnership(ctx, oldName);
    const api = await ctx.api();
    await ctx.busy(() => api.call(renameDevice, { oldName, newName: String(p.args["new_node_name"]), force: true }));
  },
};
