/** `walt image …` */
import type { CategoryDef } from "../../framework/types.ts";

export const imageCategory: CategoryDef = {
  name: "image",
  ordering: 1,
  description: "management of WalT-nodes operating system images",
  commands: [],
};
