/**
 * A hypervisor for tests: nothing is started, every call is recorded. A VM "runs" until killed, or until the
 * test ends it with `exit()` (as a guest reboot would).
 */
import type { Hypervisor, VmHandle, VmSpec } from "./hypervisor.ts";
import { tapName } from "./hypervisor.ts";

export interface FakeVm {
  spec: VmSpec;
  killed: boolean;
  /** Killed or exited. */
  ended: boolean;
  exit(code?: number): void;
  console(text: string): void;
}

export class FakeHypervisor implements Hypervisor {
  readonly taps = new Set<string>();
  readonly vms: FakeVm[] = [];
  readonly events: string[] = [];
  private nextPid = 1000;

  async attach(mac: string): Promise<string> {
    const tap = tapName(mac);
    if (!this.taps.has(tap)) this.events.push(`attach ${mac}`);
    this.taps.add(tap);
    return Promise.resolve(tap);
  }

  async detach(mac: string): Promise<void> {
    this.taps.delete(tapName(mac));
    this.events.push(`detach ${mac}`);
    return Promise.resolve();
  }

  async start(spec: VmSpec, console: (text: string) => void): Promise<VmHandle> {
    let resolve!: (code: number) => void;
    const exited = new Promise<number>((r) => (resolve = r));
    const vm: FakeVm = {
      spec,
      killed: false,
      ended: false,
      exit: (code = 0) => {
        vm.ended = true;
        resolve(code);
      },
      console,
    };
    this.vms.push(vm);
    this.events.push(`start ${spec.name}`);
    const pid = this.nextPid++;
    return Promise.resolve({
      pid,
      exited,
      kill: () => {
        if (vm.killed) return;
        vm.killed = true;
        vm.ended = true;
        this.events.push(`kill ${spec.name}`);
        resolve(137);
      },
    });
  }

  /** VMs of a node that are still running. */
  running(name: string): FakeVm[] {
    return this.vms.filter((v) => v.spec.name === name && !v.ended);
  }

  starts(name: string): number {
    return this.vms.filter((v) => v.spec.name === name).length;
  }
}
