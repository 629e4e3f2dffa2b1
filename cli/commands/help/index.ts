/** `walt help …` */
import type { CategoryDef } from "../../framework/types.ts";

export const helpCategory: CategoryDef = {
  name: "help",
  ordering: 7,
  description: "help sub-commands",
  commands: [],
};
