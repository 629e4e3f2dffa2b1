/**
 * The busybox test image `waltplatform/pc-x86-64-busybox` (seconds to build, ~15 MB): Debian's static busybox
 * with its applets, /sbin/init (busybox/init.sh), /persist, /etc/walt, and the pc-x86-64 boot folder with
 * Debian's kernel and our initramfs. Reproducible: everything is owned by root and no mtime is newer than the
 * newest input package file, so the same package versions give the same digest.
 */
import { chmod, copyFile, mkdir, stat, symlink, writeFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { installBootFiles, startIpxe } from "./boot-files.ts";
import busyboxInit from "./busybox/init.sh" with { type: "text" };
import { candidateVersion, extractDeb, type DebPackage } from "./debs.ts";
import { busyboxApplets, INITRAMFS_MODULES, INITRAMFS_SCRIPTS } from "./initramfs.ts";
import { fetchKernel, kernelPackage } from "./kernel.ts";
import { MODEL, MODELS_LABEL, type Populated, type Recipe, type RecipeContext } from "./recipe.ts";

export const BUSYBOX_PACKAGE = "busybox-static";

export interface Busybox {
  pkg: DebPackage;
  /** The static binary, in the recipe cache. */
  path: string;
  applets: string[];
}

/** Debian's static busybox, downloaded and extracted once per version. */
export async function fetchBusybox(ctx: RecipeContext): Promise<Busybox> {
  const pkg = await candidateVersion(BUSYBOX_PACKAGE, ctx);
  const path = join(await extractDeb(pkg, ctx), "bin", "busybox");
  return { pkg, path, applets: await busyboxApplets(path) };
}

const FILES: Record<string, { mode: number; text: string }> = {
  "etc/passwd": { mode: 0o644, text: "root::0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n" },
  "etc/group": { mode: 0o644, text: "root:x:0:\nnogroup:x:65534:\n" },
  "etc/hosts": { mode: 0o644, text: "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" },
  "etc/profile": { mode: 0o644, text: "export PATH=/usr/sbin:/usr/bin:/sbin:/bin\nPS1='\\h:\\w\\$ '\n" },
  "sbin/init": { mode: 0o755, text: busyboxInit },
};

/** Every folder, parents included: modes are set explicitly, never left to the builder's umask. */
const DIRS: Record<string, number> = {
  usr: 0o755, etc: 0o755, var: 0o755, boot: 0o755, bin: 0o755, sbin: 0o755, "usr/bin": 0o755, "usr/sbin": 0o755, "etc/walt": 0o755, proc: 0o555, sys: 0o555,
  dev: 0o755, run: 0o755, tmp: 0o1777, root: 0o700, persist: 0o755, mnt: 0o755, "var/log": 0o755, home: 0o755,
};

async function populate(root: string, ctx: RecipeContext): Promise<Populated> {
  const [busybox, kernel] = await Promise.all([fetchBusybox(ctx), fetchKernel(ctx)]);
  const newest = Math.max((await stat(busybox.path)).mtimeMs, (await stat(kernel.vmlinuz)).mtimeMs);
  const created = new Date(Math.floor(newest / 1000) * 1000);
  for (const [dir, mode] of Object.entries(DIRS)) {
    await mkdir(join(root, dir), { recursive: true });
    await chmod(join(root, dir), mode);
  }
  await copyFile(busybox.path, join(root, "bin", "busybox"));
  await chmod(join(root, "bin", "busybox"), 0o755);
  for (const applet of busybox.applets) {
    // Our /sbin/init is a script; linuxrc is for initrd-style boots only.
    if (applet === "sbin/init" || applet === "linuxrc" || applet === "bin/busybox") continue;
    await mkdir(join(root, posix.dirname(applet)), { recursive: true });
    await symlink(posix.relative(posix.dirname(applet), "bin/busybox"), join(root, applet));
  }
  for (const [path, f] of Object.entries(FILES)) {
    await writeFile(join(root, path), f.text);
    await chmod(join(root, path), f.mode);
  }
  await installBootFiles(root, {
    kernel: { copyFrom: kernel.vmlinuz },
    initramfs: { busybox: busybox.path, applets: busybox.applets, modRoot: kernel.root, kver: kernel.kver, mtime: created },
  });
  return { created, layer: { owner: { uid: 0, gid: 0 }, clampMtime: created } };
}

export const busyboxRecipe: Recipe = {
  name: "busybox",
  fullname: `waltplatform/${MODEL}-busybox:latest`,
  labels: { [MODELS_LABEL]: MODEL },
  cmd: ["/bin/sh"],
  env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
  async inputs(ctx) {
    const [busybox, kernel] = await Promise.all([candidateVersion(BUSYBOX_PACKAGE, ctx), kernelPackage(ctx)]);
    return {
      busybox: `${busybox.name}=${busybox.version}`,
      kernel: `${kernel.name}=${kernel.version}`,
      modules: INITRAMFS_MODULES.join(","),
      files: JSON.stringify({ FILES, DIRS }),
      startIpxe,
      ...INITRAMFS_SCRIPTS,
    };
  },
  populate,
};
