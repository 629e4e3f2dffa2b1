/**
 * Where walt-init and WALT's initramfs (server/images/defaults/initramfs/init.sh) put things. The initramfs mounts
 * the image root read-only at LOWER and the RAM overlay's tmpfs at RW, records what it did in BOOT_ENV, moves
 * /dev /proc /sys /run into the overlay and runs `walt agent init` there; run standalone (the kernel's init on an
 * NFS root), the agent builds the same layout itself.
 */
export const WALT_RUN = "/run/walt";
/** The image root as served over NFS, read-only. */
export const LOWER = "/run/walt/lower";
/** tmpfs holding the RAM overlay's upper and work directories. */
export const RW = "/run/walt/rw";
/** Where the agent mounts a final root it builds itself (standalone or hybrid boot), before switching to it. */
export const NEW_ROOT = "/run/walt/root";
/** Where candidate local partitions are mounted during hybrid-boot detection. */
export const HYBRID_MNT = "/run/walt/hybrid";
/** Sourceable `key='value'` lines: what the initramfs did, plus the boot mode the agent chose. */
export const BOOT_ENV = "/run/walt/boot.env";
/** Under the new root, where pivot_root puts the old one (then lazily unmounted). */
export const PUT_OLD = "mnt";
/** Mounts carried from the old root to the final one. */
export const CARRIED_MOUNTS = ["/dev", "/proc", "/sys", "/run"] as const;
