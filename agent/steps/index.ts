/** The boot steps of walt-init, in order (WALT §3.8); init.ts runs them, then hands over with `execInit`. */
import { cmdlineStep } from "./cmdline.ts";
import { earlyMountsStep } from "./early-mounts.ts";
import { switchRootStep } from "./handover.ts";
import { hybridStep } from "./hybrid.ts";
import { imageRootStep } from "./image-root.ts";
import { netServiceStep } from "./net-service.ts";
import { overlayStep } from "./overlay.ts";
import { readAheadStep } from "./read-ahead.ts";
import { persistStep } from "./persist.ts";
import type { Step } from "./step.ts";
import { swapStep } from "./swap.ts";

export const BOOT_STEPS: readonly Step[] = [
  earlyMountsStep,
  cmdlineStep,
  imageRootStep,
  hybridStep,
  overlayStep,
  persistStep,
  swapStep,
  switchRootStep,
  // Last before the hand-over, in the final root (WALT starts walt-net-service from walt-init-finalfs).
  netServiceStep,
  // After the agent's own start (init and service), before the image's init reads its files.
  readAheadStep,
];
