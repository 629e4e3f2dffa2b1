/** `walt node show [--all] [--names-only]`. */
import { showNodes } from "../../../src/api/nodes.ts";
import type { CommandDef } from "../../framework/types.ts";
import { renderNodeShow } from "./show-render.ts";

export const nodeShow: CommandDef = {
  name: "show",
  ordering: 1,
  description: "show WalT nodes",
  switches: [
    { names: ["--all"], help: "show nodes used by other users too" },
    { names: ["--names-only"], help: "list node names only" },
  ],
  async run(ctx, p) {
    const api = await ctx.api();
    const showAll = p.opts["all"] === true;
    const r = await ctx.busy(() => api.call(showNodes, { all: showAll }));
    const text = renderNodeShow(r.username, r.nodes, showAll, p.opts["names-only"] === true);
    if (text) ctx.io.stdout.write(text + "\n");
  },
};
