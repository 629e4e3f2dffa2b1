/**
 * Network boot benches (issue 5), on the compiled `walt server` in a network namespace (boot-env.ts):
 * 1. bytes sent by the server per boot ÷ the image's size (goal ≤ 10 %), first boot and reboot;
 * 2. qemu start → booted, network boot vs the same served root on a local disk under the same qemu (goal ≤ 1.2);
 * 3. ten vnodes rebooted at once (boot-many.ts).
 *
 *   bun bench/boot.ts [busybox|debian] [--no-many] [--reps N]
 *     debian: the Debian default image too (minutes under TCG); --reps N: N reboot / local-disk pairs per image,
 *     alternated, and the median of their ratios (boot times on a shared machine vary by 20 % from run to run).
 *
 * Needs root, qemu-system-x86, nfs-ganesha(-vfs), iproute2, nftables, e2fsprogs.
 */
import { realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { run } from "../test/helpers/netns.ts";
import { BootBench } from "./boot-env.ts";
import { imagesOf, type BenchImage, type BenchImages } from "./boot-images.ts";
import { localBoot, type LocalBoot } from "./boot-local.ts";
import { benchManyBoots } from "./boot-many.ts";
import { measureBoot, secs, type BootRun } from "./boot-measure.ts";
import { mb, TrafficSampler } from "./boot-traffic.ts";

const BOOT_TIMEOUT_S = { busybox: 300, debian: 900 };
const BYTES_GOAL = 0.1;
const TIME_GOAL = 1.2;

interface ImageFigures {
  image: BenchImage;
  sizeBytes: number;
  first: BootRun;
  /** Reboot i and local-disk boot i were measured one after the other. */
  reboots: BootRun[];
  locals: LocalBoot[];
}

/** Apparent size of the image's unpacked root (what `du --apparent-size` says; /bin/walt not included). */
async function imageSize(b: BootBench, node: string): Promise<number> {
  const hex = basename(dirname(realpathSync(join(b.dataDir, "nodes", node, "fs"))));
  const r = await run(["du", "-s", "-b", "--apparent-size", join(b.dataDir, "images", "rootfs", hex)]);
  if (r.code !== 0) throw new Error(`du failed: ${r.err}`);
  return Number(r.out.split("\t")[0]);
}

async function measureImage(b: BootBench, sampler: TrafficSampler, image: BenchImage, reps: number): Promise<ImageFigures> {
  const timeout = BOOT_TIMEOUT_S[image.kind];
  if (!(await b.ok("image", "show", "--names-only")).split("\n").includes(image.name)) await b.ok("image", "clone", `walt:waltplatform/${image.name}`);
  console.log(`  ${image.name}: walt node boot vn1 ${image.name}, then ${reps} × (walt node reboot vn1, the local disk)…`);
  const first = await measureBoot(b, sampler, ["vn1"], image, ["node", "boot", "vn1", image.name], timeout);
  const line = (label: string, r: BootRun): void => {
    const n = r.nodes[0];
    console.log(`    ${label}: qemu → booted ${n ? secs(n.bootedUs - n.qemuStartUs) : "?"} s, ${mb(r.tapBytes)} MB on the tap`);
  };
  line("first", first);
  const reboots: BootRun[] = [];
  const locals: LocalBoot[] = [];
  for (let i = 0; i < reps; i++) {
    const reboot = await measureBoot(b, sampler, ["vn1"], image, ["node", "reboot", "vn1"], timeout);
    line("reboot", reboot);
    reboots.push(reboot);
    const local = await localBoot(b, "vn1", image, timeout);
    console.log(`    local disk: qemu → booted ${local.bootedS.toFixed(1)} s`);
    locals.push(local);
  }
  return { image, sizeBytes: await imageSize(b, "vn1"), first, reboots, locals };
}

const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;
const met = (ok: boolean): string => (ok ? "met" : "NOT met");

function printBytes(figures: ImageFigures[]): void {
  console.log("\nBytes sent by the server per boot (tap tx on walt-net: DHCP, HTTP, NFS, NBD, headers included), vn1, emulated bootloader;");
  console.log("from the CLI command to the image's booted line; image size = du --apparent-size of its unpacked root:");
  console.log(`  ${"image".padEnd(18)} ${"size MB".padStart(8)} ${"boot".padEnd(7)} ${"tap MB".padStart(7)} ${"NFS".padStart(6)} ${"DHCP".padStart(6)} ${"HTTP".padStart(6)} ${"NBD".padStart(6)} ${"TFTP".padStart(6)} ${"tap÷size".padStart(9)}  goal ≤ 10 %`);
  for (const f of figures) {
    for (const [label, r] of [["first", f.first], ["reboot", f.reboots[0] ?? f.first]] as const) {
      const ratio = r.tapBytes / f.sizeBytes;
      const p = r.proto;
      console.log(`  ${(label === "first" ? f.image.name : "").padEnd(18)} ${(label === "first" ? mb(f.sizeBytes) : "").padStart(8)} ${label.padEnd(7)} ${mb(r.tapBytes).padStart(7)} ${mb(p.nfs).padStart(6)} ${mb(p.dhcp).padStart(6)} ${mb(p.http).padStart(6)} ${mb(p.nbd).padStart(6)} ${mb(p.tftp).padStart(6)} ${pct(ratio).padStart(9)}  ${met(ratio <= BYTES_GOAL)}`);
    }
  }
  console.log(`  (per protocol: IP bytes out of walt-net by source port; kernel + initrd (${figures.map((f) => `${f.image.name} ${mb(f.first.kernelBytes)} MB`).join(", ")}) go to qemu from the served root, not over walt-net)`);
}

function printTimes(figures: ImageFigures[]): void {
  console.log("\nBoot time, seconds from qemu start (same qemu arguments, 512 MB) to booted, network boot vs the same served root on a local ext4 disk:");
  for (const f of figures) console.log(`  booted = ${f.image.name}: ${f.image.bootedWhat}; hand-over = the agent prints its hand-over line`);
  console.log(`  ${"image".padEnd(18)} ${"boot".padEnd(7)} ${"CLI→booted".padStart(10)} ${"net hand-over".padStart(13)} ${"net booted".padStart(10)} ${"local hand-over".padStart(15)} ${"local booted".padStart(12)} ${"ratio".padStart(6)}  goal ≤ 1.2`);
  for (const f of figures) {
    const rows: [string, BootRun, LocalBoot | undefined][] = [["first", f.first, f.locals[0]], ...f.reboots.map((r, i): [string, BootRun, LocalBoot | undefined] => ["reboot", r, f.locals[i]])];
    const ratios: number[] = [];
    rows.forEach(([label, r, local], i) => {
      const n = r.nodes[0];
      if (n === undefined || local === undefined) return;
      const netS = (n.bootedUs - n.qemuStartUs) / 1e6;
      const ratio = netS / local.bootedS;
      if (label === "reboot") ratios.push(ratio);
      console.log(`  ${(i === 0 ? f.image.name : "").padEnd(18)} ${label.padEnd(7)} ${r.wallS.toFixed(1).padStart(10)} ${secs(n.handOverUs - n.qemuStartUs).padStart(13)} ${netS.toFixed(1).padStart(10)} ${local.handOverS.toFixed(1).padStart(15)} ${local.bootedS.toFixed(1).padStart(12)} ${ratio.toFixed(2).padStart(6)}  ${met(ratio <= TIME_GOAL)}`);
    });
    if (ratios.length > 1) {
      const sorted = [...ratios].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
      console.log(`  ${"".padEnd(18)} median of ${ratios.length} reboot / local pairs: ${median.toFixed(2)} (${(sorted[0] ?? NaN).toFixed(2)}–${(sorted.at(-1) ?? NaN).toFixed(2)})  ${met(median <= TIME_GOAL)}`);
    }
  }
}

/** What the boot benches need and is missing here (empty: all there). */
function missingTools(): string[] {
  const path = `${process.env["PATH"] ?? ""}:/usr/sbin:/sbin`;
  const missing = process.getuid?.() === 0 ? [] : ["root"];
  for (const [tool, pkg] of [["qemu-system-x86_64", "qemu-system-x86"], ["ganesha.nfsd", "nfs-ganesha nfs-ganesha-vfs"], ["ip", "iproute2"], ["nft", "nftables"], ["mke2fs", "e2fsprogs"]]) {
    if (!Bun.which(tool as string, { PATH: path })) missing.push(`${tool} (apt-get install ${pkg})`);
  }
  return missing;
}

export async function benchBoot(images: BenchImages = "busybox", many = true, reps = 1): Promise<void> {
  const missing = missingTools();
  if (missing.length > 0) {
    console.log(`Network boot benches: skipped (needs ${missing.join(", ")})`);
    return;
  }
  console.log(`Network boot benches (${images === "debian" ? "busybox and Debian images" : "busybox image; `debian` adds the Debian default image"}), qemu under the server's accelerator:`);
  const figures: ImageFigures[] = [];
  {
    await using b = await BootBench.create(images);
    const sampler = new TrafficSampler(b.ns, b.dir);
    await sampler.start();
    try {
      await b.ok("node", "create", "vn1");
      await b.ok("node", "wait", "vn1", "--timeout", String(BOOT_TIMEOUT_S[images]));
      for (const image of imagesOf(images)) figures.push(await measureImage(b, sampler, image, reps));
    } finally {
      await sampler.stop();
    }
  }
  printBytes(figures);
  printTimes(figures);
  if (many) await benchManyBoots(10);
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--reps");
  const reps = at < 0 ? 1 : Number(args[at + 1]);
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error("--reps needs a whole number ≥ 1");
  await benchBoot(args.includes("debian") ? "debian" : "busybox", !args.includes("--no-many"), reps);
}
