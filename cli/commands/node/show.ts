/**
 * `walt node show [node_set] [--all] [--names-only] [--details]`. Without a set and `--details` the output is
 * WALT's; a set restricts the tables to its nodes, `--details` adds each listed node's latest boot timeline.
 */
import { resolveSet } from "../../../src/api/devices.ts";
import { bootTimelines, showNodes } from "../../../src/api/nodes.ts";
import type { CommandDef } from "../../framework/types.ts";
import { renderDetails } from "./show-details.ts";
import { listedNodes, renderNodeShow } from "./show-render.ts";

export const nodeShow: CommandDef = {
  name: "show",
  ordering: 1,
  description: "show WalT nodes",
  args: [{ name: "node_set", optional: true }],
  switches: [
    { names: ["--all"], help: "show nodes used by other users too" },
    { names: ["--names-only"], help: "list node names only", excludes: ["--details"] },
    { names: ["--details"], help: "also show the latest boot of each node (timeline, bytes served, what it waits for)", excludes: ["--names-only"] },
  ],
  async run(ctx, p) {
    const api = await ctx.api();
    const showAll = p.opts["all"] === true;
    const setExpr = typeof p.args["node_set"] === "string" ? p.args["node_set"] : undefined;
    const r = await ctx.busy(() => api.call(showNodes, { all: showAll }));
    let nodes = r.nodes;
    if (setExpr !== undefined) {
      const { names } = await ctx.busy(() => api.call(resolveSet, { set: setExpr, nodesOnly: true }));
      const wanted = new Set(names);
      nodes = nodes.filter((n) => wanted.has(n.name));
    }
    let details = "";
    const listed = listedNodes(r.username, nodes, showAll || setExpr !== undefined);
    if (p.opts["details"] === true && listed.length > 0) {
      const tl = await ctx.busy(() => api.call(bootTimelines, { set: listed.map((n) => n.name).join(",") }));
      const byName = new Map(tl.nodes.map((n) => [n.name, n.boots]));
      details = renderDetails(listed.map((n) => ({ name: n.name, boots: byName.get(n.name) ?? [] })));
    }
    const text = renderNodeShow(r.username, nodes, { showAll, namesOnly: p.opts["names-only"] === true, set: setExpr !== undefined, details });
    if (text) ctx.io.stdout.write(text + "\n");
  },
};
