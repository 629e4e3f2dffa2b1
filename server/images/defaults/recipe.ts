/**
 * Shared shape of the default-image recipes (busybox.ts, debian.ts): what build.ts needs to turn a recipe into
 * an OCI image, and to decide whether a previous build is still valid (the recipe hash of its inputs).
 */
import type { Logger } from "../../../src/log.ts";
import type { LayerOptions } from "../build/layer-writer.ts";

export type DefaultImageName = "busybox" | "debian";

/** The node model these recipes boot, and its boot folder inside an image (§4.11). */
export const MODEL = "pc-x86-64";
export const BOOT_DIR = `boot/${MODEL}`;

/** Labels every default image carries (§4.2). */
export const MODELS_LABEL = "walt.node.models";
export const PREFERRED_NAME_LABEL = "walt.image.preferred-name";
/** The recipe hash is also a label, so a stored image tells which recipe made it. */
export const RECIPE_HASH_LABEL = "walt.image.recipe-hash";

export interface RecipeContext {
  /** Downloaded and extracted Debian packages, reused across builds (see debs.ts). */
  cacheDir: string;
  log: Logger;
  signal?: AbortSignal;
}

/** What a recipe produced in its root folder, and how to write it as a layer. */
export interface Populated {
  created: Date;
  layer: LayerOptions;
}

export interface Recipe {
  name: DefaultImageName;
  /** WALT fullname `user/name:tag`, also the OCI layout ref name. */
  fullname: string;
  labels: Record<string, string>;
  cmd: string[];
  env: string[];
  /** Everything the output depends on (package versions, embedded scripts); hashed, never built from. */
  inputs(ctx: RecipeContext): Promise<Record<string, string>>;
  /** Fill `root` (an empty folder) with the image's files. */
  populate(root: string, ctx: RecipeContext): Promise<Populated>;
}
