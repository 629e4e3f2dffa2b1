/** `walt log …` */
import type { CategoryDef } from "../../framework/types.ts";

export const logCategory: CategoryDef = {
  name: "log",
  ordering: 3,
  description: "management of logs",
  commands: [],
};
