/**
 * What walt-init does when the boot cannot go on (model-codebases §4.10): PID 1 must not die of an exception (the
 * kernel would panic), so the failure is printed on the console, reported, and the node reboots after a delay
 * (walt.panic_delay=, 15 s by default like the kernel's panic=15), or, with walt.debug=1, after a console shell.
 * `reboot -f` first; if that fails (no busybox reboot, or a systemctl one with no systemd running), sysrq `b`.
 */
import type { BootStepStatus } from "../src/api/agent.ts";
import type { Sys } from "./sys/sys.ts";

export interface PanicDeps {
  sys: Sys;
  out(line: string): void;
  sleep(ms: number): Promise<void>;
  report(step: string, status: BootStepStatus, detail: string): Promise<void>;
  delayS: number;
  debug: boolean;
}

export const failureLine = (step: string, reason: string): string => `*** walt-init: step ${step} failed: ${reason} ***`;

const REBOOT_TIMEOUT_MS = 10_000;

/** Print, report, wait, reboot. Never throws; resolves to the exit code to use if the machine is still up. */
export async function panicReboot(d: PanicDeps, step: string, reason: string): Promise<number> {
  const { sys, out } = d;
  try {
    out(failureLine(step, reason));
    await d.report(step, "failed", reason);
    if (d.debug) {
      out("walt-init: walt.debug=1: starting a shell (exit it to reboot)");
      await sys.shell().catch(() => undefined);
    } else {
      out(`walt-init: rebooting in ${d.delayS} s (walt.panic_delay= on the kernel command line sets this delay)`);
      await d.sleep(d.delayS * 1000);
    }
    const r = await sys.spawn(["reboot", "-f"], { timeoutMs: REBOOT_TIMEOUT_MS });
    if (r.code === 0) return 1;
    out(`walt-init: reboot -f failed (${r.stderr.trim() || `exit code ${r.code}`}); rebooting through /proc/sysrq-trigger`);
    await sys.spawn(["sync"], { timeoutMs: REBOOT_TIMEOUT_MS });
    await sys.writeFile("/proc/sysrq-trigger", "b");
  } catch (e) {
    out(`walt-init: could not reboot: ${e instanceof Error ? e.message : String(e)}`);
  }
  return 1;
}
