/**
 * What the virtual node supervisor needs from a hypervisor: a tap on walt-net per node, and VMs it can start
 * and kill. The real one runs qemu (qemu.ts); CLI tests use a fake that records starts and kills.
 */
import type { QemuBoot } from "./qemu-args.ts";

export interface VmSpec {
  name: string;
  mac: string;
  ramMb: number;
  cores: number;
  boot: QemuBoot;
  /** The host tap the VM's NIC is attached to (from `attach`). */
  tap: string;
}

export interface VmHandle {
  readonly pid: number | undefined;
  /** Exit code of the VM process (qemu exits on a guest reboot: -no-reboot). */
  readonly exited: Promise<number>;
  /** Power the VM off now (a hard reboot, since the supervisor starts it again). */
  kill(): void;
  /** Bytes to the VM's serial console. */
  input?(bytes: Uint8Array): void;
}

export interface Hypervisor {
  /** Create the node's tap on walt-net if missing; answers its name. */
  attach(mac: string): Promise<string>;
  /** Remove the node's tap. */
  detach(mac: string): Promise<void>;
  /** Start a VM; `console` receives its serial output as it comes. */
  start(spec: VmSpec, console: (text: string) => void): Promise<VmHandle>;
}

/** Tap name of a node: `wt` + its MAC without colons (14 characters, below IFNAMSIZ). */
export const tapName = (mac: string): string => `wt${mac.replace(/:/g, "").toLowerCase()}`;
