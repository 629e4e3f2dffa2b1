/**
 * The same image booted from a local disk under the same qemu, as the reference of the network boot's time:
 * - disk: a raw ext4 filesystem made (`mke2fs -d`) from the node's served root, i.e. the image plus what the
 *   server injects (/bin/walt and its libraries, server/netboot/served.ts);
 * - qemu: server/vnodes/qemu-args.ts with the accelerator, RAM, cores, kernel and command line of the node's
 *   running VM, plus the disk (virtio-scsi, /dev/sda), on a tap attached to nothing; the node's VM is paused
 *   (SIGSTOP) meanwhile, so that both runs have the machine alike;
 * - initramfs: the image's own, with one more cpio appended (the kernel unpacks concatenated archives in order,
 *   later files replace earlier ones): the modules a local ext4 root needs (sd_mod, ext4 and their dependencies,
 *   absent from WALT's initramfs) and the image's /init with its DHCP + NFS mount section replaced by mounting
 *   the disk read-only (boot-local-init.ts). Everything after it (RAM overlay, agent, image init) is unchanged.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { cpioNewc, parseCpio, S_IFDIR, S_IFREG, type CpioEntry } from "../server/images/defaults/cpio.ts";
import { MODULE_ORDER_FILE, resolveModules } from "../server/images/defaults/initramfs.ts";
import { qemuArgs } from "../server/vnodes/qemu-args.ts";
import { HANDOVER_MESSAGE } from "../agent/steps/handover.ts";
import { run } from "../test/helpers/netns.ts";
import type { BootBench } from "./boot-env.ts";
import type { BenchImage } from "./boot-images.ts";
import { LOCAL_ROOT_DEVICE, localRootCmdline, localRootInit } from "./boot-local-init.ts";
import { RECIPE_CACHE } from "./boot-images.ts";
import { tmpdir } from "node:os";

const LOCAL_MODULES = ["sd_mod", "ext4", "crc32c_generic"];
const TAP = "wtbenchlocal";

interface VmArgs {
  pid: number;
  accel: "kvm" | "tcg";
  ramMb: number;
  cores: number;
  kernel: string;
  initrd: string;
  cmdline: string;
  mac: string;
}

/** The running qemu of a node, read back from its command line. */
async function vmArgsOf(b: BootBench, node: string): Promise<VmArgs> {
  const mac = b.macOf(node);
  for (const p of await b.ns.processes()) {
    if (!p.comm.startsWith("qemu")) continue;
    const argv = readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0");
    const opt = (name: string): string => argv[argv.indexOf(name) + 1] ?? "";
    if (!argv.some((a) => a.includes(`mac=${mac}`))) continue;
    const accel = opt("-accel") === "kvm" ? "kvm" : "tcg";
    return { pid: p.pid, accel, ramMb: Number(opt("-m")), cores: Number(opt("-smp")), kernel: b.serverPath(opt("-kernel")), initrd: b.serverPath(opt("-initrd")), cmdline: opt("-append"), mac };
  }
  throw new Error(`no qemu process for ${node} (${mac})`);
}

/** Where the modules of kernel `kver` are: the image itself (Debian) or the recipes' kernel package (busybox). */
function modulesRoot(served: string, kver: string): string {
  const pkgs = [join(RECIPE_CACHE, "pkgs"), join(tmpdir(), "walt-test-cache", "pkgs")].flatMap((d) => (existsSync(d) ? readdirSync(d).map((n) => join(d, n)) : []));
  const root = [served, ...pkgs].find((r) => existsSync(join(r, "lib", "modules", kver, "modules.dep")));
  if (root === undefined) throw new Error(`no modules of kernel ${kver} in the image nor in ${RECIPE_CACHE}/pkgs`);
  return root;
}

/** The image's initramfs + the appended local-root archive, written to `out`. */
async function localInitrd(initrd: string, served: string, out: string): Promise<void> {
  const original = readFileSync(initrd);
  const files = new Map(parseCpio(gunzipSync(original)).map((e) => [e.name, e]));
  const order = new TextDecoder().decode(files.get(MODULE_ORDER_FILE)?.data ?? new Uint8Array());
  const init = new TextDecoder().decode(files.get("init")?.data ?? new Uint8Array());
  const kver = order.split("/")[0] ?? "";
  if (kver === "" || init === "") throw new Error(`${initrd}: not WALT's initramfs (no /init or no ${MODULE_ORDER_FILE})`);
  const modRoot = modulesRoot(served, kver);
  const known = new Set(order.split("\n"));
  const extra = (await resolveModules(modRoot, kver, LOCAL_MODULES)).filter((m) => !known.has(m));
  const entries = new Map<string, CpioEntry>();
  const add = (e: CpioEntry): void => {
    for (let d = e.name.slice(0, e.name.lastIndexOf("/")); d !== ""; d = d.slice(0, Math.max(0, d.lastIndexOf("/")))) entries.set(d, { name: d, mode: S_IFDIR | 0o755 });
    entries.set(e.name, e);
  };
  add({ name: "init", mode: S_IFREG | 0o755, data: localRootInit(init) });
  add({ name: MODULE_ORDER_FILE, mode: S_IFREG | 0o644, data: order.trimEnd() + "\n" + extra.map((m) => `${m}\n`).join("") });
  for (const m of extra) add({ name: `lib/modules/${m}`, mode: S_IFREG | 0o644, file: join(modRoot, "lib", "modules", m) });
  const chunks: Uint8Array[] = [];
  for await (const c of cpioNewc([...entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1)), 0)) chunks.push(c);
  writeFileSync(out, Buffer.concat([original, gzipSync(Buffer.concat(chunks))]));
}

async function must(argv: string[]): Promise<string> {
  const r = await run(argv);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (${r.code}): ${r.err.trim()}`);
  return r.out;
}

export interface LocalBoot {
  /** Seconds from qemu start to the agent's hand-over line, and to the image's booted line. */
  handOverS: number;
  bootedS: number;
  diskBytes: number;
}

/** Boot `image` (the served root `node` currently boots) from a local disk; node must be booted on it. */
export async function localBoot(b: BootBench, node: string, image: BenchImage, timeoutS: number): Promise<LocalBoot> {
  const vm = await vmArgsOf(b, node);
  const served = b.serverPath(realpathSync(join(b.dataDir, "nodes", node, "fs")));
  const disk = join(b.dir, "local-root.img");
  const initrd = join(b.dir, "local-initrd");
  const apparent = Number((await must(["du", "-s", "-b", "--apparent-size", served])).split("\t")[0]);
  const diskBytes = Math.ceil((apparent * 1.3 + 64e6) / 4096) * 4096;
  try {
    await must(["mke2fs", "-q", "-F", "-t", "ext4", "-b", "4096", "-d", served, disk, `${diskBytes / 4096}`]);
    await localInitrd(vm.initrd, served, initrd);
    await b.ns.exec(["ip", "link", "del", TAP]);
    await must(["ip", "-n", b.ns.name, "tuntap", "add", "dev", TAP, "mode", "tap"]);
    await must(["ip", "-n", b.ns.name, "link", "set", TAP, "up"]);
    const argv = qemuArgs({
      name: `local-${node}`, accel: vm.accel, ramMb: vm.ramMb, cores: vm.cores, nets: [{ tap: TAP, mac: vm.mac }], disks: [{ path: disk }],
      boot: { kind: "direct", kernel: vm.kernel, initrd, cmdline: localRootCmdline(vm.cmdline, LOCAL_ROOT_DEVICE) },
    });
    // The node's own VM is paused meanwhile: under TCG an idle guest still takes CPU from the measured one.
    process.kill(vm.pid, "SIGSTOP");
    const t0 = performance.now();
    const qemu = b.ns.spawn(argv);
    const booted = new RegExp(image.bootedLine);
    let handOverS = NaN;
    let seen = "";
    const deadline = setTimeout(() => qemu.kill("SIGKILL"), timeoutS * 1000);
    try {
      let buf = "";
      for await (const chunk of qemu.stdout.pipeThrough(new TextDecoderStream())) {
        buf += chunk.replace(/\r/g, "");
        const lines = buf.split("\n");
        buf = lines.pop() ?? "";
        for (const line of lines) {
          seen += line + "\n";
          const s = (performance.now() - t0) / 1000;
          if (line.includes(HANDOVER_MESSAGE) && Number.isNaN(handOverS)) handOverS = s;
          if (booted.test(line)) return { handOverS, bootedS: s, diskBytes };
        }
      }
      throw new Error(`the local-disk boot of ${image.name} never printed /${image.bootedLine}/; console tail:\n${seen.split("\n").slice(-30).join("\n")}`);
    } finally {
      clearTimeout(deadline);
      qemu.kill("SIGKILL");
      await qemu.exited;
      process.kill(vm.pid, "SIGCONT");
    }
  } finally {
    await b.ns.exec(["ip", "link", "del", TAP]);
    rmSync(disk, { force: true });
    rmSync(initrd, { force: true });
  }
}
