/**
 * Whether `walt server` runs network boot, and the real Netboot when it does: qemu for virtual nodes, overlayfs
 * for served roots, nfs-ganesha for NFS. Missing qemu or ganesha fails the start with the Debian packages to
 * install, rather than a server that cannot boot anything.
 */
import { join } from "node:path";
import type { Logger } from "../../src/log.ts";
import type { ServerConfig } from "../config/config.ts";
import type { ServerContext } from "../context.ts";
import { QemuHypervisor } from "../vnodes/qemu.ts";
import { GaneshaSupervisor } from "./ganesha.ts";
import { namedNetns } from "./ip.ts";
import { lazyLogger } from "./lazy-log.ts";
import { realMounter } from "./mounter.ts";
import { Netboot } from "./service.ts";

/** `auto`: on with a raw device, or inside a named network namespace; never a surprise bridge on a host. */
export function netbootEnabled(config: ServerConfig, log: Logger): boolean {
  if (config.netboot !== "auto") return config.netboot === "on";
  if (config.waltNet.rawDevice !== null) return true;
  const ns = namedNetns();
  if (ns !== undefined) {
    log.info("netboot: virtual-only walt-net in network namespace", { netns: ns });
    return true;
  }
  log.info("netboot: off (virtual-only mode outside a network namespace; set `netboot: true` to create walt-net here)");
  return false;
}

/** The walt binary injected into served images: configured, or this one when it is the compiled walt. */
export function agentBinary(config: ServerConfig): string | undefined {
  if (config.agentBinary !== undefined) return config.agentBinary;
  return Bun.main.includes("$bunfs") ? process.execPath : undefined;
}

export function createNetboot(ctx: () => ServerContext, config: ServerConfig, log: Logger): Netboot {
  return new Netboot(ctx, {
    dataDir: config.dataDir,
    services: true,
    hypervisor: new QemuHypervisor({ accel: config.vnodes.accel, log: lazyLogger(() => ctx().log, { service: "vnodes" }) }),
    mounter: realMounter,
    nfs: new GaneshaSupervisor({ dir: join(config.dataDir, "nfs"), bindAddr: config.waltNet.serverIp, log: log.child({ service: "nfs" }) }),
    agentBinary: agentBinary(config),
  });
}
