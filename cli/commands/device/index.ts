/** `walt device …` (WALT §1.7); sub-commands are listed by their WALT ordering. */
import type { CategoryDef } from "../../framework/types.ts";
import { deviceConfig } from "./config.ts";
import { deviceForget } from "./forget.ts";
import { deviceLater } from "./later.ts";
import { deviceRename } from "./rename.ts";
import { deviceShow } from "./show.ts";
import { deviceTreeCmd } from "./tree.ts";

export const deviceCategory: CategoryDef = {
  name: "device",
  ordering: 4,
  description: "management of WalT platform devices",
  commands: [deviceShow, deviceTreeCmd, deviceRename, deviceConfig, deviceForget, ...deviceLater],
};
