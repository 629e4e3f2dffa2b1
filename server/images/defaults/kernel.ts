/**
 * Debian's kernel for pc-x86-64 images: the package `linux-image-amd64` depends on (found with
 * `apt-cache depends`), downloaded and extracted into the recipe cache with its modules' dependency files
 * (`depmod -b`: the package ships none, its postinst makes them), so `modprobe -d` can resolve modules.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { WaltError } from "../../../src/errors.ts";
import { candidateVersion, extractDeb, type DebPackage } from "./debs.ts";
import { run } from "./exec.ts";
import type { RecipeContext } from "./recipe.ts";

export const KERNEL_META_PACKAGE = "linux-image-amd64";

export interface KernelPackage extends DebPackage {
  /** `uname -r` of the kernel, e.g. 6.1.0-56-amd64. */
  kver: string;
}

export interface Kernel extends KernelPackage {
  /** A root whose lib/modules/<kver> holds the modules and depmod's files (for `modprobe -d`). */
  root: string;
  vmlinuz: string;
}

/** The kernel package the meta package currently depends on, and its version. */
export async function kernelPackage(ctx: RecipeContext): Promise<KernelPackage> {
  const out = await run("apt-cache", ["depends", KERNEL_META_PACKAGE], { timeoutMs: 60_000 });
  const name = /^\s*\|?Depends:\s*(linux-image-\S+)/m.exec(out)?.[1];
  if (!name) {
    throw new WaltError("PRECONDITION", `Cannot tell which kernel ${KERNEL_META_PACKAGE} depends on.`, { hint: "apt-get update" });
  }
  const kver = name.slice("linux-image-".length).replace(/-unsigned$/, "");
  return { ...(await candidateVersion(name, ctx)), kver };
}

/** The kernel, downloaded and prepared once per version in the cache. */
export async function fetchKernel(ctx: RecipeContext): Promise<Kernel> {
  const pkg = await kernelPackage(ctx);
  const root = await extractDeb(pkg, ctx, async (tmp) => {
    await run("depmod", ["-b", tmp, pkg.kver], { timeoutMs: 120_000 });
  });
  return { ...pkg, root, vmlinuz: await vmlinuzOf(root, pkg.kver) };
}

/** The kernel installed in a root filesystem (an image that has linux-image-* installed). */
export async function installedKernel(root: string): Promise<{ kver: string; vmlinuz: string }> {
  const kvers = await readdir(join(root, "lib", "modules")).catch(() => []);
  if (kvers.length !== 1) {
    throw new WaltError("INTERNAL", `Expected one kernel in ${root}/lib/modules, found ${kvers.length === 0 ? "none" : kvers.join(", ")}.`);
  }
  const kver = kvers[0] as string;
  return { kver, vmlinuz: await vmlinuzOf(root, kver) };
}

async function vmlinuzOf(root: string, kver: string): Promise<string> {
  const path = join(root, "boot", `vmlinuz-${kver}`);
  if (!(await stat(path).then((s) => s.isFile(), () => false))) {
    throw new WaltError("INTERNAL", `No kernel image at ${path}.`);
  }
  return path;
}
