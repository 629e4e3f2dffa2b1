/**
 * `walt advanced` sub-commands whose server side comes in later issues (they need the image store or the
 * docker hub): declared with WALT's exact help; running them says they are not available yet.
 */
import type { CommandDef } from "../../framework/types.ts";
import { notYet } from "../not-yet.ts";

const HUB_SWITCHES = [{ names: ["--waltplatform-user"], help: "update waltplatform user (walt devs only)" }];

export const advancedLater: CommandDef[] = [
  notYet(
    {
      name: "fix-image-owner",
      ordering: 100,
      description: "fix the owner of images",
      args: [{ name: "other_user" }],
      switches: [{ names: ["--yes-i-know-do-it-please"], help: "yes, I know, do it!" }],
    },
    "image owner fixes (walt advanced fix-image-owner)",
  ),
  notYet(
    { name: "update-hub-meta", ordering: 100, description: "update hub metadata (docker images pushed without walt)", switches: HUB_SWITCHES },
    "docker hub metadata updates (walt advanced update-hub-meta)",
  ),
  notYet(
    { name: "rescan-hub-account", ordering: 100, description: "alias to 'update-hub-meta' subcommand", switches: HUB_SWITCHES },
    "docker hub metadata updates (walt advanced rescan-hub-account)",
  ),
  notYet(
    { name: "update-default-images", ordering: 100, description: "update default images (images of free nodes)" },
    "default image updates (walt advanced update-default-images)",
  ),
];
