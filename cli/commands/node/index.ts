/** `walt node …` (WALT §1.6); sub-commands are listed by their WALT ordering. */
import type { CategoryDef } from "../../framework/types.ts";
import { nodeAcquire } from "./acquire.ts";
import { nodeBoot, nodeDeploy, nodeReboot } from "./boot.ts";
import { nodeCreate, nodeRemove } from "./create.ts";
import { nodeConfig } from "./config.ts";
import { nodeLater } from "./later.ts";
import { nodeRelease } from "./release.ts";
import { nodeRename } from "./rename.ts";
import { nodeShow } from "./show.ts";
import { nodeWait } from "./wait.ts";

export const nodeCategory: CategoryDef = {
  name: "node",
  ordering: 2,
  description: "management of WalT nodes",
  commands: [nodeShow, nodeAcquire, nodeRelease, nodeBoot, nodeReboot, nodeConfig, nodeCreate, nodeRemove, nodeRename, nodeWait, nodeDeploy, ...nodeLater],
};
