import { describe, expect, test } from "bun:test";
import { FakeSys } from "../sys/fake.ts";
import { fakeContext, SERVER } from "../testing.ts";
import { swapStep } from "./swap.ts";

/** A node with everything swap over NBD needs (module loadable, mkswap and swapon on PATH, zswap built in). */
function swapNode(): FakeSys {
  const sys = new FakeSys({ "/dev/nbd0": "", "/sys/module/zswap/parameters/enabled": "N" });
  for (const c of ["mkswap", "swapon"]) sys.commands.add(c);
  return sys;
}
const config = { ...fakeContext(new FakeSys()).state.config, server: SERVER };
const REFUSED = "NBD handshake: the server refused export \"swap-512M\" (NBD_REP_ERR_POLICY)";

describe("swap step", () => {
  test("the agent's own NBD client attaches the swap export, no nbd-client needed; then mkswap, swapon, zswap, a bigger overlay", async () => {
    const sys = swapNode();
    const r = await swapStep.run(fakeContext(sys, { config, rwDir: "/run/walt/rw" }));
    expect(sys.calls).toEqual([
      "modprobe nbd",
      `nbd-connect ${SERVER}:10809 swap-16G /dev/nbd0`,
      "mkswap /dev/nbd0",
      "swapon /dev/nbd0",
      "write /sys/module/zswap/parameters/enabled",
      "mount -o remount,size=8G /run/walt/rw",
    ]);
    expect(sys.files.get("/sys/module/zswap/parameters/enabled")).toBe("1");
    expect(r).toEqual({ status: "ok", detail: `swap-16G from ${SERVER} on /dev/nbd0, zswap enabled, RAM overlay tmpfs now size=8G` });
  });

  test("when the agent's client fails, nbd-client takes over (busybox syntax too) and the result says why; no zswap is left alone", async () => {
    const sys = swapNode().fail("nbd-connect", REFUSED).onSpawn("nbd-client -N swap-512M 192.168.152.1 /dev/nbd0 -swap", { code: 1, stdout: "", stderr: "nbd-client: invalid option -- 's'" });
    sys.commands.add("nbd-client");
    sys.files.delete("/sys/module/zswap/parameters/enabled");
    sys.dirs.delete("/sys/module/zswap/parameters");
    sys.dirs.delete("/sys/module/zswap");
    const r = await swapStep.run(fakeContext(sys, { config: { ...config, swap: "512M" } }));
    expect(sys.only("nbd", "write")).toEqual([
      `nbd-connect ${SERVER}:10809 swap-512M /dev/nbd0`,
      `nbd-client -N swap-512M ${SERVER} /dev/nbd0 -swap`,
      `nbd-client -N swap-512M ${SERVER} 10809 /dev/nbd0`,
    ]);
    expect(r.detail).toBe(`swap-512M from ${SERVER} on /dev/nbd0, nbd-client used, the agent's NBD client failed: nbd-connect ${SERVER}:10809 swap-512M /dev/nbd0: ${REFUSED}`);
  });

  test("a RAM overlay that cannot be enlarged is said, with the reason, and swap stays on", async () => {
    const sys = swapNode().fail("remount", "mount: /run/walt/rw: not mount point");
    const r = await swapStep.run(fakeContext(sys, { config, rwDir: "/run/walt/rw" }));
    expect(r.status).toBe("ok");
    expect(r.detail).toEndWith("RAM overlay tmpfs could not be enlarged (mount -o remount,size=8G /run/walt/rw: mount: /run/walt/rw: not mount point)");
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
    expect((await swapStep.run(fakeContext(sys, { config }))).detail).toBe("no swap over NBD: missing command mkswap, command swapon");
    expect(sys.calls).toEqual([]);
  });

  test("a refused export with no nbd-client to fall back on is a failure naming both; nothing is formatted", async () => {
    const sys = swapNode().fail("nbd-connect", REFUSED);
    const r = await swapStep.run(fakeContext(sys, { config }));
    expect(r).toEqual({ status: "failed", detail: `nbd-connect ${SERVER}:10809 swap-16G /dev/nbd0: ${REFUSED}; no nbd-client command to fall back on` });
    expect(sys.only("mkswap", "swapon")).toEqual([]);
  });

  test("a failing swapon detaches the device the way it was attached, and does not stop the boot", async () => {
    const agent = swapNode().onSpawn("swapon", { code: 255, stdout: "", stderr: "swapon: /dev/nbd0: Invalid argument" });
    expect(await swapStep.run(fakeContext(agent, { config }))).toEqual({ status: "failed", detail: "swapon /dev/nbd0: swapon: /dev/nbd0: Invalid argument" });
    expect(agent.calls.at(-1)).toBe("nbd-disconnect /dev/nbd0");
    const command = swapNode().fail("nbd-connect").onSpawn("mkswap", { code: 1, stdout: "", stderr: "" });
    command.commands.add("nbd-client");
    expect((await swapStep.run(fakeContext(command, { config }))).detail).toBe("mkswap /dev/nbd0: exit code 1");
    expect(command.calls.at(-1)).toBe("nbd-client -d /dev/nbd0");
  });
});
