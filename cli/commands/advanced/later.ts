/**
 * `walt advanced` image maintenance: `fix-image-owner` and `update-default-images`; the docker hub metadata
 * commands come later (declared with WALT's exact help; running them says they are not available yet).
 */
import { fixImageOwner, updateDefaultImages } from "../../../src/api/images.ts";
import type { CommandDef } from "../../framework/types.ts";
import { notYet } from "../not-yet.ts";
import { registryCredentials } from "../image/credentials.ts";
import { renderEvents } from "../image/transfer-view.ts";

const HUB_SWITCHES = [{ names: ["--waltplatform-user"], help: "update waltplatform user (walt devs only)" }];

export const advancedLater: CommandDef[] = [
  {
    name: "fix-image-owner",
    ordering: 100,
    description: "fix the owner of images",
    args: [{ name: "other_user" }],
    switches: [{ names: ["--yes-i-know-do-it-please"], help: "yes, I know, do it!" }],
    async run(ctx, p) {
      const other = String(p.args["other_user"]);
      if (p.opts["yes-i-know-do-it-please"] !== true) {
        ctx.io.stdout.write(
          `This will make you own all images of user '${other}'. It is intended\n` +
            `for maintenance only (i.e. if user '${other}' is no longer working with\n` +
            "walt).\n" +
            "If this is really what you want, run:\n" +
            `walt advanced fix-image-owner --yes-i-know-do-it-please ${other}\n\n`,
        );
        return;
      }
      const api = await ctx.api();
      const r = await ctx.busy(() => api.call(fixImageOwner, { otherUser: other }));
      for (const m of r.messages) ctx.io.stdout.write(m + "\n");
    },
  },
  notYet(
    { name: "update-hub-meta", ordering: 100, description: "update hub metadata (docker images pushed without walt)", switches: HUB_SWITCHES },
    "docker hub metadata updates (walt advanced update-hub-meta)",
  ),
  notYet(
    { name: "rescan-hub-account", ordering: 100, description: "alias to 'update-hub-meta' subcommand", switches: HUB_SWITCHES },
    "docker hub metadata updates (walt advanced rescan-hub-account)",
  ),
  {
    name: "update-default-images",
    ordering: 100,
    description: "update default images (images of free nodes)",
    async run(ctx) {
      const api = await ctx.api();
      await renderEvents(ctx.io, api.stream(updateDefaultImages, { credentials: registryCredentials(ctx.io) }, ctx.io.interrupted));
    },
  },
];
