/** The supervisors of every virtual node of the server (started at server start, stopped at its stop). */
import type { SupervisorDeps } from "./supervisor.ts";
import { VnodeSupervisor } from "./supervisor.ts";

export class VnodeManager {
  private readonly sups = new Map<string, VnodeSupervisor>();

  constructor(private readonly deps: SupervisorDeps) {}

  /** Start the node's loop if it is not running. */
  ensure(mac: string, delayFirst = false): void {
    if (this.sups.has(mac)) return;
    const s = new VnodeSupervisor(mac, this.deps);
    this.sups.set(mac, s);
    s.start(delayFirst);
  }

  has(mac: string): boolean {
    return this.sups.has(mac);
  }

  pid(mac: string): number | undefined {
    return this.sups.get(mac)?.pid;
  }

  /** Kill the node's VM so that its loop boots it again; false when no VM was running (none, or restarting). */
  hardReboot(mac: string): boolean {
    return this.sups.get(mac)?.hardReboot() ?? false;
  }

  /** The node was soft-rebooted: its VM is about to exit, boot it again without the boot delay. */
  expectReboot(mac: string): void {
    this.sups.get(mac)?.expectReboot();
  }

  input(mac: string, bytes: Uint8Array): boolean {
    return this.sups.get(mac)?.input(bytes) ?? false;
  }

  /** Stop the node's VM and loop and remove its tap. */
  async remove(mac: string): Promise<void> {
    const s = this.sups.get(mac);
    this.sups.delete(mac);
    await s?.stop();
    await this.deps.hypervisor.detach(mac).catch((e: unknown) => this.deps.log.warn("vnodes: cannot remove tap", { mac, error: String(e) }));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.sups.keys()].map((mac) => this.remove(mac)));
  }
}
