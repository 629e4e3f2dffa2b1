/** `walt node config <node_set> [name=value...]` (WALT §1.6, §2). */
import type { CommandDef } from "../../framework/types.ts";
import { runConfig } from "./settings.ts";

export const nodeConfig: CommandDef = {
  name: "config",
  ordering: 10,
  description: "get or set nodes configuration",
  args: [{ name: "node_set" }, { name: "configuration", variadic: true }],
  async run(ctx, p) {
    const settings = p.args["configuration"];
    await runConfig(ctx, String(p.args["node_set"]), Array.isArray(settings) ? settings : [], true);
  },
};
