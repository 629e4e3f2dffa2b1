/**
 * Step `hybrid-boot` (WALT §3.9): the first local ext4 partition with a `walt_hybrid/` directory turns hybrid boot
 * on. The image is copied there once (`walt_hybrid/<image>/image`, through `image.part` so a cut copy is never
 * used), making room by removing the oldest other copies until twice the image size is free. `.persistent`
 * selects hybrid-persistent, else hybrid-volatile; no such partition means network mode.
 */
import type { BootMode, HybridTarget } from "../context.ts";
import { HYBRID_MNT } from "../paths.ts";
import type { Sys } from "../sys/sys.ts";
import { scanPartitions } from "./partitions.ts";
import { ok, reasonOf, type Step, type StepContext } from "./step.ts";

/** Remove the oldest entries of `base` (never `keep`, never dot files) until `needKiB` are free. */
export async function makeRoom(sys: Sys, base: string, keep: string, needKiB: number): Promise<boolean> {
  while ((await sys.freeKiB(base)) < needKiB) {
    const names = (await sys.listDir(base)).filter((n) => !n.startsWith(".") && n !== keep);
    if (names.length === 0) return false;
    const dated = await Promise.all(names.map(async (n) => ({ n, t: await sys.mtimeMs(`${base}/${n}`) })));
    dated.sort((a, b) => a.t - b.t || a.n.localeCompare(b.n));
    await sys.remove(`${base}/${dated[0]?.n ?? ""}`);
  }
  return true;
}

/** Size of the image root in KiB (`du -sk`), undefined if it cannot be measured. */
async function imageKiB(sys: Sys, lower: string): Promise<number | undefined> {
  const r = await sys.spawn(["du", "-sk", lower]);
  const n = Number(/^\d+/.exec(r.stdout)?.[0]);
  return r.code === 0 && Number.isFinite(n) ? n : undefined;
}

/** Copy the image root into `<dir>/image`; a reason when it could not. */
async function copyImage({ sys, state, out }: StepContext, base: string, image: string): Promise<string | undefined> {
  const size = await imageKiB(sys, state.lower);
  if (size === undefined) return `cannot measure the image at ${state.lower}`;
  if (!(await makeRoom(sys, base, image, 2 * size))) return `not enough room for a copy of ${size} KiB`;
  out("Hybrid-mode: copying image files locally (this may be long).");
  const part = `${base}/${image}/image.part`;
  await sys.remove(part);
  await sys.mkdir(part);
  const r = await sys.spawn(["cp", "-a", `${state.lower}/.`, `${part}/`]);
  if (r.code !== 0) {
    await sys.remove(part);
    return `copying the image failed: ${r.stderr.trim() || `exit code ${r.code}`}`;
  }
  await sys.rename(part, `${base}/${image}/image`);
  return undefined;
}

/** Use one partition: a hybrid target, or why not (the partition is then unmounted). */
async function tryPartition(ctx: StepContext, device: string): Promise<{ target: HybridTarget; mode: BootMode } | string> {
  const { sys, state } = ctx;
  try {
    await sys.mount(device, HYBRID_MNT, "ext4", "rw,relatime");
  } catch (e) {
    return `${device}: ${reasonOf(e)}`;
  }
  const release = async (why: string): Promise<string> => {
    await sys.umount(HYBRID_MNT).catch(() => undefined);
    return `${device}: ${why}`;
  };
  const base = `${HYBRID_MNT}/walt_hybrid`;
  if (!(await sys.exists(base))) return release("no walt_hybrid/");
  const image = state.config.image;
  if (image === undefined) return release("walt_hybrid/ found but the kernel command line has no walt.image=");
  if (!(await sys.exists(`${base}/${image}/image`))) {
    const why = await copyImage(ctx, base, image);
    if (why !== undefined) return release(why);
  }
  const mode = (await sys.exists(`${base}/.persistent`)) ? "hybrid-persistent" : "hybrid-volatile";
  return { target: { device, dir: `${base}/${image}` }, mode };
}

export const hybridStep: Step = {
  name: "hybrid-boot",
  label: "Detecting the boot mode",
  async run(ctx) {
    const { sys, state } = ctx;
    const devices = await scanPartitions(sys);
    if (devices.length === 0) return ok("network mode (no local ext4 partition)");
    await sys.modprobe("ext4");
    await sys.mkdir(HYBRID_MNT);
    const notes: string[] = [];
    for (const device of devices) {
      const r = await tryPartition(ctx, device);
      if (typeof r === "string") {
        notes.push(r);
        continue;
      }
      state.mode = r.mode;
      state.hybrid = r.target;
      return ok(`${r.mode} mode on ${device}`);
    }
    return ok(`network mode (${notes.join("; ")})`);
  },
};
