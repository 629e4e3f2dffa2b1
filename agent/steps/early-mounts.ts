/**
 * Step `early-mounts`: /proc, /sys, /dev and /run, each only if missing (WALT §3.8 step 1). Behind WALT's
 * initramfs they were moved into the root already; as the kernel's own init, the agent mounts them.
 */
import type { Sys } from "../sys/sys.ts";
import { ok, type Step } from "./step.ts";

interface EarlyMount {
  target: string;
  fstype: string;
  options: string;
  /** Whether it is there already. */
  present(sys: Sys): Promise<boolean>;
}

/** Whether `target` is a mount point according to /proc/mounts (readable once /proc is mounted). */
async function isMountPoint(sys: Sys, target: string): Promise<boolean> {
  const table = await sys.readFile("/proc/mounts").catch(() => "");
  return table.split("\n").some((line) => line.split(" ")[1] === target);
}

const EARLY: EarlyMount[] = [
  { target: "/proc", fstype: "proc", options: "", present: (sys) => sys.exists("/proc/self") },
  { target: "/sys", fstype: "sysfs", options: "", present: (sys) => sys.exists("/sys/kernel") },
  { target: "/dev", fstype: "devtmpfs", options: "", present: (sys) => sys.exists("/dev/null") },
  { target: "/run", fstype: "tmpfs", options: "mode=0755", present: (sys) => isMountPoint(sys, "/run") },
];

export const earlyMountsStep: Step = {
  name: "early-mounts",
  label: "Mounting /proc, /sys, /dev and /run",
  async run({ sys, state }) {
    for (const m of EARLY) {
      if (await m.present(sys)) continue;
      await sys.mount(m.fstype, m.target, m.fstype, m.options);
      state.mounted.push(m.target);
    }
    return ok(state.mounted.length === 0 ? "all present" : `mounted ${state.mounted.join(", ")}`);
  },
};
