import { describe, expect, test } from "bun:test";
import { silentLogger } from "../../src/log.ts";
import { waitFor } from "../../test/helpers/wait-for.ts";
import { FakeHypervisor } from "./fake-hypervisor.ts";
import type { QemuBoot } from "./qemu-args.ts";
import { VnodeSupervisor, type SupervisorDeps, type VnodeSettings } from "./supervisor.ts";

const MAC = "52:54:00:00:00:01";

function deps(over: Partial<SupervisorDeps> = {}): SupervisorDeps & { log_: string[] } {
  const log_: string[] = [];
  const settings: VnodeSettings = { mac: MAC, name: "vn1", ramMb: 512, cores: 1, bootDelay: 0 };
  return {
    log_,
    hypervisor: new FakeHypervisor(),
    settings: () => Promise.resolve(settings),
    bootFor: () => Promise.resolve<QemuBoot>({ kind: "direct", kernel: "/k", initrd: undefined, cmdline: "c" }),
    onStarting: () => void log_.push("starting"),
    onBootFailed: (_m, r) => void log_.push(`failed: ${r}`),
    onExited: (_m, code) => void log_.push(`exited ${code}`),
    onConsole: (_m, text) => void log_.push(`console ${text}`),
    log: silentLogger,
    retryDelayMs: 5,
    delayScaleMs: 0,
    ...over,
  };
}

describe("virtual node supervisor", () => {
  test("starts the VM, boots it again when it exits (guest reboot) or is killed (hard reboot), stops cleanly", async () => {
    const d = deps();
    const hv = d.hypervisor as FakeHypervisor;
    const s = new VnodeSupervisor(MAC, d);
    s.start(false);
    await waitFor(() => hv.running("vn1").length === 1, "first start");
    expect(hv.vms[0]?.spec).toMatchObject({ name: "vn1", mac: MAC, tap: "wt525400000001", boot: { kind: "direct", kernel: "/k" } });
    hv.vms[0]?.console("hello\n");
    hv.vms[0]?.exit(0);
    await waitFor(() => hv.starts("vn1") === 2 && hv.running("vn1").length === 1, "restart after exit");
    expect(s.hardReboot()).toBe(true);
    await waitFor(() => hv.starts("vn1") === 3 && hv.running("vn1").length === 1, "restart after kill");
    await s.stop();
    expect(hv.running("vn1")).toEqual([]);
    expect(hv.starts("vn1")).toBe(3);
    expect(d.log_).toEqual(["starting", "console hello\n", "exited 0", "starting", "exited 137", "starting", "exited 137"]);
  });

  test("a node that cannot boot is reported and retried; a removed node ends its loop", async () => {
    let attempts = 0;
    let present = true;
    const d = deps({
      bootFor: () => {
        attempts++;
        return attempts < 3 ? Promise.reject(new Error("[fake-ipxe] No file start.ipxe")) : Promise.resolve<QemuBoot>({ kind: "pxe" });
      },
      settings: () => Promise.resolve(present ? { mac: MAC, name: "vn1", ramMb: 512, cores: 1, bootDelay: 0 } : undefined),
    });
    const hv = d.hypervisor as FakeHypervisor;
    const s = new VnodeSupervisor(MAC, d);
    s.start(false);
    await waitFor(() => hv.running("vn1").length === 1, "start after two failures");
    expect(d.log_.filter((l) => l.startsWith("failed"))).toEqual(["failed: [fake-ipxe] No file start.ipxe", "failed: [fake-ipxe] No file start.ipxe"]);
    present = false;
    hv.vms[0]?.exit(0);
    await s.stop();
    expect(hv.starts("vn1")).toBe(1);
  });

  test("the boot delay applies before restarts, and before the first start only when asked", async () => {
    const d = deps({ settings: () => Promise.resolve({ mac: MAC, name: "vn1", ramMb: 512, cores: 1, bootDelay: 1 }), delayScaleMs: 60_000 });
    const hv = d.hypervisor as FakeHypervisor;
    const delayed = new VnodeSupervisor(MAC, d);
    delayed.start(true);
    const quick = new VnodeSupervisor("52:54:00:00:00:02", { ...d, settings: () => Promise.resolve({ mac: "52:54:00:00:00:02", name: "vn2", ramMb: 512, cores: 1, bootDelay: 1 }) });
    quick.start(false);
    await waitFor(() => hv.running("vn2").length === 1, "the undelayed start");
    expect(hv.starts("vn1")).toBe(0);
    await Promise.all([delayed.stop(), quick.stop()]);
    expect(hv.starts("vn1")).toBe(0);
  });

  test("a soft reboot (the guest exits after the server's REBOOT) restarts at once; a guest's own exit waits the delay", async () => {
    const d = deps({ settings: () => Promise.resolve({ mac: MAC, name: "vn1", ramMb: 512, cores: 1, bootDelay: 1 }), delayScaleMs: 60_000 });
    const hv = d.hypervisor as FakeHypervisor;
    const s = new VnodeSupervisor(MAC, d);
    s.start(false);
    await waitFor(() => hv.running("vn1").length === 1, "first start");
    s.expectReboot();
    hv.vms[0]?.exit(0);
    await waitFor(() => hv.starts("vn1") === 2 && hv.running("vn1").length === 1, "the restart after the soft reboot");
    hv.vms[1]?.exit(0);
    await waitFor(() => d.log_.filter((l) => l === "exited 0").length === 2, "the second exit");
    // Reported as an exit like any other (the observer decides what it means); no kill.
    expect(hv.starts("vn1")).toBe(2);
    expect(d.log_).toEqual(["starting", "exited 0", "starting", "exited 0"]);
    // Asked while the loop already waits its delay: the wait is cut short.
    s.expectReboot();
    await waitFor(() => hv.starts("vn1") === 3, "the restart cut short");
    await s.stop();
  });
});
