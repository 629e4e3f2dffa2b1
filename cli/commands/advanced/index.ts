/** `walt advanced …` (WALT §1.4); WALT gives these no ordering, so they are listed by name. */
import type { CategoryDef } from "../../framework/types.ts";
import { autocompleteHelper, dumpBashAutocomplete, dumpZshAutocomplete } from "./autocomplete.ts";
import { advancedLater } from "./later.ts";
import { advancedSql } from "./sql.ts";

export const advancedCategory: CategoryDef = {
  name: "advanced",
  ordering: 6,
  description: "advanced sub-commands",
  // the helper completes the whole tree, loaded when it runs (a static import would be circular)
  commands: [
    advancedSql,
    dumpBashAutocomplete,
    dumpZshAutocomplete,
    ...advancedLater,
    autocompleteHelper(async () => (await import("../index.ts")).CATEGORIES),
  ],
};
