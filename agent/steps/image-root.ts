/**
 * Step `image-root`: the read-only image root (the overlay's lower layer, the source of a hybrid copy). The
 * initramfs mounted it at /run/walt/lower; as the kernel's init on an NFS root, the agent binds `/` there (a
 * non-recursive bind shows the NFS filesystem alone, without /proc, /sys or /run on top).
 */
import { LOWER } from "../paths.ts";
import { ok, StepFailure, type Step } from "./step.ts";

export const imageRootStep: Step = {
  name: "image-root",
  label: "Finding the image root",
  async run({ sys, state }) {
    if (state.layout === "initramfs") {
      if (!(await sys.exists(state.lower))) throw new StepFailure(`the initramfs left no image root at ${state.lower}`);
      return ok(`mounted read-only by the initramfs at ${state.lower}`);
    }
    await sys.mkdir(LOWER);
    await sys.mount("/", LOWER, "none", "bind");
    state.lower = LOWER;
    return ok(`the root filesystem, bound at ${LOWER}`);
  },
};
