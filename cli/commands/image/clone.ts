/** `walt image clone <clonable_image_link> [image_name] [--force]` (WALT §1.5, §4.5). */
import { cloneImage } from "../../../src/api/images.ts";
import type { CommandDef } from "../../framework/types.ts";
import { registryCredentials } from "./credentials.ts";
import { busyUntilFirst, renderEvents } from "./transfer-view.ts";

export const imageClone: CommandDef = {
  name: "clone",
  ordering: 3,
  description: "clone a remote image into your working set",
  args: [{ name: "clonable_image_link" }, { name: "image_name", optional: true, defaultText: "None" }],
  switches: [{ names: ["--force"], help: "do it, even if it overwrites an existing image." }],
  async run(ctx, p) {
    const api = await ctx.api();
    const name = p.args["image_name"];
    const input = {
      link: String(p.args["clonable_image_link"]),
      ...(typeof name === "string" ? { name } : {}),
      force: p.opts["force"] === true,
      credentials: registryCredentials(ctx.io),
    };
    const events = busyUntilFirst((fn) => ctx.busy(fn, "Validating / Cloning"), api.stream(cloneImage, input, ctx.io.interrupted));
    const result = await renderEvents(ctx.io, events);
    if (result === undefined) return false;
    ctx.io.stdout.write(`Image "${result}" was cloned successfully (cf. walt image show).\n`);
    return true;
  },
};
