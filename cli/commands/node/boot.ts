/**
 * `walt node boot <node_set> <image_name_or_default>` (alias `deploy`) and `walt node reboot [--hard] <node_set>`
 * (WALT §1.6): ownership check with WALT's confirmation, then the server switches images and reboots. Reboot
 * failures go to stderr and make the command fail.
 */
import { bootNodes, rebootNodes } from "../../../src/api/nodes.ts";
import type { CliContext } from "../../context.ts";
import type { CommandDef } from "../../framework/types.ts";
import { checkNodesOwnership } from "./ownership.ts";

const NODE_SET_AND_IMAGE = [{ name: "node_set" }, { name: "image_name_or_default" }];

function print(ctx: CliContext, r: { messages: string[]; errors: string[] }): boolean {
  for (const m of r.messages) ctx.io.stdout.write(m + "\n");
  for (const e of r.errors) ctx.io.stderr.write(e + "\n");
  return r.errors.length === 0;
}

async function boot(ctx: CliContext, set: string, image: string): Promise<boolean> {
  const nodes = await checkNodesOwnership(ctx, set);
  const api = await ctx.api();
  return print(ctx, await ctx.busy(() => api.call(bootNodes, { set: nodes, image, force: true }), "Rebooting"));
}

export const nodeBoot: CommandDef = {
  name: "boot",
  ordering: 4,
  description: "let a (set of) node(s) boot an operating system image",
  args: NODE_SET_AND_IMAGE,
  run: (ctx, p) => boot(ctx, String(p.args["node_set"]), String(p.args["image_name_or_default"])),
};

export const nodeDeploy: CommandDef = {
  name: "deploy",
  ordering: 19,
  description: "alias to 'boot' subcommand",
  args: NODE_SET_AND_IMAGE,
  run: (ctx, p) => boot(ctx, String(p.args["node_set"]), String(p.args["image_name_or_default"])),
};

export const nodeReboot: CommandDef = {
  name: "reboot",
  ordering: 9,
  description: "reboot a (set of) node(s)",
  args: [{ name: "node_set" }],
  switches: [{ names: ["--hard"], help: "allow PoE-reboots only (power-cycle)" }],
  async run(ctx, p) {
    const nodes = await checkNodesOwnership(ctx, String(p.args["node_set"]));
    const api = await ctx.api();
    return print(ctx, await ctx.busy(() => api.call(rebootNodes, { set: nodes, hard: p.opts["hard"] === true, force: true }), "Rebooting"));
  },
};
