/** `walt image duplicate|remove|rename` (WALT §1.5): tag operations on the working set. */
import { duplicateImage, removeImage, renameImage } from "../../../src/api/images.ts";
import type { CommandDef } from "../../framework/types.ts";
import type { CliContext } from "../../context.ts";

const IMAGE = [{ name: "image_name" }];
const IMAGE_AND_NEW = [{ name: "image_name" }, { name: "new_image_name" }];

async function print(ctx: CliContext, r: Promise<{ messages: string[] }>): Promise<void> {
  for (const m of (await ctx.busy(() => r)).messages) ctx.io.stdout.write(m + "\n");
}

export const imageDuplicate: CommandDef = {
  name: "duplicate",
  ordering: 7,
  description: "duplicate an image of your working set",
  args: IMAGE_AND_NEW,
  async run(ctx, p) {
    const api = await ctx.api();
    await print(ctx, api.call(duplicateImage, { image: String(p.args["image_name"]), newName: String(p.args["new_image_name"]) }));
  },
};

export const imageRemove: CommandDef = {
  name: "remove",
  ordering: 8,
  description: "remove an image from your working set",
  args: IMAGE,
  async run(ctx, p) {
    const api = await ctx.api();
    await print(ctx, api.call(removeImage, { image: String(p.args["image_name"]) }));
  },
};

export const imageRename: CommandDef = {
  name: "rename",
  ordering: 9,
  description: "rename an image of your working set",
  args: IMAGE_AND_NEW,
  async run(ctx, p) {
    const api = await ctx.api();
    await print(ctx, api.call(renameImage, { image: String(p.args["image_name"]), newName: String(p.args["new_image_name"]) }));
  },
};
