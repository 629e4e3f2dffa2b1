/** A virtual node that cannot boot does not spin: its supervisor backs off, and a reboot retries at once. */
import { describe, expect, test } from "bun:test";
import { WaltError } from "../../src/errors.ts";
import { silentLogger } from "../../src/log.ts";
import { waitFor } from "../../test/helpers/wait-for.ts";
import { FakeHypervisor } from "./fake-hypervisor.ts";
import type { QemuBoot } from "./qemu-args.ts";
import { VnodeSupervisor, type SupervisorDeps } from "./supervisor.ts";

const MAC = "52:54:00:00:00:01";
const MISSING = new WaltError("NOT_FOUND", "no file boot/pc-x86-64/start.ipxe in the image.", { hint: "boot another image." });

function deps(bootFor: () => Promise<QemuBoot>, retryDelayMs: number, failures: { reason: string; atMs: number }[]): SupervisorDeps {
  return {
    hypervisor: new FakeHypervisor(),
    settings: () => Promise.resolve({ mac: MAC, name: "vn1", ramMb: 512, cores: 1, bootDelay: 0 }),
    bootFor,
    onStarting: () => undefined,
    onBootFailed: (_m, reason) => void failures.push({ reason, atMs: performance.now() }),
    onExited: () => undefined,
    onConsole: () => undefined,
    log: silentLogger,
    retryDelayMs,
    delayScaleMs: 0,
  };
}

describe("virtual node supervisor back-off", () => {
  test("the wait doubles after each failure (8 tries take at least 1+2+…+64 ms, not a hot loop); the hint is kept", async () => {
    const failures: { reason: string; atMs: number }[] = [];
    const s = new VnodeSupervisor(MAC, deps(() => Promise.reject(MISSING), 1, failures));
    const t0 = performance.now();
    s.start(false);
    await waitFor(() => failures.length >= 8 || undefined, "8 failed tries");
    // Timers never fire early: a lower bound on the elapsed time, whatever the machine's load.
    expect((failures[7]?.atMs ?? 0) - t0).toBeGreaterThanOrEqual(100);
    await s.stop();
    expect(failures[0]?.reason).toBe("no file boot/pc-x86-64/start.ipxe in the image. Hint: boot another image.");
  });

  test("a failed node waits (here a minute) until a reboot asks again, then boots at once", async () => {
    const failures: { reason: string; atMs: number }[] = [];
    let fixed = false;
    const d = deps(() => (fixed ? Promise.resolve<QemuBoot>({ kind: "pxe" }) : Promise.reject(MISSING)), 60_000, failures);
    const hv = d.hypervisor as FakeHypervisor;
    const s = new VnodeSupervisor(MAC, d);
    s.start(false);
    await waitFor(() => failures.length === 1 || undefined, "the first failure");
    fixed = true;
    expect(s.hardReboot()).toBe(false); // no VM to kill, but the waiting loop is woken
    await waitFor(() => hv.running("vn1").length === 1, "the start after the reboot");
    expect(failures).toHaveLength(1);
    await s.stop();
  });
});
