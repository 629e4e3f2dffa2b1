/** Every CLI category, in WALT's order (image 1, node 2, log 3, device 4, advanced 6, help 7). */
import type { CategoryDef } from "../framework/types.ts";
import { imageCategory } from "./image/index.ts";
import { nodeCategory } from "./node/index.ts";
import { logCategory } from "./log/index.ts";
import { deviceCategory } from "./device/index.ts";
import { advancedCategory } from "./advanced/index.ts";
import { helpCategory } from "./help/index.ts";

export const CATEGORIES: readonly CategoryDef[] = [imageCategory, nodeCategory, logCategory, deviceCategory, advancedCategory, helpCategory];
