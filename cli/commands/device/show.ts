/** `walt device show` (WALT §1.7). */
import { listDevices } from "../../../src/api/devices.ts";
import type { CommandDef } from "../../framework/types.ts";
import { renderDeviceShow } from "./show-render.ts";

export const deviceShow: CommandDef = {
  name: "show",
  ordering: 1,
  description: "print details about devices involved in the platform",
  async run(ctx) {
    const api = await ctx.api();
    const r = await ctx.busy(() => api.call(listDevices, {}));
    // WALT's client print()s the server's text: one more newline.
    ctx.io.stdout.write(renderDeviceShow(r.devices) + "\n");
  },
};
