/** `walt device …` */
import type { CategoryDef } from "../../framework/types.ts";

export const deviceCategory: CategoryDef = {
  name: "device",
  ordering: 4,
  description: "management of WalT platform devices",
  commands: [],
};
