/**
 * WALT's initramfs for pc-x86-64 images: static busybox, /init (initramfs/init.sh), the udhcpc script, and the
 * kernel modules the boot needs with their dependencies (resolved by `modprobe -d <root> -S <kver>
 * --show-depends`, as the lab did), loaded by /init in the order of /lib/modules/order.
 * The cpio newc archive is written in TypeScript (cpio.ts) and gzip-compressed with node:zlib: no `cpio` or
 * `gzip` process, no staging folder, reproducible bytes. `bin/walt-prefetch` (initramfs/prefetch.c, ~10 KB,
 * no libc) is compiled here with gcc: it reads the agent's pages ahead of its start (docs/netboot.md).
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { WaltError } from "../../../src/errors.ts";
import { cpioNewc, S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, type CpioEntry } from "./cpio.ts";
import { run } from "./exec.ts";
import initScript from "./initramfs/init.sh" with { type: "text" };
import udhcpcScript from "./initramfs/udhcpc.sh" with { type: "text" };
import prefetchSource from "./initramfs/prefetch.c" with { type: "text" };

/** Network and disk drivers of virtual and common PC nodes, the NFS client, overlayfs, NBD swap, netem. */
export const INITRAMFS_MODULES = ["virtio_pci", "virtio_net", "virtio_blk", "virtio_scsi", "e1000", "nfsv3", "nfsv4", "overlay", "nbd", "sch_netem"];

/** The embedded scripts (hashed by the recipes). */
export const INITRAMFS_SCRIPTS = { init: initScript, udhcpc: udhcpcScript, prefetch: prefetchSource };

export const MODULE_ORDER_FILE = "lib/modules/order";

export interface InitramfsInput {
  /** A static busybox binary and its applet paths (`busybox --list-full`, e.g. `bin/sh`). */
  busybox: string;
  applets: readonly string[];
  /** Root whose lib/modules/<kver> has the modules and depmod's files. */
  modRoot: string;
  kver: string;
  modules?: readonly string[];
  mtime: Date;
}

/** Module files to load, in load order (dependencies first), relative to lib/modules/. */
export async function resolveModules(modRoot: string, kver: string, modules: readonly string[]): Promise<string[]> {
  const out = await run("modprobe", ["-d", modRoot, "-S", kver, "--show-depends", "-a", ...modules], { timeoutMs: 60_000 });
  const marker = `/lib/modules/${kver}/`;
  const files: string[] = [];
  for (const line of out.split("\n")) {
    const m = /^insmod (\S+)/.exec(line.trim());
    if (!m?.[1]) continue; // `builtin <name>`: nothing to load
    const at = m[1].lastIndexOf(marker);
    if (at < 0) throw new WaltError("INTERNAL", `modprobe answered a module outside ${modRoot}: ${m[1]}`);
    const rel = m[1].slice(at + "/lib/modules/".length);
    if (!files.includes(rel)) files.push(rel);
  }
  return files;
}

/** Compile initramfs/prefetch.c for this machine (x86_64 or aarch64) and answer the static binary's bytes. */
export async function compilePrefetch(): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "walt-prefetch-"));
  try {
    await writeFile(join(dir, "prefetch.c"), prefetchSource);
    const flags = ["-Os", "-s", "-static", "-nostdlib", "-ffreestanding", "-fno-stack-protector", "-fno-pie", "-no-pie"];
    await run("gcc", [...flags, "-o", join(dir, "walt-prefetch"), join(dir, "prefetch.c")], { timeoutMs: 120_000 });
    return new Uint8Array(await Bun.file(join(dir, "walt-prefetch")).arrayBuffer());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Write the gzip-compressed initramfs to `out`; answer the module load order and the file size. */
export async function buildInitramfs(out: string, input: InitramfsInput): Promise<{ modules: string[]; size: number }> {
  const modules = await resolveModules(input.modRoot, input.kver, input.modules ?? INITRAMFS_MODULES);
  const prefetch = await compilePrefetch();
  const entries = new Map<string, CpioEntry>();
  const add = (e: CpioEntry): void => {
    for (let d = posix.dirname(e.name); d !== "."; d = posix.dirname(d)) {
      if (!entries.has(d)) entries.set(d, { name: d, mode: S_IFDIR | 0o755 });
    }
    entries.set(e.name, e);
  };
  for (const d of ["dev", "proc", "sys", "run", "tmp", "newroot", "mnt", "etc"]) add({ name: d, mode: S_IFDIR | 0o755 });
  // The kernel opens /dev/console for /init's stdio before anything is mounted.
  add({ name: "dev/console", mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 });
  add({ name: "dev/null", mode: S_IFCHR | 0o666, rdevMajor: 1, rdevMinor: 3 });
  add({ name: "bin/busybox", mode: S_IFREG | 0o755, file: input.busybox });
  for (const applet of input.applets) {
    if (applet === "linuxrc" || applet === "bin/busybox") continue;
    add({ name: applet, mode: S_IFLNK | 0o777, data: posix.relative(posix.dirname(applet), "bin/busybox") });
  }
  add({ name: "init", mode: S_IFREG | 0o755, data: initScript });
  add({ name: "bin/walt-udhcpc", mode: S_IFREG | 0o755, data: udhcpcScript });
  add({ name: "bin/walt-prefetch", mode: S_IFREG | 0o755, data: prefetch });
  add({ name: MODULE_ORDER_FILE, mode: S_IFREG | 0o644, data: modules.map((m) => `${m}\n`).join("") });
  for (const m of modules) add({ name: `lib/modules/${m}`, mode: S_IFREG | 0o644, file: join(input.modRoot, "lib", "modules", m) });

  const sorted = [...entries.values()].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const mtime = Math.floor(input.mtime.getTime() / 1000);
  await pipeline(Readable.from(cpioNewc(sorted, mtime)), createGzip({ level: 9 }), createWriteStream(out));
  return { modules, size: (await stat(out)).size };
}

/** Applet paths of a busybox binary (`bin/sh`, `usr/bin/awk`…). It must run here: an x86_64 static busybox. */
export async function busyboxApplets(busybox: string): Promise<string[]> {
  const list = (await run(busybox, ["--list-full"], { timeoutMs: 30_000 })).split("\n").map((l) => l.trim());
  const applets = list.filter((l) => l !== "" && !l.startsWith("/") && !l.includes(".."));
  if (!applets.includes("bin/sh")) throw new WaltError("INTERNAL", `${busybox} --list-full has no bin/sh.`);
  return applets;
}
