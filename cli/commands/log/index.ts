/** `walt log …` (WALT §1.8); sub-commands are listed by their WALT ordering. */
import type { CategoryDef } from "../../framework/types.ts";
import { logAddCheckpoint, logListCheckpoints, logRemoveCheckpoint } from "./checkpoints.ts";
import { logShow } from "./show.ts";
import { logWait } from "./wait.ts";

export const logCategory: CategoryDef = {
  name: "log",
  ordering: 3,
  description: "management of logs",
  commands: [logShow, logWait, logAddCheckpoint, logRemoveCheckpoint, logListCheckpoints],
};
