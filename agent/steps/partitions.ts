/**
 * The local partitions hybrid boot may use (WALT §3.9): `/sys/class/block` names ending with a digit, except
 * loop, nbd, ram and sr devices and whole MMC cards (`mmcblk0`, whose partitions are `mmcblk0p1`), holding ext4.
 */
import type { Sys } from "../sys/sys.ts";

/** Filter block device names down to partition candidates, in name order. */
export function candidatePartitions(names: string[]): string[] {
  return names
    .filter((n) => /\d$/.test(n) && !/^(loop|nbd|ram|sr)/.test(n) && !/^mmcblk\d+$/.test(n))
    .sort();
}

/** ext4's superblock magic 0xEF53, little-endian at byte 1080. */
export async function hasExt4Magic(sys: Sys, device: string): Promise<boolean> {
  try {
    const b = await sys.readBytes(device, 1080, 2);
    return b.length === 2 && b[0] === 0x53 && b[1] === 0xef;
  } catch {
    return false;
  }
}

/** Create /dev/<name> from /sys/class/block/<name>/dev when devtmpfs did not (WALT mknods them too). */
export async function ensureDeviceNode(sys: Sys, name: string): Promise<string | undefined> {
  const device = `/dev/${name}`;
  if (await sys.exists(device)) return device;
  const numbers = (await sys.readFile(`/sys/class/block/${name}/dev`).catch(() => "")).trim();
  const m = /^(\d+):(\d+)$/.exec(numbers);
  if (!m?.[1] || !m[2]) return undefined;
  const r = await sys.spawn(["mknod", device, "b", m[1], m[2]]);
  return r.code === 0 ? device : undefined;
}

/** Candidate partitions holding ext4, as device paths. */
export async function scanPartitions(sys: Sys): Promise<string[]> {
  const out: string[] = [];
  for (const name of candidatePartitions(await sys.listDir("/sys/class/block"))) {
    const device = await ensureDeviceNode(sys, name);
    if (device !== undefined && (await hasExt4Magic(sys, device))) out.push(device);
  }
  return out;
}
