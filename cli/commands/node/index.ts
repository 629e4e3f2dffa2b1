/** `walt node …` */
import type { CategoryDef } from "../../framework/types.ts";
import { nodeShow } from "./show.ts";

export const nodeCategory: CategoryDef = {
  name: "node",
  ordering: 2,
  description: "management of WalT nodes",
  commands: [nodeShow],
};
