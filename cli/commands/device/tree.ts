/** `walt device tree [--all]` (WALT §1.7, §6.9): the server renders the tree. */
import { deviceTree } from "../../../src/api/devices.ts";
import type { CommandDef } from "../../framework/types.ts";

export const deviceTreeCmd: CommandDef = {
  name: "tree",
  ordering: 3,
  description: "print the network structure of the platform",
  switches: [{ names: ["--all"], help: "show all devices detected" }],
  async run(ctx, p) {
    const api = await ctx.api();
    const r = await ctx.busy(() => api.call(deviceTree, { all: p.opts["all"] === true }));
    ctx.io.stdout.write(r.text.endsWith("\n") ? r.text : r.text + "\n");
  },
};
