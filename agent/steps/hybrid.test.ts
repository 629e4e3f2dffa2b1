import { describe, expect, test } from "bun:test";
import { FakeSys } from "../sys/fake.ts";
import { CMDLINE, fakeContext, initramfsBootEnv, reportedSteps, runFakeInit } from "../testing.ts";
import { hybridStep } from "./hybrid.ts";
import { candidatePartitions } from "./partitions.ts";

const EXT4 = (() => {
  const b = new Uint8Array(2048);
  b.set([0x53, 0xef], 1080);
  return b;
})();
const DIR = "/run/walt/hybrid/walt_hybrid/abc";

/** A node behind WALT's initramfs with a local disk: sda1 (ext4, `contents`), mmcblk0p1 (FAT), a CD and loops. */
function diskNode(contents: string[], cmdline = `${CMDLINE} walt.image=abc`): FakeSys {
  const sys = new FakeSys({
    "/proc/self/stat": "1",
    "/sys/kernel/uevent_helper": "",
    "/dev/null": "",
    "/proc/cmdline": cmdline,
    "/run/walt/boot.env": initramfsBootEnv(true),
    "/run/walt/lower/sbin/init": "",
    "/sbin/init": "",
  });
  sys.mounts.push({ source: "tmpfs", target: "/run", fstype: "tmpfs", options: "rw" });
  for (const [name, dev] of [["sda", "8:0"], ["sda1", "8:1"], ["sr0", "11:0"], ["loop0", "7:0"], ["mmcblk0", "179:0"], ["mmcblk0p1", "179:1"]]) {
    sys.put(`/sys/class/block/${name}/dev`, `${dev}\n`);
  }
  sys.put("/dev/sda1", EXT4);
  sys.put("/dev/mmcblk0p1", new Uint8Array(2048));
  sys.put("/dev/mmcblk0", EXT4);
  sys.contents.set("/dev/sda1", contents);
  sys.contents.set("overlay", ["sbin/init"]);
  return sys;
}

const HYBRID_MOUNTS = [
  "mount -t ext4 -o rw,relatime /dev/sda1 /run/walt/hybrid",
  `mount -t overlay -o lowerdir=${DIR}/image,upperdir=${DIR}/diff,workdir=${DIR}/work overlay /run/walt/root`,
  `mount --bind ${DIR}/local /run/walt/root/local`,
  "mount --move /persist /run/walt/root/persist",
  "pivot_root /run/walt/root /run/walt/root/mnt",
  "mount --move /mnt/dev /dev",
  "mount --move /mnt/proc /proc",
  "mount --move /mnt/sys /sys",
  "mount --move /mnt/run /run",
  "umount -l /mnt",
  'execve /sbin/init ["/sbin/init"]',
];

describe("hybrid boot", () => {
  test("candidate partitions end with a digit and are not loop, nbd, ram, sr devices or whole MMC cards", () => {
    const names = ["sda", "sda1", "sda2", "loop0", "nbd3", "ram1", "sr0", "mmcblk0", "mmcblk0p1", "nvme0n1", "nvme0n1p1", "vdb"];
    expect(candidatePartitions(names)).toEqual(["mmcblk0p1", "nvme0n1", "nvme0n1p1", "sda1", "sda2"]);
    expect(candidatePartitions([])).toEqual([]);
  });

  test("hybrid-volatile: wipes diff, work and local, overlays the local copy and switches root into it", async () => {
    const sys = diskNode(["walt_hybrid/abc/image/sbin/init", "walt_hybrid/abc/diff/etc/x", "walt_hybrid/abc/local/data"]);
    const run = await runFakeInit(sys);
    expect(run.code).toBe(0);
    expect(sys.only("mount", "umount", "pivot_root", "execve")).toEqual(HYBRID_MOUNTS);
    expect(sys.only("rm -rf")).toEqual([`rm -rf ${DIR}/work`, `rm -rf ${DIR}/diff`, `rm -rf ${DIR}/local`]);
    expect(run.out).toContain("walt-init: hybrid-boot: ok, hybrid-volatile mode on /dev/sda1");
    expect(sys.files.get("/run/walt/boot.env")).toEndWith("boot_mode='hybrid-volatile'\n");
    // No RAM overlay to grow in hybrid mode, and no copy since the image is there.
    expect(sys.only("cp", "du", "mount -o remount")).toEqual([]);
  });

  test("hybrid-persistent: keeps diff and local, wipes only work and diff/tmp", async () => {
    const sys = diskNode(["walt_hybrid/.persistent", "walt_hybrid/abc/image/sbin/init", "walt_hybrid/abc/diff/tmp/x"]);
    const run = await runFakeInit(sys);
    expect(sys.only("mount", "umount", "pivot_root", "execve")).toEqual(HYBRID_MOUNTS);
    expect(sys.only("rm -rf")).toEqual([`rm -rf ${DIR}/work`, `rm -rf ${DIR}/diff/tmp`]);
    expect(reportedSteps(run)).toContain("hybrid-boot ok");
    expect(sys.files.get("/run/walt/boot.env")).toEndWith("boot_mode='hybrid-persistent'\n");
  });

  test("an image with its own /local keeps it and the local dir says why", async () => {
    const sys = diskNode(["walt_hybrid/abc/image/sbin/init"]);
    sys.contents.set("overlay", ["sbin/init", "local/app.conf"]);
    await runFakeInit(sys);
    expect(sys.only("mount --bind")).toEqual([]);
    expect(sys.files.has(`${DIR}/local/README.nonlocal`)).toBe(true);
  });

  test("copies the image through image.part when the partition has no copy yet", async () => {
    const sys = diskNode(["walt_hybrid/"]).onSpawn("du -sk", { code: 0, stdout: "2000\t/run/walt/lower\n", stderr: "" });
    const ctx = fakeContext(sys, { config: { ...fakeContext(sys).state.config, image: "abc" } });
    expect(await hybridStep.run(ctx)).toEqual({ status: "ok", detail: "hybrid-volatile mode on /dev/sda1" });
    expect(sys.only("du", "cp", "mv", "rm", "mkdir -p /run/walt/hybrid/")).toEqual([
      "du -sk /run/walt/lower",
      `rm -rf ${DIR}/image.part`,
      `mkdir -p ${DIR}/image.part`,
      `cp -a /run/walt/lower/. ${DIR}/image.part/`,
      `mv ${DIR}/image.part ${DIR}/image`,
    ]);
    expect(ctx.lines).toEqual(["Hybrid-mode: copying image files locally (this may be long)."]);
    expect(ctx.state).toMatchObject({ mode: "hybrid-volatile", hybrid: { device: "/dev/sda1", dir: DIR } });
  });

  test("makes room for twice the image size by removing the oldest other copies first", async () => {
    const sys = diskNode(["walt_hybrid/.persistent", "walt_hybrid/old1/image/", "walt_hybrid/old2/image/", "walt_hybrid/old3/image/"]);
    sys.onSpawn("du -sk", { code: 0, stdout: "2000\t/run/walt/lower\n", stderr: "" });
    sys.mtimes.set("/run/walt/hybrid/walt_hybrid/old1", 300).set("/run/walt/hybrid/walt_hybrid/old2", 100).set("/run/walt/hybrid/walt_hybrid/old3", 200);
    sys.freeKiB = () => Promise.resolve(1000 + 1500 * sys.only("rm -rf /run/walt/hybrid/walt_hybrid/old").length);
    const ctx = fakeContext(sys, { config: { ...fakeContext(sys).state.config, image: "abc" } });
    expect((await hybridStep.run(ctx)).detail).toBe("hybrid-persistent mode on /dev/sda1");
    expect(sys.only("rm -rf /run/walt/hybrid/walt_hybrid/old")).toEqual([
      "rm -rf /run/walt/hybrid/walt_hybrid/old2",
      "rm -rf /run/walt/hybrid/walt_hybrid/old3",
    ]);
  });

  test("falls back to network mode when there is not enough room, a failed copy, or no image id", async () => {
    const small = diskNode(["walt_hybrid/"]).onSpawn("du -sk", { code: 0, stdout: "2000 x", stderr: "" });
    small.freeKiB = () => Promise.resolve(3999);
    const c1 = fakeContext(small, { config: { ...fakeContext(small).state.config, image: "abc" } });
    expect((await hybridStep.run(c1)).detail).toBe("network mode (/dev/sda1: not enough room for a copy of 2000 KiB)");
    expect(small.calls.at(-1)).toBe("umount /run/walt/hybrid");

    const broken = diskNode(["walt_hybrid/"]).onSpawn("cp", { code: 1, stdout: "", stderr: "No space left on device" });
    broken.onSpawn("du", { code: 0, stdout: "10\t.", stderr: "" });
    const c2 = fakeContext(broken, { config: { ...fakeContext(broken).state.config, image: "abc" } });
    expect((await hybridStep.run(c2)).detail).toBe("network mode (/dev/sda1: copying the image failed: No space left on device)");
    expect(broken.calls.slice(-2)).toEqual([`rm -rf ${DIR}/image.part`, "umount /run/walt/hybrid"]);

    const anonymous = diskNode(["walt_hybrid/abc/image/"], CMDLINE);
    const run = await runFakeInit(anonymous);
    expect(run.out).toContain("walt-init: hybrid-boot: ok, network mode (/dev/sda1: walt_hybrid/ found but the kernel command line has no walt.image=)");
    expect(anonymous.only("mount", "pivot_root")).toEqual(["mount -t ext4 -o rw,relatime /dev/sda1 /run/walt/hybrid"]);
    expect(anonymous.files.get("/run/walt/boot.env")).toEndWith("boot_mode='network'\n");
  });

  test("a partition without walt_hybrid/ is unmounted, a missing device node is created, non-ext4 ones are not mounted", async () => {
    const sys = diskNode(["lost+found/"]);
    sys.put("/sys/class/block/sdb1/dev", "8:17\n");
    const ctx = fakeContext(sys);
    expect((await hybridStep.run(ctx)).detail).toBe("network mode (/dev/sda1: no walt_hybrid/)");
    expect(sys.only("mknod", "mount", "umount")).toEqual([
      "mknod /dev/sdb1 b 8 17",
      "mount -t ext4 -o rw,relatime /dev/sda1 /run/walt/hybrid",
      "umount /run/walt/hybrid",
    ]);
  });
});
