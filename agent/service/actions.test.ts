import { describe, expect, test } from "bun:test";
import type { BootMode } from "../context.ts";
import { FakeSys } from "../sys/fake.ts";
import { serviceActions } from "./actions.ts";
import { parseServiceArgs } from "./main.ts";

function actionsOn(sys: FakeSys, bootMode: BootMode = "network") {
  const sleeps: number[] = [];
  const log: string[] = [];
  const a = serviceActions({ sys, bootMode, log: (l) => void log.push(l), sleep: (ms) => Promise.resolve(void sleeps.push(ms)) });
  return { a, sleeps, log };
}

const physical = (files: Record<string, string> = {}): FakeSys => new FakeSys({ "/sys/class/dmi/id/sys_vendor": "Raspberry Pi Foundation\n", ...files });

describe("walt agent service: what REBOOT, BLINK and DMESG do on the node", () => {
  test("network mode: sync, then reboot -f at once (WALT's busybox reboot -f)", async () => {
    const sys = physical();
    const { a, sleeps } = actionsOn(sys);
    expect(await a.rebootRefusal()).toBeUndefined();
    await a.reboot();
    expect(sys.calls).toEqual(["sync", "reboot -f"]);
    expect(sleeps).toEqual([]);
  });

  test("when reboot -f fails, busybox reboot -f, then sysrq b as the last resort", async () => {
    const sys = physical().onSpawn("reboot -f", { code: 1, stdout: "", stderr: "System has not been booted with systemd" }).onSpawn("busybox", { code: 127, stdout: "", stderr: "" });
    const { a, log } = actionsOn(sys);
    await a.reboot();
    expect(sys.calls).toEqual(["sync", "reboot -f", "busybox reboot -f", "write /proc/sysrq-trigger"]);
    expect(sys.files.get("/proc/sysrq-trigger")).toBe("b");
    expect(log[0]).toBe("walt agent service: reboot -f failed (System has not been booted with systemd)");
  });

  test("a physical node's own reboot script runs instead, then the reboot is forced 30 s later", async () => {
    const sys = physical({ "/bin/walt-reboot": "#!/bin/sh\n" });
    const { a, sleeps } = actionsOn(sys);
    await a.reboot();
    expect(sys.calls).toEqual(["/bin/walt-reboot", "sync", "reboot -f"]);
    expect(sleeps).toEqual([30_000]);
  });

  test("a reboot script that is not executable is WALT's KO; virtual nodes ignore reboot scripts", async () => {
    const sys = physical({ "/bin/walt-network-reboot": "", "/bin/walt-reboot": "" }).onSpawn("test -x", { code: 1, stdout: "", stderr: "" });
    expect(await actionsOn(sys).a.rebootRefusal()).toBe("/bin/walt-network-reboot is not executable on image");
    sys.put("/sys/class/dmi/id/sys_vendor", "QEMU\n");
    expect(await actionsOn(sys).a.rebootRefusal()).toBeUndefined();
  });

  test("hybrid modes ask for a clean reboot first, with /bin/walt-hybrid-reboot when the image has one", async () => {
    const sys = physical();
    const { a, sleeps } = actionsOn(sys, "hybrid-persistent");
    await a.reboot();
    expect(sys.calls).toEqual(["reboot", "sync", "reboot -f"]);
    expect(sleeps).toEqual([30_000]);
    sys.put("/bin/walt-hybrid-reboot");
    sys.calls.length = 0;
    await actionsOn(sys, "hybrid-volatile").a.reboot();
    expect(sys.calls[0]).toBe("/bin/walt-hybrid-reboot");
  });

  test("BLINK runs /bin/blink with WALT's replies; DMESG is the kernel log", async () => {
    const sys = physical().onSpawn("dmesg", { code: 0, stdout: "[ 0.0] Linux\n", stderr: "" });
    expect(await actionsOn(sys).a.blink("1")).toBe("OK");
    expect(sys.calls).toEqual(["test -x /bin/blink", "/bin/blink 1"]);
    sys.onSpawn("/bin/blink", { code: 2, stdout: "", stderr: "" });
    expect(await actionsOn(sys).a.blink("0")).toBe("KO /bin/blink returned a non-zero error code");
    sys.onSpawn("test -x", { code: 1, stdout: "", stderr: "" });
    expect(await actionsOn(sys).a.blink("1")).toBe("KO /bin/blink unavailable or not executable on image");
    expect(await actionsOn(sys).a.dmesg()).toBe("[ 0.0] Linux\n");
  });
});

describe("walt agent service options", () => {
  test("port and boot mode, with defaults; anything else is a usage error", () => {
    expect(parseServiceArgs([])).toEqual({ port: 12346, bootMode: "network" });
    expect(parseServiceArgs(["--port", "0", "--boot-mode", "hybrid-volatile"])).toEqual({ port: 0, bootMode: "hybrid-volatile" });
    expect(parseServiceArgs(["--boot-mode", "nfs"])).toStartWith("walt agent service: invalid option '--boot-mode nfs'.\nHint: walt agent service [--port N]");
    expect(parseServiceArgs(["--port", "70000"])).toStartWith("walt agent service: invalid option '--port 70000'.");
    expect(parseServiceArgs(["--verbose"])).toStartWith("walt agent service: invalid option '--verbose'.");
  });
});
