/** `walt image show [--all] [--names-only] [--refresh]` (WALT §1.5). */
import { showImages } from "../../../src/api/images.ts";
import type { CommandDef } from "../../framework/types.ts";
import { MSG_NAMES_ONLY_AND_ALL, renderImageShow, renderNamesOnly } from "./show-render.ts";

export const imageShow: CommandDef = {
  name: "show",
  ordering: 1,
  description: "display your working set of walt images",
  switches: [
    { names: ["--all"], help: "show all OS images on the platform" },
    { names: ["--refresh"], help: "resync image list from podman storage" },
    { names: ["--names-only"], help: "list image names only" },
  ],
  async run(ctx, p) {
    const showAll = p.opts["all"] === true;
    const namesOnly = p.opts["names-only"] === true;
    if (namesOnly && showAll) {
      ctx.io.stdout.write(MSG_NAMES_ONLY_AND_ALL + "\n");
      return false;
    }
    const api = await ctx.api();
    // --refresh: the store's database is its source of truth, there is no other storage to rescan.
    const r = await ctx.busy(() => api.call(showImages, { refresh: p.opts["refresh"] === true }));
    for (const m of r.messages) ctx.io.stdout.write(m + "\n");
    const text = namesOnly ? renderNamesOnly(r.username, r.images) : renderImageShow(r.username, r.images, showAll);
    if (text !== "") ctx.io.stdout.write(text + "\n");
    return true;
  },
};
