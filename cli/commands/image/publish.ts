/** `walt image publish [--registry REGISTRY] <image_name>` (WALT §1.5, §4.10). */
import { listRegistries, publishImage } from "../../../src/api/images.ts";
import { columnate } from "../../../src/text/table.ts";
import type { CommandDef } from "../../framework/types.ts";
import { registryCredentials } from "./credentials.ts";
import { busyUntilFirst, renderEvents } from "./transfer-view.ts";

const table = (rs: { label: string; description: string }[]): string =>
  columnate(
    ["Registry", "Description"],
    rs.map((r) => [r.label, r.description]),
  );

export const imagePublish: CommandDef = {
  name: "publish",
  ordering: 10,
  description: "publish a WalT image on the hub (or other registry)",
  args: [{ name: "image_name" }],
  switches: [{ names: ["--registry"], metavar: "REGISTRY:str", help: "select which image registry to publish to; the default is auto" }],
  async run(ctx, p) {
    const out = ctx.io.stdout;
    const api = await ctx.api();
    const { registries } = await ctx.busy(() => api.call(listRegistries, {}));
    if (registries.length === 0) {
      out.write("Sorry, no image registry is configured on this platform.\n");
      return false;
    }
    let registry = typeof p.opts["registry"] === "string" ? p.opts["registry"] : "auto";
    if (registry === "auto") {
      if (registries.length > 1) {
        out.write(`Several image registries are configured on this platform:\n\n${table(registries)}\n\n`);
        out.write("Please specify the target registry by using option '--registry'.\n");
        return false;
      }
      registry = registries[0]?.label ?? "";
    } else if (!registries.some((r) => r.label === registry)) {
      out.write(`Invalid registry '${registry}'.\nThe following registries are available:\n\n${table(registries)}\n`);
      return false;
    }
    const input = { registry, image: String(p.args["image_name"]), credentials: registryCredentials(ctx.io) };
    const events = busyUntilFirst((fn) => ctx.busy(fn, "Validating / Publishing"), api.stream(publishImage, input, ctx.io.interrupted));
    const link = await renderEvents(ctx.io, events);
    if (link === undefined) return false;
    out.write(`OK, image was published at:\n${link}\n`);
    return true;
  },
};
