/**
 * The virtual node supervisor's view of the server: node settings from the database (ram, cpu.cores,
 * boot.delay, read again at every start), the emulated bootloader over the node's boot tree, and the
 * observers that feed its boot timeline and its console log.
 */
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "../devices/repo.ts";
import { emulatedBoot } from "../vnodes/emulated-boot.ts";
import type { Hypervisor } from "../vnodes/hypervisor.ts";
import { ramToMb, type QemuBoot } from "../vnodes/qemu-args.ts";
import type { SupervisorDeps, VnodeSettings } from "../vnodes/supervisor.ts";
import type { BootObserver } from "./observe.ts";
import { lazyLogger } from "./lazy-log.ts";
import { bootRoots } from "./services.ts";

interface Host {
  readonly nodesDir: string;
  readonly observer: BootObserver;
  /** Called before each VM start: a root export held on the node's previous image follows its image again. */
  nodeBooting(mac: string): Promise<void>;
}

interface Options {
  hypervisor: Hypervisor;
  bootFor?: (mac: string) => Promise<QemuBoot>;
  delayScaleMs?: number;
  retryDelayMs?: number;
}

export function vnodeDeps(ctx: () => ServerContext, host: Host, o: Options): SupervisorDeps {
  const files = new Map<string, { path: string; bytes: number }[]>();
  const settings = async (mac: string): Promise<VnodeSettings | undefined> => {
    const d = await new DeviceRepo(ctx().db).byMac(mac);
    if (d === undefined || d.type !== "node" || !d.virtual) return undefined;
    let ramMb = 512;
    try {
      ramMb = ramToMb(String(d.conf["ram"] ?? "512M"));
    } catch {
      // an invalid stored value: keep the default
    }
    const cores = Number(d.conf["cpu.cores"] ?? 4);
    // Stored as typed ("random", "2"); an integer means seconds.
    const delay = String(d.conf["boot.delay"] ?? "random");
    const bootDelay = /^\d+$/.test(delay) ? Number(delay) : "random";
    return { mac, name: d.name, ramMb, cores: Number.isInteger(cores) && cores > 0 ? cores : 4, bootDelay };
  };
  const bootFor = async (mac: string): Promise<QemuBoot> => {
    await host.nodeBooting(mac);
    if (o.bootFor) return o.bootFor(mac);
    const c = ctx();
    if (c.config.vnodes.bootloader === "pxe") {
      files.set(mac, []);
      return { kind: "pxe" };
    }
    const d = await new DeviceRepo(c.db).byMac(mac);
    if (d?.ip == null) throw new Error("the node has no IP address on walt-net");
    const { serverIp, prefix } = c.config.waltNet;
    const b = await emulatedBoot({ nodesDir: host.nodesDir, allowedRoots: bootRoots(c.config.dataDir), mac, ip: d.ip, name: d.name, model: d.model ?? "pc-x86-64", serverIp, prefix });
    files.set(mac, b.files);
    return { kind: "direct", kernel: b.kernel, initrd: b.initrd, cmdline: b.cmdline };
  };
  return {
    hypervisor: o.hypervisor,
    settings,
    bootFor,
    onStarting: (mac) => host.observer.vmStarting(mac, files.get(mac) ?? []),
    onBootFailed: (mac, reason) => host.observer.bootFailed(mac, reason),
    onExited: (mac, code) => host.observer.vmExited(mac, code),
    onConsole: (mac, text) => host.observer.console(mac, text),
    log: lazyLogger(() => ctx().log, { service: "vnodes" }),
    ...(o.delayScaleMs === undefined ? {} : { delayScaleMs: o.delayScaleMs }),
    ...(o.retryDelayMs === undefined ? {} : { retryDelayMs: o.retryDelayMs }),
  };
}
