/** `walt device config <device_set> [name=value...]` (WALT §1.7, §2): any device; nodes of others need confirmation. */
import type { CommandDef } from "../../framework/types.ts";
import { runConfig } from "../node/settings.ts";

export const deviceConfig: CommandDef = {
  name: "config",
  ordering: 6,
  description: "get or set devices configuration",
  args: [{ name: "device_set" }, { name: "configuration", variadic: true }],
  async run(ctx, p) {
    const settings = p.args["configuration"];
    await runConfig(ctx, String(p.args["device_set"]), Array.isArray(settings) ? settings : [], false);
  },
};
