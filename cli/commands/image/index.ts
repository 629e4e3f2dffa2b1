/** `walt image …` (WALT §1.5): every sub-command with WALT's exact help (golden files in test/fixtures/help). */
import type { CategoryDef } from "../../framework/types.ts";
import { imageBuildCommand } from "./build.ts";
import { imageClone } from "./clone.ts";
import { imageCp } from "./cp.ts";
import { imageDuplicate, imageRemove, imageRename } from "./manage.ts";
import { imagePublish } from "./publish.ts";
import { imageSearch } from "./search.ts";
import { imageShellCommand } from "./shell.ts";
import { imageShow } from "./show.ts";
import { imageSquash } from "./squash.ts";

export const imageCategory: CategoryDef = {
  name: "image",
  ordering: 1,
  description: "management of WalT-nodes operating system images",
  commands: [
    imageShow,
    imageSearch,
    imageClone,
    imageShellCommand,
    imageBuildCommand,
    imageCp,
    imageDuplicate,
    imageRemove,
    imageRename,
    imagePublish,
    imageSquash,
  ],
};
