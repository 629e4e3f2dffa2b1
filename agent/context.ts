/**
 * What walt-init knows as it goes: the kernel command line, what the initramfs did, the boot mode and where the
 * final root is. One object created by init.ts and passed to every step (no module state).
 */

export type BootMode = "network" | "hybrid-volatile" | "hybrid-persistent";

/** `walt.*` keys of the kernel command line (the same keys the initramfs reads), with defaults. */
export interface AgentConfig {
  server?: string;
  /** NFS path of the image root (used by the initramfs; informative here). */
  root?: string;
  /** NFS path mounted read-write on /persist. */
  persist?: string;
  mac?: string;
  hostname?: string;
  model?: string;
  /** Image id: names the local copy `walt_hybrid/<image>/` in hybrid boot. */
  image?: string;
  /** The image's init (walt.init=, default /sbin/init). */
  init: string;
  /** Size of the RAM overlay's tmpfs when the agent mounts it (walt.rwsize=, default 50%). */
  rwsize: string;
  /** Size of the NBD swap export asked for (walt.swap=, default 16G as WALT). */
  swap: string;
  /** Seconds before rebooting after a failure (walt.panic_delay=, default 15 as the kernel's panic=15). */
  panicDelayS: number;
  /** walt.debug=1: a console shell before rebooting after a failure. */
  debug: boolean;
  /** Values that were ignored, for the console. */
  warnings: string[];
}

export const DEFAULT_CONFIG: AgentConfig = {
  init: "/sbin/init",
  rwsize: "50%",
  swap: "16G",
  panicDelayS: 15,
  debug: false,
  warnings: [],
};

export interface HybridTarget {
  /** Partition device, e.g. /dev/sda1. */
  device: string;
  /** `<mount point>/walt_hybrid/<image>`: holds image/, diff/, work/, local/. */
  dir: string;
}

export interface BootState {
  config: AgentConfig;
  /** /run/walt/boot.env as the initramfs wrote it (empty when the agent runs standalone). */
  bootEnv: Record<string, string>;
  /** `initramfs`: WALT's initramfs built the RAM overlay and runs us in it; `standalone`: we are the kernel's init. */
  layout: "initramfs" | "standalone";
  /** The read-only image root. */
  lower: string;
  mode: BootMode;
  hybrid?: HybridTarget;
  /** Where the final root is mounted: `/` when it is already the current root. */
  root: string;
  /** The RAM overlay's tmpfs (remounted larger once swap is on); none in hybrid modes. */
  rwDir?: string;
  /** The early mounts this agent made (the others were there already). */
  mounted: string[];
}

export function initialState(): BootState {
  return { config: { ...DEFAULT_CONFIG, warnings: [] }, bootEnv: {}, layout: "standalone", lower: "", mode: "network", root: "/", mounted: [] };
}
