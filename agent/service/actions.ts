/**
 * What the node's network service does for real, over the agent's `Sys` (unit-tested with FakeSys). REBOOT
 * follows WALT (§3.8 walt-net-service): an image's own reboot script takes over on physical nodes
 * (`/bin/walt-network-reboot`, else legacy `/bin/walt-reboot`, in network mode; `/bin/walt-hybrid-reboot` in
 * hybrid modes), never on virtual ones; otherwise network mode reboots at once (`sync` then `reboot -f`: the
 * image root is read-only and the overlay lives in RAM, so there is nothing to save), hybrid modes ask for a
 * clean reboot and force one after 30 s. A vnode's qemu runs with -no-reboot: the reboot ends it and the
 * server's supervisor boots it again.
 */
import { REPLY } from "../../src/proto/netservice/protocol.ts";
import type { BootMode } from "../context.ts";
import type { Sys } from "../sys/sys.ts";
import type { ServiceActions } from "./server.ts";

export interface ActionDeps {
  sys: Sys;
  bootMode: BootMode;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
}

const BLINK = "/bin/blink";
/** WALT: `sys_vendor` of a qemu machine; custom reboot scripts are ignored on virtual nodes. */
const DMI_VENDOR = "/sys/class/dmi/id/sys_vendor";
/** WALT runs a custom reboot script with a 60 s timeout, then gives the shutdown 30 s before forcing. */
const SCRIPT_TIMEOUT_MS = 60_000;
const SHUTDOWN_WAIT_MS = 30_000;
/** WALT's hybrid-mode `reboot` gets 2 s to start the shutdown. */
const CLEAN_REBOOT_TIMEOUT_MS = 2_000;
const COMMAND_TIMEOUT_MS = 10_000;

/** The image's reboot script for this boot mode, when it has one (WALT's `get_custom_walt_reboot_script`). */
export async function customRebootScript(sys: Sys, mode: BootMode): Promise<string | undefined> {
  const vendor = await sys.readFile(DMI_VENDOR).catch(() => "");
  if (vendor.trim() === "QEMU") return undefined;
  const candidates = mode === "network" ? ["/bin/walt-network-reboot", "/bin/walt-reboot"] : ["/bin/walt-hybrid-reboot"];
  for (const c of candidates) if (await sys.exists(c)) return c;
  return undefined;
}

/** Whether a file can be run: `test -x` through the image's shell (Sys has no access(2)). */
const executable = async (sys: Sys, path: string): Promise<boolean> => (await sys.spawn(["test", "-x", path], { timeoutMs: COMMAND_TIMEOUT_MS })).code === 0;

/** `reboot -f`, then `busybox reboot -f`, then sysrq `b` (the kernel reboots without asking anyone). */
export async function forceReboot(d: ActionDeps): Promise<void> {
  const { sys } = d;
  await sys.spawn(["sync"], { timeoutMs: COMMAND_TIMEOUT_MS });
  for (const cmd of [["reboot", "-f"], ["busybox", "reboot", "-f"]]) {
    const r = await sys.spawn(cmd, { timeoutMs: COMMAND_TIMEOUT_MS });
    if (r.code === 0) return;
    d.log(`walt agent service: ${cmd.join(" ")} failed (${r.stderr.trim() || `exit code ${r.code}`})`);
  }
  d.log("walt agent service: rebooting through /proc/sysrq-trigger");
  await sys.writeFile("/proc/sysrq-trigger", "b");
}

export function serviceActions(d: ActionDeps): ServiceActions {
  const { sys } = d;
  return {
    dmesg: async () => (await sys.spawn(["dmesg"], { timeoutMs: COMMAND_TIMEOUT_MS })).stdout,
    blink: async (arg) => {
      if (!(await executable(sys, BLINK))) return REPLY.blinkMissing;
      const r = await sys.spawn([BLINK, ...arg.split(" ").filter((w) => w !== "")], { timeoutMs: COMMAND_TIMEOUT_MS });
      return r.code === 0 ? REPLY.ok : REPLY.blinkFailed;
    },
    rebootRefusal: async () => {
      const script = await customRebootScript(sys, d.bootMode);
      if (script !== undefined && !(await executable(sys, script))) return `${script} is not executable on image`;
      return undefined;
    },
    reboot: async () => {
      const script = await customRebootScript(sys, d.bootMode);
      if (script !== undefined) {
        await sys.spawn([script], { timeoutMs: SCRIPT_TIMEOUT_MS });
        await d.sleep(SHUTDOWN_WAIT_MS);
      } else if (d.bootMode !== "network") {
        await sys.spawn(["reboot"], { timeoutMs: CLEAN_REBOOT_TIMEOUT_MS });
        await d.sleep(SHUTDOWN_WAIT_MS);
      }
      // Still up: force it.
      await forceReboot(d);
    },
  };
}
