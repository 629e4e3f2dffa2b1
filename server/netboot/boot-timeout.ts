/**
 * Boot timeouts (WALT §3.10): a node not booted `boot.timeout` seconds (default 180, `none` disables) after its
 * boot started is hard-rebooted (cause `bootup timeout`), at most `boot.retries` times (default 9) in a row;
 * booting, or a reboot asked by a user, gives the node its retries back. WALT's log line, on platform.nodes:
 * `<name>: boot timeout reached, trying hard-reboot (N retries left).` / `(last try).`
 */
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "../devices/repo.ts";
import { platformLog } from "../logs/platform.ts";
import { BOOT_TIMEOUT_CAUSE, rebootNodes } from "./reboot.ts";
import type { BootTimelines } from "./timeline.ts";

export const DEFAULT_BOOT_TIMEOUT_S = 180;
export const DEFAULT_BOOT_RETRIES = 9;

export class BootTimeouts {
  private readonly remaining = new Map<string, number>();
  private running = false;

  constructor(
    private readonly ctx: () => ServerContext,
    private readonly timelines: BootTimelines,
  ) {}

  /** The node booted, or a user rebooted it: its retries start again. */
  reset(mac: string): void {
    this.remaining.delete(mac);
  }

  /** Check every node once (called periodically). */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const ctx = this.ctx();
      const now = ctx.clock.nowUs();
      for (const d of await new DeviceRepo(ctx.db).all()) {
        if (d.type !== "node" || ctx.status.isBooted(d.mac)) continue;
        const boot = this.timelines.get(d.mac).at(-1);
        if (boot === undefined || boot.bootedUs !== null) continue;
        const timeout = d.conf["boot.timeout"] === null ? null : Number(d.conf["boot.timeout"] ?? DEFAULT_BOOT_TIMEOUT_S);
        if (timeout === null || now - boot.startUs < timeout * 1e6) continue;
        const left = this.remaining.get(d.mac) ?? Number(d.conf["boot.retries"] ?? DEFAULT_BOOT_RETRIES);
        if (left <= 0) continue;
        this.remaining.set(d.mac, left - 1);
        const what = left - 1 === 0 ? "last try" : `${left - 1} retries left`;
        await platformLog(ctx, "nodes", `${d.name}: boot timeout reached, trying hard-reboot (${what}).`);
        const r = await rebootNodes(ctx, [d], BOOT_TIMEOUT_CAUSE, true);
        for (const e of r.errors) await platformLog(ctx, "nodes", e);
      }
    } finally {
      this.running = false;
    }
  }
}
