/**
 * The local-disk variant of WALT's initramfs /init (server/images/defaults/initramfs/init.sh) for
 * bench/boot-local.ts: its DHCP + NFS image-root section replaced by mounting a local disk read-only at the same
 * place. Everything before (modules, interface, hostname) and after (RAM overlay, boot.env, hand-over to the agent)
 * is the image's own script, so a local boot differs from a network boot only by where the root comes from.
 * Kept out of the real initramfs: WALT boots nodes from the network, and the real one has no ext4 module.
 */

export const LOCAL_ROOT_DEVICE = "/dev/sda";

const START = "\nn=0\nuntil udhcpc ";
const END = 'log "image root mounted over NFSv$NFS_VERS ($W_server:$W_root)"\n';

/** Replaces the section; `/run/walt/dhcp.env` stays (empty) since boot.env copies it. */
const LOCAL_SECTION = `
# bench/boot-local.ts: the image root from a local disk (walt.localroot=) instead of DHCP + NFS.
n=0
until [ -b "$W_localroot" ]; do
  n=$((n + 1)); [ $n -gt 200 ] && fail "no disk $W_localroot"
  sleep 0.05
done
: > /run/walt/dhcp.env
mount -t ext4 -o ro "$W_localroot" /run/walt/lower || fail "cannot mount $W_localroot"
log "image root mounted ($W_localroot)"
`;

export function localRootInit(init: string): string {
  const start = init.indexOf(START);
  const end = init.indexOf(END);
  if (start < 0 || end < start) throw new Error("the initramfs /init has no DHCP + NFS section as bench/boot-local-init.ts knows it: update the bench");
  return init.slice(0, start) + LOCAL_SECTION + init.slice(end + END.length);
}

/** The node's kernel command line with the root on `device` and no /persist (no server to mount it from). */
export function localRootCmdline(cmdline: string, device: string): string {
  const kept = cmdline.split(/\s+/).filter((w) => w !== "" && !w.startsWith("walt.persist=") && !w.startsWith("walt.localroot="));
  return [...kept, `walt.localroot=${device}`].join(" ");
}
