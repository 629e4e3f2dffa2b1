import { describe, expect, test } from "bun:test";
import { FakeSys } from "../sys/fake.ts";
import { fakeContext, SERVER } from "../testing.ts";
import { swapStep } from "./swap.ts";

/** A node with everything swap over NBD needs (module loadable, commands on PATH, zswap built in). */
function swapNode(): FakeSys {
  const sys = new FakeSys({ "/dev/nbd0": "", "/sys/module/zswap/parameters/enabled": "N" });
  for (const c of ["nbd-client", "mkswap", "swapon"]) sys.commands.add(c);
  return sys;
}
const config = { ...fakeContext(new FakeSys()).state.config, server: SERVER };

describe("swap step", () => {
  test("connects the swap export, formats and enables it, turns zswap on and grows the RAM overlay", async () => {
    const sys = swapNode();
    const r = await swapStep.run(fakeContext(sys, { config, rwDir: "/run/walt/rw" }));
    expect(sys.calls).toEqual([
      "modprobe nbd",
      `nbd-client -N swap-16G ${SERVER} /dev/nbd0 -swap`,
      "mkswap /dev/nbd0",
      "swapon /dev/nbd0",
      "write /sys/module/zswap/parameters/enabled",
      "mount -o remount,size=8G /run/walt/rw",
    ]);
    expect(sys.files.get("/sys/module/zswap/parameters/enabled")).toBe("1");
    expect(r).toEqual({ status: "ok", detail: `swap-16G from ${SERVER} on /dev/nbd0, zswap enabled, RAM overlay tmpfs now size=8G` });
  });

  test("asks for the size of walt.swap=, falls back to busybox's nbd-client syntax, and leaves zswap alone when absent", async () => {
    const sys = swapNode().onSpawn("nbd-client -N swap-512M 192.168.152.1 /dev/nbd0 -swap", { code: 1, stdout: "", stderr: "nbd-client: invalid option -- 's'" });
    sys.files.delete("/sys/module/zswap/parameters/enabled");
    sys.dirs.delete("/sys/module/zswap/parameters");
    sys.dirs.delete("/sys/module/zswap");
    const r = await swapStep.run(fakeContext(sys, { config: { ...config, swap: "512M" } }));
    expect(sys.only("nbd-client", "write")).toEqual([
      `nbd-client -N swap-512M ${SERVER} /dev/nbd0 -swap`,
      `nbd-client -N swap-512M ${SERVER} 10809 /dev/nbd0`,
    ]);
    expect(r.detail).toBe(`swap-512M from ${SERVER} on /dev/nbd0`);
  });

  test("without the nbd module it is skipped with a message and nothing is run", async () => {
    const sys = swapNode();
    sys.modules.delete("nbd");
    const ctx = fakeContext(sys, { config, rwDir: "/run/walt/rw" });
    expect(await swapStep.run(ctx)).toEqual({ status: "skipped", detail: "no swap over NBD: missing kernel module nbd" });
    expect(ctx.lines).toEqual(["walt-init: no swap over NBD: missing kernel module nbd"]);
    expect(sys.calls).toEqual(["modprobe nbd"]);
  });

  test("missing commands are all named; a built-in nbd module needs no modprobe", async () => {
    const sys = new FakeSys({ "/sys/module/nbd/parameters/nbds_max": "16" });
    sys.commands.add("swapon");
    expect((await swapStep.run(fakeContext(sys, { config }))).detail).toBe("no swap over NBD: missing command nbd-client, command mkswap");
    expect(sys.calls).toEqual([]);
  });

  test("a server that refuses the export, or a failing swapon, is a failure that does not stop the boot", async () => {
    const refused = swapNode().onSpawn("nbd-client", { code: 1, stdout: "", stderr: "Error: Server rejected our NBD_OPT_GO\n" });
    expect(await swapStep.run(fakeContext(refused, { config }))).toEqual({ status: "failed", detail: "nbd-client: Error: Server rejected our NBD_OPT_GO" });
    const noSwapon = swapNode().onSpawn("swapon", { code: 255, stdout: "", stderr: "swapon: /dev/nbd0: Invalid argument" });
    expect((await swapStep.run(fakeContext(noSwapon, { config }))).detail).toBe("swapon /dev/nbd0: swapon: /dev/nbd0: Invalid argument");
    expect(noSwapon.calls.at(-1)).toBe("nbd-client -d /dev/nbd0");
  });
});
