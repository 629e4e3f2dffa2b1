/**
 * One virtual node's VM loop (WALT's walt-virtual-node, §7.1): forever { wait the boot delay; run the emulated
 * bootloader (or let qemu's iPXE ROM PXE-boot); start qemu; wait for it to exit }. qemu runs with -no-reboot, so
 * a guest reboot ends the process and the loop boots the node again, reading its boot files anew (that is how
 * `walt node boot` reaches a VM). A hard reboot kills the VM; a soft reboot (the guest's own `reboot -f`, asked
 * by the server through the node's network service) ends it; either way the loop restarts it at once.
 */
import { WaltError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Hypervisor, VmHandle } from "./hypervisor.ts";
import type { QemuBoot } from "./qemu-args.ts";

export interface VnodeSettings {
  mac: string;
  name: string;
  ramMb: number;
  cores: number;
  /** Seconds before each restart; `random` = 1 to 10 s (WALT's default). */
  bootDelay: number | "random";
}

export interface SupervisorDeps {
  hypervisor: Hypervisor;
  /** The node as the database says now (name and settings may change between boots); undefined: removed. */
  settings(mac: string): Promise<VnodeSettings | undefined>;
  /** What qemu must boot; throws (with a message for the node's timeline) when the node cannot boot now. */
  bootFor(mac: string): Promise<QemuBoot>;
  /** Observers (boot timeline, console log). */
  onStarting(mac: string, boot: QemuBoot): void;
  onBootFailed(mac: string, reason: string): void;
  onExited(mac: string, code: number): void;
  onConsole(mac: string, text: string): void;
  log: Logger;
  /** Wait before the first retry of a node that could not boot (default 10 s), doubled at each failure. */
  retryDelayMs?: number;
  /** Scale of boot delays (tests: 0). */
  delayScaleMs?: number;
}

/** Longest wait between two tries of a node that cannot boot. */
const MAX_RETRY_MS = 5 * 60_000;

/** A failure for the node's timeline and log: the message, and the hint of a WaltError (what to do). */
const failureText = (e: unknown): string =>
  e instanceof WaltError && e.hint !== undefined ? `${e.message} Hint: ${e.hint}` : e instanceof Error ? e.message : String(e);

export class VnodeSupervisor {
  private vm: VmHandle | undefined;
  private stopped = false;
  private readonly wake = new AbortController();
  private loop: Promise<void> | undefined;
  private skipDelay = false;
  /** Failed starts in a row (back-off), and the wait a reboot cuts short. */
  private failures = 0;
  private retryNow: AbortController | undefined;
  /** The boot delay being waited, which a reboot asked by the server cuts short. */
  private delayNow: AbortController | undefined;

  constructor(
    readonly mac: string,
    private readonly d: SupervisorDeps,
  ) {}

  get pid(): number | undefined {
    return this.vm?.pid;
  }

  get vmRunning(): boolean {
    return this.vm !== undefined;
  }

  /** Start the loop; `delayFirst` applies the boot delay before the first start too (server start). */
  start(delayFirst: boolean): void {
    this.loop ??= this.run(delayFirst).catch((e: unknown) => this.d.log.error("vnodes: supervisor crashed", { mac: this.mac, error: e instanceof Error ? e.stack ?? e.message : String(e) }));
  }

  /** Kill the VM (the loop boots it again, without the boot delay). False when no VM was running. */
  hardReboot(): boolean {
    const vm = this.vm;
    this.skipDelay = true;
    this.retryNow?.abort();
    if (vm === undefined) return false;
    vm.kill();
    return true;
  }

  /**
   * The server soft-rebooted the guest (WALT §3.10: `reboot -f` in the node): qemu runs with -no-reboot, so it
   * is about to exit, and the loop boots it again without the boot delay, as after a hard reboot. The exit is
   * reported as usual (onExited); the observer knows it was asked for and does not count it as a crash.
   */
  expectReboot(): void {
    this.skipDelay = true;
    this.delayNow?.abort();
  }

  /** Stop the loop and the VM; resolves when both are gone. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.abort();
    this.vm?.kill();
    await this.loop;
  }

  input(bytes: Uint8Array): boolean {
    if (this.vm?.input === undefined) return false;
    this.vm.input(bytes);
    return true;
  }

  private async sleep(ms: number, signal: AbortSignal = this.wake.signal): Promise<void> {
    if (ms <= 0 || this.stopped || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }

  /**
   * After a failed start: the node stays failed (its timeline says why) and is tried again after a wait that
   * doubles each time (an image without a kernel must not spin), at once when a reboot or an image change
   * (which reboots) asks for it.
   */
  private async backOff(reason: string): Promise<void> {
    this.d.onBootFailed(this.mac, reason);
    const ms = Math.min((this.d.retryDelayMs ?? 10_000) * 2 ** this.failures, MAX_RETRY_MS);
    this.failures++;
    this.retryNow = new AbortController();
    await this.sleep(ms, AbortSignal.any([this.wake.signal, this.retryNow.signal]));
    this.retryNow = undefined;
  }

  private delayMs(s: VnodeSettings): number {
    const seconds = s.bootDelay === "random" ? 1 + Math.floor(Math.random() * 10) : s.bootDelay;
    return seconds * (this.d.delayScaleMs ?? 1000);
  }

  private async run(delayFirst: boolean): Promise<void> {
    let first = true;
    while (!this.stopped) {
      const s = await this.d.settings(this.mac);
      if (s === undefined) break;
      if ((!first || delayFirst) && !this.skipDelay) {
        this.delayNow = new AbortController();
        await this.sleep(this.delayMs(s), AbortSignal.any([this.wake.signal, this.delayNow.signal]));
        this.delayNow = undefined;
      }
      first = false;
      this.skipDelay = false;
      if (this.stopped) break;
      let boot: QemuBoot;
      try {
        boot = await this.d.bootFor(this.mac);
      } catch (e) {
        await this.backOff(failureText(e));
        continue;
      }
      let vm: VmHandle;
      try {
        const tap = await this.d.hypervisor.attach(this.mac);
        this.d.onStarting(this.mac, boot);
        vm = await this.d.hypervisor.start({ name: s.name, mac: this.mac, ramMb: s.ramMb, cores: s.cores, boot, tap }, (text) => this.d.onConsole(this.mac, text));
      } catch (e) {
        await this.backOff(`cannot start the VM: ${failureText(e)}`);
        continue;
      }
      this.failures = 0;
      this.vm = vm;
      if (this.stopped) vm.kill();
      const code = await vm.exited;
      this.vm = undefined;
      this.d.onExited(this.mac, code);
    }
  }
}
