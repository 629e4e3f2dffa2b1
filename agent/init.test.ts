import { describe, expect, test } from "bun:test";
import { banner, NOT_PID1_MESSAGE } from "./init.ts";
import { failureLine } from "./panic.ts";
import { netServiceStep } from "./steps/net-service.ts";
import { PERSIST_MESSAGE } from "./steps/persist.ts";
import { FakeSys } from "./sys/fake.ts";
import { CMDLINE, fakeContext, initramfsBootEnv, MAC, PERSIST, reportedSteps, runFakeInit, SERVER } from "./testing.ts";

/** A node whose kernel started the agent directly on its NFS root: nothing mounted yet. */
function standaloneNode(cmdline = CMDLINE): FakeSys {
  const sys = new FakeSys({ "/proc/cmdline": cmdline, "/dev/nbd0": "", "/sys/module/zswap/parameters/enabled": "0", "/bin/walt": "" });
  for (const c of ["nbd-client", "mkswap", "swapon"]) sys.commands.add(c);
  sys.contents.set("overlay", ["sbin/init", "mnt/"]);
  return sys;
}

/** A node started by WALT's initramfs: early mounts moved in, RAM overlay is the root, /persist mounted. */
function initramfsNode(persistMounted = true): FakeSys {
  const sys = new FakeSys({
    "/proc/self/stat": "1",
    "/sys/kernel/uevent_helper": "",
    "/dev/null": "",
    "/proc/cmdline": CMDLINE,
    "/run/walt/boot.env": initramfsBootEnv(persistMounted),
    "/run/walt/lower/sbin/init": "",
    "/sbin/init": "",
    "/bin/walt": "",
  });
  sys.mounts.push({ source: "tmpfs", target: "/run", fstype: "tmpfs", options: "rw" });
  return sys;
}

describe("walt agent init", () => {
  test("as the kernel's init in network mode, mounts in this exact order and hands over to /sbin/init", async () => {
    const sys = standaloneNode();
    const run = await runFakeInit(sys);
    expect(run.code).toBe(0);
    expect(sys.only("mount", "umount", "pivot_root", "execve", "nbd-connect", "mkswap", "swapon", "write /sys")).toEqual([
      "mount -t proc proc /proc",
      "mount -t sysfs sysfs /sys",
      "mount -t devtmpfs devtmpfs /dev",
      "mount -t tmpfs -o mode=0755 tmpfs /run",
      "mount --bind / /run/walt/lower",
      "mount -t tmpfs -o size=50%,mode=0755 tmpfs /run/walt/rw",
      "mount -t overlay -o lowerdir=/run/walt/lower,upperdir=/run/walt/rw/upper,workdir=/run/walt/rw/work overlay /run/walt/root",
      `mount -t nfs4 -o rw,vers=4.1,addr=${SERVER} ${SERVER}:${PERSIST} /run/walt/root/persist`,
      `nbd-connect ${SERVER}:10809 swap-16G /dev/nbd0`,
      "mkswap /dev/nbd0",
      "swapon /dev/nbd0",
      "write /sys/module/zswap/parameters/enabled",
      "mount -o remount,size=8G /run/walt/rw",
      "pivot_root /run/walt/root /run/walt/root/mnt",
      "mount --move /mnt/dev /dev",
      "mount --move /mnt/proc /proc",
      "mount --move /mnt/sys /sys",
      "mount --move /mnt/run /run",
      "umount -l /mnt",
      'execve /sbin/init ["/sbin/init"]',
    ]);
    expect(sys.files.get("/sys/module/zswap/parameters/enabled")).toBe("1");
    expect(sys.files.get("/run/walt/boot.env")).toBe(`server='${SERVER}'\nmac='${MAC}'\nlower='/run/walt/lower'\nboot_mode='network'\n`);
  });

  test("prints WALT's banners and reports every step, then the hand-over", async () => {
    const run = await runFakeInit(standaloneNode());
    expect(run.out[0]).toBe("walt-init: Starting up.");
    expect(run.out).toContain(banner("Mounting the final filesystem"));
    expect(banner("Mounting /persist")).toBe(`*** ${"Mounting /persist".padEnd(60)} ***`);
    expect(run.out.at(-1)).toBe("walt-init: Handing over to WALT image init.");
    expect(new Set(run.urls)).toEqual(new Set([`http://${SERVER}/api/node/v1/boot-steps`]));
    expect(run.posted.every((p) => p.mac === MAC)).toBe(true);
    // early-mounts ended before the server was known: it rides along with the cmdline report.
    expect(run.posted[0]?.steps.map((s) => s.step)).toEqual(["early-mounts", "cmdline"]);
    expect(reportedSteps(run)).toEqual([
      "early-mounts ok",
      "cmdline ok",
      "image-root ok",
      "hybrid-boot ok",
      "overlay ok",
      "persist ok",
      "swap ok",
      "switch-root ok",
      "net-service ok",
      "read-ahead skipped",
      "hand-over ok",
    ]);
  });

  test("behind WALT's initramfs in network mode, keeps its overlay and /persist and execs /sbin/init in place", async () => {
    const sys = initramfsNode();
    const run = await runFakeInit(sys);
    expect(run.code).toBe(0);
    expect(sys.only("mount", "umount", "pivot_root", "execve")).toEqual(['execve /sbin/init ["/sbin/init"]']);
    expect(run.out).toContain("walt-init: overlay: ok, RAM overlay set up by the initramfs (tmpfs /run/walt/rw over /run/walt/lower)");
    expect(run.out).toContain("walt-init: persist: ok, mounted by the initramfs");
    expect(sys.files.get("/run/walt/boot.env")).toEndWith("serverid='192.168.152.1'\nboot_mode='network'\n");
  });

  test("starts the network service detached, with the boot mode, right before the hand-over", async () => {
    const sys = initramfsNode();
    const run = await runFakeInit(sys);
    expect(sys.calls.slice(-2)).toEqual(["spawn-detached /bin/walt agent service --boot-mode network", 'execve /sbin/init ["/sbin/init"]']);
    expect(run.out).toContain("walt-init: net-service: ok, walt agent service started (pid 4242), TCP port 12346");
  });

  test("a network service that cannot start is reported as failed and the boot goes on", async () => {
    const sys = initramfsNode().fail("spawn-detached", "Permission denied");
    const run = await runFakeInit(sys);
    expect(run.code).toBe(0);
    expect(run.out).toContain("walt-init: net-service: failed, cannot start walt agent service: spawn-detached /bin/walt agent service --boot-mode network: Permission denied");
    expect(reportedSteps(run)).toContain("net-service failed");
    expect(sys.calls.at(-1)).toBe('execve /sbin/init ["/sbin/init"]');
    sys.files.delete("/bin/walt");
    expect(await netServiceStep.run(fakeContext(sys))).toEqual({ status: "failed", detail: "no /bin/walt in the image: no soft reboots" });
  });

  test("when the initramfs could not mount /persist, the agent tries again and boots on without it", async () => {
    const sys = initramfsNode(false).fail("/persist", "mount.nfs4: Connection timed out");
    const run = await runFakeInit(sys);
    expect(run.code).toBe(0);
    expect(run.out).toContain(PERSIST_MESSAGE);
    expect(reportedSteps(run)).toContain("persist failed");
    expect(sys.calls.at(-1)).toBe('execve /sbin/init ["/sbin/init"]');
  });

  test("a failing step prints WALT's message, reports it and reboots after walt.panic_delay", async () => {
    const sys = standaloneNode(`${CMDLINE} walt.panic_delay=0`).fail("overlay /run/walt/root", "unknown filesystem type 'overlay'");
    const run = await runFakeInit(sys);
    const reason = "mount -t overlay -o lowerdir=/run/walt/lower,upperdir=/run/walt/rw/upper,workdir=/run/walt/rw/work overlay /run/walt/root: unknown filesystem type 'overlay'";
    expect(run.code).toBe(1);
    expect(run.out).toContain(failureLine("overlay", reason));
    expect(run.out).toContain(`*** walt-init: step overlay failed: ${reason} ***`);
    expect(run.posted.at(-1)?.steps.at(-1)).toMatchObject({ step: "overlay", status: "failed", detail: reason });
    expect(run.sleeps).toEqual([0]);
    expect(sys.calls.at(-1)).toBe("reboot -f");
    expect(sys.only("execve", "pivot_root")).toEqual([]);
  });

  test("a failure before the command line is read waits the default 15 s, and sysrq reboots when reboot -f fails", async () => {
    const sys = standaloneNode().fail("mount -t proc", "permission denied").onSpawn("reboot", { code: 1, stdout: "", stderr: "System has not been booted with systemd" });
    const run = await runFakeInit(sys);
    expect(run.code).toBe(1);
    expect(run.out[2]).toBe(failureLine("early-mounts", "mount -t proc proc /proc: permission denied"));
    expect(run.sleeps).toEqual([15_000]);
    expect(sys.calls.slice(-3)).toEqual(["reboot -f", "sync", "write /proc/sysrq-trigger"]);
    expect(sys.files.get("/proc/sysrq-trigger")).toBe("b");
    // The server was not known yet: nothing could be posted.
    expect(run.posted).toEqual([]);
  });

  test("a failure still reboots when the server is unreachable", async () => {
    const sys = standaloneNode(`${CMDLINE} walt.panic_delay=0`).fail("pivot_root", "Invalid argument");
    const run = await runFakeInit(sys, { serverDown: true });
    expect(run.code).toBe(1);
    expect(run.out.filter((l) => l.startsWith("walt-init: could not report to the server"))).toHaveLength(1);
    expect(run.posted.at(-1)?.steps.map((s) => s.step)).toContain("switch-root");
    expect(sys.calls.at(-1)).toBe("reboot -f");
  });

  test("an error no step caught goes through the same reboot path, once", async () => {
    let handler: ((e: unknown) => Promise<number>) | undefined;
    const sys = standaloneNode(`${CMDLINE} walt.panic_delay=0`);
    const run = await runFakeInit(sys, { onUncaught: (h) => (handler = h) });
    expect(await Promise.all([handler?.(new Error("socket hang up")), handler?.(new Error("again"))])).toEqual([1, 1]);
    expect(run.out).toContain(failureLine("hand-over", "socket hang up"));
    expect(run.out.filter((l) => l.startsWith("*** walt-init: step"))).toHaveLength(1);
    expect(sys.only("reboot")).toEqual(["reboot -f"]);
  });

  test("walt.debug=1 opens a console shell instead of waiting, then reboots", async () => {
    const sys = standaloneNode(`${CMDLINE} walt.debug=1`).fail("mount --bind", "no such device");
    const run = await runFakeInit(sys);
    expect(run.sleeps).toEqual([]);
    expect(sys.calls.slice(-2)).toEqual(["sh", "reboot -f"]);
  });

  test("an image without its init fails before switching root", async () => {
    const sys = standaloneNode(`${CMDLINE} walt.init=/sbin/nothing walt.panic_delay=0`);
    const run = await runFakeInit(sys);
    expect(run.out).toContain(failureLine("switch-root", "the image has no /sbin/nothing"));
    expect(sys.only("pivot_root", "execve")).toEqual([]);
  });

  test("an execve that fails is a failed hand-over", async () => {
    const sys = initramfsNode().fail("execve", "Exec format error");
    const run = await runFakeInit(sys);
    expect(run.out).toContain(failureLine("hand-over", `execve /sbin/init ["/sbin/init"]: Exec format error`));
    expect(sys.calls.at(-1)).toBe("reboot -f");
  });

  test("refuses to run when not PID 1, unless --not-pid1-ok is given", async () => {
    const refused = await runFakeInit(new FakeSys(), { pid: 4242 });
    expect([refused.code, refused.err, refused.out]).toEqual([1, [NOT_PID1_MESSAGE], []]);
    const sys = initramfsNode();
    const allowed = await runFakeInit(sys, { pid: 4242, args: ["--not-pid1-ok"] });
    expect(allowed.code).toBe(0);
    const unknown = await runFakeInit(new FakeSys(), { args: ["--force"] });
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toStartWith("walt agent init: unknown option '--force'.");
  });
});
