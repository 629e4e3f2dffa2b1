/**
 * WALT's boot folder of a pc-x86-64 image (§3.4, §4.11): /boot/pc-x86-64/{kernel, initrd, start.ipxe}.
 * The server serves this folder to the node (TFTP/HTTP); start.ipxe loads `kernel` and `initrd` beside it.
 */
import { chmod, copyFile, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import startIpxe from "./boot/start.ipxe" with { type: "text" };
import { buildInitramfs, type InitramfsInput } from "./initramfs.ts";
import { BOOT_DIR } from "./recipe.ts";

export { startIpxe };

export interface BootFiles {
  /** Copy this kernel file in, or link to a kernel already in the image (a relative symlink target). */
  kernel: { copyFrom: string } | { linkTo: string };
  initramfs: InitramfsInput;
}

/** Create the boot folder under `root`; answer the initramfs module order. */
export async function installBootFiles(root: string, files: BootFiles): Promise<{ modules: string[] }> {
  const dir = join(root, BOOT_DIR);
  await mkdir(dir, { recursive: true });
  if ("copyFrom" in files.kernel) await copyFile(files.kernel.copyFrom, join(dir, "kernel"));
  else await symlink(files.kernel.linkTo, join(dir, "kernel"));
  const { modules } = await buildInitramfs(join(dir, "initrd"), files.initramfs);
  await writeFile(join(dir, "start.ipxe"), startIpxe);
  // Explicit modes: the builder's umask must not show in the image.
  await chmod(dir, 0o755);
  for (const f of ["initrd", "start.ipxe", ...("copyFrom" in files.kernel ? ["kernel"] : [])]) await chmod(join(dir, f), 0o644);
  return { modules };
}
