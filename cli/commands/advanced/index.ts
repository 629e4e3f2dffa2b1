/** `walt advanced …` */
import type { CategoryDef } from "../../framework/types.ts";

export const advancedCategory: CategoryDef = {
  name: "advanced",
  ordering: 6,
  description: "advanced sub-commands",
  commands: [],
};
