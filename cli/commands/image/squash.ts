/** `walt image squash <image_name>` (WALT §1.5, §4.10): confirmation first when nodes use the image. */
import { squashImage } from "../../../src/api/images.ts";
import type { CommandDef } from "../../framework/types.ts";

export const imageSquash: CommandDef = {
  name: "squash",
  ordering: 11,
  description: "squash all layers of an image into one",
  args: [{ name: "image_name" }],
  async run(ctx, p) {
    const api = await ctx.api();
    const image = String(p.args["image_name"]);
    let r = await ctx.busy(() => api.call(squashImage, { image, confirmed: false }));
    for (const m of r.messages) ctx.io.stdout.write(m + "\n");
    if (r.status === "needs-confirm") {
      ctx.io.stderr.write(r.warning + "\n");
      await ctx.confirmOrAbort();
      r = await ctx.busy(() => api.call(squashImage, { image, confirmed: true }));
      for (const m of r.messages) ctx.io.stdout.write(m + "\n");
    }
  },
};
