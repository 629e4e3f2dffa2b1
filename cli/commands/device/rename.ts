/** `walt device rename <old_name> <new_name>` (WALT §1.7). */
import { renameDevice } from "../../../src/api/devices.ts";
import type { CommandDef } from "../../framework/types.ts";
import { checkNodesOwnership } from "../node/ownership.ts";

export const deviceRename: CommandDef = {
  name: "rename",
  ordering: 5,
  description: "rename a device",
  args: [{ name: "old_name" }, { name: "new_name" }],
  async run(ctx, p) {
    const oldName = String(p.args["old_name"]);
    // WALT's `device rename` does not look at ownership, but our server guards nodes of other users
    // (§6.8): ask the same confirmation as `walt node rename` for those; other devices pass silently.
    await checkNodesOwnership(ctx, oldName, { ignoreOtherDevices: true });
    const api = await ctx.api();
    await ctx.busy(() => api.call(renameDevice, { oldName, newName: String(p.args["new_name"]), force: true }));
  },
};
