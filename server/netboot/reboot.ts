/**
 * Node reboots, in WALT's order (§3.10, `nodes/reboot.py`): (1) unless `--hard`, a soft reboot of every node
 * through its network service (`MODE single\nREBOOT\n` to `<ip>:12346`, `walt agent service` on our nodes; all
 * nodes at once, each recorded as soon as it answers `OK`, since a vnode's qemu exits right after); (2) the
 * virtual nodes left are hard-rebooted by killing their VM (their supervisor boots them again); (3) the physical
 * nodes left would be PoE-rebooted, which needs the switch topology we do not have: they fail with WALT's
 * messages (`failed soft-reboot (<e>) and poe-reboot (<e>)`). Status lines carry `method: soft-reboot` or
 * `method: vnode hard-reboot`, and so does the node's new boot record.
 */
import { REPLY } from "../../src/proto/netservice/protocol.ts";
import { formatSentenceAboutNodes } from "../../src/text/sentence.ts";
import type { ServerContext } from "../context.ts";
import type { DeviceWithNode } from "../devices/repo.ts";
import { DEFAULT_NODE_SERVICE, nodeRequest } from "./node-request.ts";

export interface RebootOutcome {
  /** Lines for stdout (`Node X: rebooted ok.`). */
  messages: string[];
  /** Lines for stderr, one per failure kind. */
  errors: string[];
}

export const BOOT_TIMEOUT_CAUSE = "bootup timeout";
export const SOFT_REBOOT = "soft-reboot";
export const VNODE_HARD_REBOOT = "vnode hard-reboot";
const POE_UNKNOWN = "unknown LLDP network position";
const NO_NETBOOT = "network boot is disabled on this server";
const NO_IP = "no known IP address";

export async function rebootNodes(ctx: ServerContext, nodes: readonly DeviceWithNode[], cause: string, hard: boolean): Promise<RebootOutcome> {
  const ok: string[] = [];
  const failed = new Map<string, string[]>();
  const fail = (reason: string, name: string): void => void failed.set(reason, [...(failed.get(reason) ?? []), name]);
  const softErrors = hard ? new Map<string, string>() : await softReboot(ctx, nodes, cause, ok);
  const nb = ctx.netboot;
  for (const n of nodes) {
    if (ok.includes(n.name)) continue;
    if (n.virtual) {
      if (nb === undefined) {
        fail(`failed ${VNODE_HARD_REBOOT} (${NO_NETBOOT})`, n.name);
        continue;
      }
      // Between two runs of its VM (it is restarting) there is nothing to kill: that boot is this one.
      const killed = nb.vnodes.has(n.mac) ? nb.vnodes.hardReboot(n.mac) : (nb.vnodes.ensure(n.mac), false);
      await bootStarted(ctx, n, cause, VNODE_HARD_REBOOT, killed);
      ok.push(n.name);
    } else {
      const soft = softErrors.get(n.name);
      fail(soft === undefined ? `failed poe-reboot (${POE_UNKNOWN})` : `failed soft-reboot (${soft}) and poe-reboot (${POE_UNKNOWN})`, n.name);
    }
  }
  return {
    messages: ok.length ? [formatSentenceAboutNodes("%s: rebooted ok.", ok)] : [],
    errors: [...failed].map(([reason, names]) => formatSentenceAboutNodes(`%s: ${reason}`, names)),
  };
}

/**
 * Ask every node to reboot itself; the names of those that did are added to `ok`, the others' errors returned
 * (lower-cased, as WALT prints them). A vnode whose VM is not running has nothing to answer: the hard reboot
 * below starts it.
 */
async function softReboot(ctx: ServerContext, nodes: readonly DeviceWithNode[], cause: string, ok: string[]): Promise<Map<string, string>> {
  const nb = ctx.netboot;
  const target = nb?.nodeService ?? DEFAULT_NODE_SERVICE;
  const errors = new Map<string, string>();
  const tries = nodes.map(async (n) => {
    if (n.virtual && nb?.vnodes.pid(n.mac) === undefined) return;
    if (n.ip === null) return void errors.set(n.name, NO_IP);
    const result = await nodeRequest(n.ip, "REBOOT", target);
    if (result !== REPLY.ok) {
      // A vnode's failure is not printed (its hard reboot follows): the server log keeps it.
      ctx.log.info("netboot: soft reboot failed", { node: n.name, error: result });
      return void errors.set(n.name, result.toLowerCase());
    }
    // Before any other await: the VM of a vnode exits within milliseconds, and its exit must find this boot.
    const recorded = bootStarted(ctx, n, cause, SOFT_REBOOT, n.virtual);
    ok.push(n.name);
    await recorded;
  });
  await Promise.all(tries);
  return errors;
}

/**
 * A reboot the server caused: a new boot record (the VM exit that follows is expected, not a crash), the boot
 * retries given back unless a boot timeout caused it (WALT §3.10), and the node down with cause and method.
 */
function bootStarted(ctx: ServerContext, n: DeviceWithNode, cause: string, method: string, vmWillExit: boolean): Promise<void> {
  const nb = ctx.netboot;
  if (nb !== undefined) {
    if (cause !== BOOT_TIMEOUT_CAUSE) nb.bootTimeouts.reset(n.mac);
    nb.observer.serverStartedBoot(n.mac, cause, vmWillExit);
    nb.timelines.add(n.mac, "boot-start", `method: ${method}`);
    if (method === SOFT_REBOOT && n.virtual) nb.vnodes.expectReboot(n.mac);
  }
  return ctx.status.setDown(n.mac, `cause: ${cause}, method: ${method}`);
}
