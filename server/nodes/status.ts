/**
 * Boot state of nodes. WALT keeps "booted" in memory only (Appendix A.7); we also persist it so that
 * `walt node show` after a server restart still tells which nodes were up, and mark it stale
 * (`unknown`) until the node reports again.
 *
 * State changes are logged to stream platform.nodes: `node <name> is booted` / `node <name> is down (<details>)`.
 */
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "../devices/repo.ts";
import { platformLog } from "../logs/platform.ts";

export type BootState = "unknown" | "booting" | "booted" | "down";

type Waiter = { macs: Set<string>; resolve(): void };

export class NodeStatus {
  private readonly booted = new Set<string>();
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly ctx: () => ServerContext) {}

  isBooted(mac: string): boolean {
    return this.booted.has(mac);
  }

  /** Mark a node booted (its agent reported so). Logs only on change. */
  async setBooted(mac: string): Promise<void> {
    if (this.booted.has(mac)) return;
    this.booted.add(mac);
    const ctx = this.ctx();
    const repo = new DeviceRepo(ctx.db);
    await repo.setBootState(mac, "booted", ctx.clock.nowUs());
    const d = await repo.byMac(mac);
    if (d) await platformLog(ctx, "nodes", `node ${d.name} is booted`);
    for (const w of [...this.waiters]) {
      w.macs.delete(mac);
      if (w.macs.size === 0) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Mark a node down with WALT's details (`cause: <c>, method: <m>[, note: ...]`). */
  async setDown(mac: string, details: string): Promise<void> {
    const was = this.booted.delete(mac);
    const ctx = this.ctx();
    const repo = new DeviceRepo(ctx.db);
    await repo.setBootState(mac, "down", ctx.clock.nowUs());
    if (!was) return;
    const d = await repo.byMac(mac);
    if (d) await platformLog(ctx, "nodes", `node ${d.name} is down (${details})`);
  }

  /** Resolve when every node of `macs` is booted; reject with the signal's reason when aborted. */
  waitBooted(macs: readonly string[], signal: AbortSignal): Promise<void> {
    const pending = new Set(macs.filter((m) => !this.booted.has(m)));
    if (pending.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w: Waiter = { macs: pending, resolve };
      this.waiters.add(w);
      signal.addEventListener(
        "abort",
        () => {
          this.waiters.delete(w);
          reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
        },
        { once: true },
      );
    });
  }

  /** Nodes not yet booted among `macs`. */
  pending(macs: readonly string[]): string[] {
    return macs.filter((m) => !this.booted.has(m));
  }

  /** Forget a node entirely (device forgotten/removed). */
  forget(mac: string): void {
    this.booted.delete(mac);
  }
}
