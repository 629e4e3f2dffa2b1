/**
 * Node reboots (WALT §3.10): virtual nodes are hard-rebooted by killing their VM (their supervisor boots them
 * again); soft reboots go through the node's network service, which this agent does not offer yet, and PoE
 * reboots need the switch topology: physical nodes report both failures, with WALT's messages.
 */
import { formatSentenceAboutNodes } from "../../src/text/sentence.ts";
import type { ServerContext } from "../context.ts";
import type { DeviceWithNode } from "../devices/repo.ts";

export interface RebootOutcome {
  /** Lines for stdout (`Node X: rebooted ok.`). */
  messages: string[];
  /** Lines for stderr, one per failure kind. */
  errors: string[];
}

export const BOOT_TIMEOUT_CAUSE = "bootup timeout";
const SOFT_UNAVAILABLE = "soft reboots need the node agent's network service, not available yet";
const POE_UNKNOWN = "unknown LLDP network position";
const NO_NETBOOT = "network boot is disabled on this server";

export async function rebootNodes(ctx: ServerContext, nodes: readonly DeviceWithNode[], cause: string, hard: boolean): Promise<RebootOutcome> {
  const ok: string[] = [];
  const failed = new Map<string, string[]>();
  const fail = (reason: string, name: string): void => void failed.set(reason, [...(failed.get(reason) ?? []), name]);
  const nb = ctx.netboot;
  for (const n of nodes) {
    if (n.virtual) {
      if (nb === undefined) {
        fail(`failed vnode hard-reboot (${NO_NETBOOT})`, n.name);
        continue;
      }
      // Any reboot but a boot timeout's own gives the node its boot retries back (WALT §3.10).
      if (cause !== BOOT_TIMEOUT_CAUSE) nb.bootTimeouts.reset(n.mac);
      // Between two runs of its VM (it is restarting) there is nothing to kill: that boot is this one.
      const killed = nb.vnodes.has(n.mac) ? nb.vnodes.hardReboot(n.mac) : (nb.vnodes.ensure(n.mac), false);
      nb.observer.serverStartedBoot(n.mac, cause, killed);
      await ctx.status.setDown(n.mac, `cause: ${cause}, method: vnode hard-reboot`);
      ok.push(n.name);
    } else {
      fail(hard ? `failed poe-reboot (${POE_UNKNOWN})` : `failed soft-reboot (${SOFT_UNAVAILABLE}) and poe-reboot (${POE_UNKNOWN})`, n.name);
    }
  }
  return {
    messages: ok.length ? [formatSentenceAboutNodes("%s: rebooted ok.", ok)] : [],
    errors: [...failed].map(([reason, names]) => formatSentenceAboutNodes(`%s: ${reason}`, names)),
  };
}
