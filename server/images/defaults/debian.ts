/**
 * `waltplatform/pc-x86-64-default`: Debian bookworm minbase built by mmdebstrap from Debian's packages (no
 * registry needed), with systemd, udev, ssh server, nbd-client, iproute2, busybox, kmod, procps and the kernel,
 * then WALT's boot folder (the image's own kernel, our initramfs built from the image's modules, start.ipxe).
 * Needs root (mmdebstrap --mode=root keeps real owners) and a few minutes; never run by unit tests.
 */
import { chmod, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WaltError } from "../../../src/errors.ts";
import { installBootFiles, startIpxe } from "./boot-files.ts";
import { fetchBusybox } from "./busybox.ts";
import { candidateVersion } from "./debs.ts";
import { run } from "./exec.ts";
import { INITRAMFS_MODULES, INITRAMFS_SCRIPTS } from "./initramfs.ts";
import { installedKernel, kernelPackage } from "./kernel.ts";
import { MODEL, MODELS_LABEL, PREFERRED_NAME_LABEL, type Populated, type Recipe, type RecipeContext } from "./recipe.ts";

export const DEBIAN_SUITE = "bookworm";
export const DEBIAN_PACKAGES = [
  "systemd-sysv", "udev", "iproute2", "openssh-server", "nbd-client", "busybox", "kmod", "procps", "linux-image-amd64", "ifupdown",
];
/** Documentation is not needed on a node (copyright files kept). */
const DPKG_OPTIONS = [
  "path-exclude=/usr/share/man/*", "path-exclude=/usr/share/info/*", "path-exclude=/usr/share/doc/*",
  "path-include=/usr/share/doc/*/copyright", "path-exclude=/usr/share/locale/*",
];
/** Timers and services that only cost boot time on a netbooted node (as the lab's prep-debian-rootfs.sh). */
const MASKED_UNITS = ["systemd-timesyncd.service", "apt-daily.timer", "apt-daily-upgrade.timer", "e2scrub_all.timer", "e2scrub_reap.service", "fstrim.timer"];

const FILES: Record<string, string> = {
  "etc/hosts": "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
  "etc/fstab": "# The root filesystem and /persist are mounted by WALT's initramfs.\n",
  // Only lo: eth0 was configured by the initramfs and carries the NFS root; reconfiguring it would cut it.
  "etc/network/interfaces": "auto lo\niface lo inet loopback\n",
};

async function customize(root: string): Promise<void> {
  for (const dir of ["persist", "etc/walt"]) {
    await mkdir(join(root, dir), { recursive: true });
    await chmod(join(root, dir), 0o755);
  }
  // The node's name comes from DHCP (§4.3 removes a regular /etc/hostname too).
  await rm(join(root, "etc/hostname"), { force: true });
  for (const [path, text] of Object.entries(FILES)) {
    await writeFile(join(root, path), text);
    await chmod(join(root, path), 0o644);
  }
  for (const unit of MASKED_UNITS) {
    await rm(join(root, "etc/systemd/system", unit), { force: true });
    await symlink("/dev/null", join(root, "etc/systemd/system", unit));
  }
  // Console login as root without a password (the nodes live on walt-net; ssh stays key-only).
  const shadow = join(root, "etc/shadow");
  await writeFile(shadow, (await readFile(shadow, "utf8")).replace(/^root:[^:]*:/m, "root::"));
  // initramfs-tools made its own initrd when the kernel was installed: WALT boots with ours.
  for (const f of await readdir(join(root, "boot"))) if (f.startsWith("initrd.img")) await rm(join(root, "boot", f));
  for (const f of ["initrd.img", "initrd.img.old"]) await rm(join(root, f), { force: true });
}

async function populate(root: string, ctx: RecipeContext): Promise<Populated> {
  if (process.getuid?.() !== 0) {
    throw new WaltError("PRECONDITION", "Building the Debian default image needs root (mmdebstrap --mode=root keeps file owners).");
  }
  const busybox = await fetchBusybox(ctx);
  ctx.log.info("running mmdebstrap (a few minutes)", { suite: DEBIAN_SUITE });
  await run(
    "mmdebstrap",
    [
      "--variant=minbase", "--mode=root", "--format=directory",
      `--include=${DEBIAN_PACKAGES.join(",")}`,
      ...DPKG_OPTIONS.map((o) => `--dpkgopt=${o}`),
      '--aptopt=Acquire::Languages "none"',
      DEBIAN_SUITE, root,
    ],
    { timeoutMs: 45 * 60_000, ...(ctx.signal ? { signal: ctx.signal } : {}) },
  );
  await customize(root);
  const kernel = await installedKernel(root);
  await run("depmod", ["-b", root, kernel.kver], { timeoutMs: 120_000 });
  const created = new Date();
  await installBootFiles(root, {
    kernel: { linkTo: `../vmlinuz-${kernel.kver}` },
    initramfs: { busybox: busybox.path, applets: busybox.applets, modRoot: root, kver: kernel.kver, mtime: created },
  });
  return { created, layer: {} };
}

export const debianRecipe: Recipe = {
  name: "debian",
  fullname: `waltplatform/${MODEL}-default:latest`,
  labels: { [MODELS_LABEL]: MODEL, [PREFERRED_NAME_LABEL]: `${MODEL}-default` },
  cmd: ["/bin/bash"],
  env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
  async inputs(ctx) {
    const [busybox, kernel] = await Promise.all([candidateVersion("busybox-static", ctx), kernelPackage(ctx)]);
    return {
      suite: DEBIAN_SUITE,
      packages: DEBIAN_PACKAGES.join(","),
      dpkg: DPKG_OPTIONS.join(","),
      masked: MASKED_UNITS.join(","),
      files: JSON.stringify(FILES),
      busybox: `${busybox.name}=${busybox.version}`,
      kernel: `${kernel.name}=${kernel.version}`,
      modules: INITRAMFS_MODULES.join(","),
      startIpxe,
      ...INITRAMFS_SCRIPTS,
    };
  },
  populate,
};
