/** `walt device forget <device_name> [--force]` (WALT §1.7). */
import { forgetDevice } from "../../../src/api/devices.ts";
import type { CommandDef } from "../../framework/types.ts";

export const deviceForget: CommandDef = {
  name: "forget",
  ordering: 8,
  description: "let the WalT system forget about an obsolete device",
  args: [{ name: "device_name" }],
  switches: [{ names: ["--force"], help: "do it, even if related data will be lost" }],
  async run(ctx, p) {
    const name = String(p.args["device_name"]);
    const api = await ctx.api();
    // An unknown name is a NOT_FOUND WaltError: `No device with name 'x' found.` on stderr and exit 1.
    // WALT exits 0 there (Appendix A.1, its test relies on it); we consciously fix that: the command failed.
    const r = await ctx.busy(() => api.call(forgetDevice, { name, force: p.opts["force"] === true }));
    if (r.status === "has-logs") {
      // WALT prints this on stdout and exits 0 (Appendix A.1: its main() returns None). Nothing was
      // forgotten, so we exit 1 on purpose: a script calling `walt device forget` must see the refusal.
      ctx.io.stdout.write(
        `This would delete any information about ${name}, including ${r.logLines} log lines.\n` +
          `If this is what you want, run 'walt device forget --force ${name}'.\n`,
      );
      return false;
    }
    ctx.io.stdout.write("done.\n");
    return true;
  },
};
