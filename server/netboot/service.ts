/**
 * Network boot as the server runs it (docs/netboot.md): the boot tree, served image roots and NFS exports kept
 * in line with the database (`sync`), the network services, the virtual nodes, and the observers feeding the
 * boot timelines. CLI tests build one without network services, with a fake hypervisor and mounter.
 */
import { join } from "node:path";
import type { ServerContext } from "../context.ts";
import { DeviceRepo, type DeviceWithNode } from "../devices/repo.ts";
import { ownerOf } from "../devices/sets.ts";
import { createDhcpService } from "../dhcp/service.ts";
import type { QemuBoot } from "../vnodes/qemu-args.ts";
import { VnodeManager } from "../vnodes/manager.ts";
import type { Hypervisor } from "../vnodes/hypervisor.ts";
import { AgentPages } from "./agent-pages.ts";
import { ExportIds, persistPseudo, rootPseudo, type WantedExport } from "./exports.ts";
import { HeldRoots } from "./held-roots.ts";
import type { NfsService } from "./ganesha.ts";
import type { Mounter } from "./mounter.ts";
import { lazyLogger } from "./lazy-log.ts";
import { DEFAULT_NODE_SERVICE, type NodeServiceTarget } from "./node-request.ts";
import { BootTimeouts } from "./boot-timeout.ts";
import { BootObserver } from "./observe.ts";
import { ServedRoots } from "./served.ts";
import { NODE_HTTP_PORT, startNetworkServices, type Stoppable } from "./services.ts";
import { BootTimelines } from "./timeline.ts";
import { applyTree, persistDir, type TreeNode } from "./tree.ts";
import { vnodeDeps } from "./vnode-deps.ts";

/** How often nodes are checked for boot timeouts. */
const BOOT_TIMEOUT_TICK_MS = 5_000;
/** Delay before trying again to unmount a served root that was busy. */
const RELEASE_RETRY_MS = 15_000;

export interface NetbootOptions {
  /** The server's data directory (the context is not built yet when this object is). */
  dataDir: string;
  /** walt-net, HTTP on walt-net:80, NBD, TFTP, DHCP (needs root and a network namespace of its own). */
  services: boolean;
  hypervisor: Hypervisor;
  mounter: Mounter;
  /** The NFS server; null: none (tests). */
  nfs: NfsService | null;
  /** Replaces the emulated bootloader (tests). */
  bootFor?: (mac: string) => Promise<QemuBoot>;
  /** Scale of vnode boot delays in ms per second (tests: 0). */
  delayScaleMs?: number;
  retryDelayMs?: number;
  /** The binary injected as /bin/walt into served roots. */
  agentBinary: string | undefined;
  /** Where the nodes' network service is reached for soft reboots (default: `<node ip>:12346`, 15 s). */
  nodeService?: NodeServiceTarget;
}

export class Netboot {
  readonly timelines: BootTimelines;
  readonly observer: BootObserver;
  readonly vnodes: VnodeManager;
  readonly bootTimeouts: BootTimeouts;
  readonly nodeService: NodeServiceTarget;
  readonly agentPages: AgentPages;
  private readonly served: ServedRoots;
  private readonly exportIds = new ExportIds();
  private readonly stops: Stoppable[] = [];
  private syncing: Promise<void> = Promise.resolve();
  /** Image of each node at the last sync (boot records name it). */
  private readonly imageOf = new Map<string, string>();
  private readonly held: HeldRoots;
  /** MACs present at the last sync (a DHCP ack of another one means a new node: sync again). */
  private known = new Set<string>();
  private retry: ReturnType<typeof setTimeout> | undefined;
  private stopping = false;

  constructor(
    private readonly ctx: () => ServerContext,
    private readonly o: NetbootOptions,
  ) {
    this.held = new HeldRoots(join(o.dataDir, "held-roots.json"));
    this.timelines = new BootTimelines({ nowUs: () => this.ctx().clock.nowUs() }, (mac) => this.imageOf.get(mac) ?? null);
    this.bootTimeouts = new BootTimeouts(ctx, this.timelines);
    this.observer = new BootObserver(ctx, this.timelines, (mac) => this.bootTimeouts.reset(mac));
    this.served = new ServedRoots({
      dir: join(this.dataDir, "served"),
      mounter: o.mounter,
      rootfs: (d) => this.ctx().images.rootfs(d),
      agentBinary: o.agentBinary,
      log: lazyLogger(() => this.ctx().log),
    });
    this.agentPages = new AgentPages({ dir: join(this.dataDir, "agent-pages"), binary: o.agentBinary, nowMs: () => this.ctx().clock.nowUs() / 1000, log: lazyLogger(() => this.ctx().log) });
    this.vnodes = new VnodeManager(vnodeDeps(ctx, this, o));
    this.nodeService = o.nodeService ?? DEFAULT_NODE_SERVICE;
  }

  get dataDir(): string {
    return this.o.dataDir;
  }

  get nodesDir(): string {
    return join(this.dataDir, "nodes");
  }

  /** Start the services, bring the tree in line, start the virtual nodes, then DHCP. */
  async start(fetch: (req: Request, ip: string) => Response | Promise<Response>): Promise<void> {
    const ctx = this.ctx();
    const net = this.o.services ? await startNetworkServices(ctx, { fetch, observe: this.observer }, this.stops) : undefined;
    if (this.o.nfs !== null) {
      const nfs = this.o.nfs;
      await nfs.start();
      this.stops.push({ name: "nfs", stop: (d) => nfs.stop(d) });
    }
    this.stops.push({ name: "served roots", stop: () => this.served.releaseAll() });
    await this.sync();
    const vnodes = (await new DeviceRepo(ctx.db).all()).filter((d) => d.type === "node" && d.virtual);
    for (const d of vnodes) {
      this.observer.serverStartedBoot(d.mac, "server start", false);
      this.vnodes.ensure(d.mac, true);
    }
    this.stops.push({ name: "virtual nodes", stop: () => this.vnodes.stopAll() });
    const timer = setInterval(() => void this.bootTimeouts.tick().catch((e: unknown) => ctx.log.warn("netboot: boot timeout check failed", { error: String(e) })), BOOT_TIMEOUT_TICK_MS);
    timer.unref();
    this.stops.push({ name: "boot timeouts", stop: () => Promise.resolve(clearInterval(timer)) });
    if (this.o.services) {
      const dhcp = createDhcpService(ctx, {
        httpPort: NODE_HTTP_PORT,
        onEvent: (e) => {
          this.observer.dhcp(e);
          // A DISCOVER (answered by an offer) starts a boot; a running node only renews (request → ack).
          // iPXE solicits routers while it asks DHCP, and waits ≈ 16 s for one unless it hears an advertisement.
          if (e.kind === "offer") {
            void this.nodeBooting(e.mac).catch(() => undefined);
            net?.advertiseRouter();
          }
          if (e.kind === "ack" && !this.known.has(e.mac)) void this.sync().catch(() => undefined);
        },
      });
      await dhcp.start();
      this.stops.push({ name: "dhcp", stop: (d) => dhcp.stop(d) });
    }
  }

  /** Stop what started, in reverse order, each within what is left of the deadline. */
  async stop(deadline: AbortSignal): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    for (const s of this.stops.splice(0).reverse()) {
      try {
        await s.stop(deadline);
      } catch (e) {
        this.ctx().log.warn("netboot: stop failed", { service: s.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  /**
   * Nodes about to be switched to another image and soft-rebooted: their root export stays on the image they run
   * until they boot again (held-roots.ts). Call before the sync that switches them.
   */
  holdRoots(macs: readonly string[]): void {
    const exported = new Map(this.exportIds.current().map((e) => [e.pseudo, e.path]));
    for (const mac of macs) {
      const path = exported.get(rootPseudo(mac));
      const digest = path === undefined ? undefined : this.served.digestAt(path);
      if (path === undefined || digest === undefined) continue;
      const persist = exported.get(persistPseudo(mac));
      this.held.hold(mac, { path, digest, ...(persist === undefined ? {} : { persist }) });
    }
  }

  /** The node starts booting (its VM starts, it asks DHCP): a held root export follows its image again. */
  async nodeBooting(mac: string): Promise<void> {
    if (this.held.release(mac)) await this.sync();
  }

  /** Bring served roots, the boot tree and the NFS exports in line with the database (serialised). */
  sync(): Promise<void> {
    const job = (): Promise<void> => this.doSync();
    this.syncing = this.syncing.then(job, job);
    return this.syncing;
  }

  private async doSync(): Promise<void> {
    const ctx = this.ctx();
    const nodes = (await new DeviceRepo(ctx.db).all()).filter((d): d is DeviceWithNode & { node: NonNullable<DeviceWithNode["node"]> } => d.type === "node" && d.node !== undefined);
    const digests = new Map<string, string | undefined>();
    for (const n of nodes) if (!digests.has(n.node.image)) digests.set(n.node.image, await ctx.images.resolve(n.node.image).catch(() => undefined));
    const roots = new Map<string, string | null>();
    for (const digest of new Set(digests.values())) {
      if (digest === undefined) continue;
      try {
        roots.set(digest, await this.served.acquire(digest));
      } catch (e) {
        ctx.log.error("netboot: cannot serve image", { digest, error: e instanceof Error ? e.message : String(e) });
        roots.set(digest, null);
      }
    }
    this.held.retain(new Set(nodes.map((n) => n.mac)));
    // Held roots loaded from the file by a restarted server are not mounted yet (acquire mounts only those).
    for (const [mac, h] of this.held.entries()) {
      try {
        if ((await this.served.acquire(h.digest)) !== h.path) throw new Error("served at another path");
      } catch (e) {
        ctx.log.warn("netboot: a held root cannot be served again; the node's export follows its image", { mac, digest: h.digest, error: e instanceof Error ? e.message : String(e) });
        this.held.release(mac);
      }
    }
    const tree: TreeNode[] = nodes.map((n) => {
      const digest = digests.get(n.node.image);
      this.imageOf.set(n.mac, n.node.image);
      return {
        mac: n.mac,
        ip: n.ip,
        name: n.name,
        model: n.model ?? "unknown",
        owner: ownerOf(n) ?? "waltplatform",
        servedRoot: digest === undefined ? null : (roots.get(digest) ?? null),
        persist: n.conf["mount.persist"] !== false,
      };
    });
    applyTree(this.nodesDir, tree);
    const wanted: WantedExport[] = [];
    for (const t of tree) {
      // A held node keeps exactly what was exported for it (held-roots.ts); the others follow their image.
      const held = this.held.get(t.mac);
      const root = held === undefined ? t.servedRoot : held.path;
      const persist = held === undefined ? (t.persist ? persistDir(this.nodesDir, t.mac, t.owner) : undefined) : held.persist;
      if (root !== null) wanted.push({ pseudo: rootPseudo(t.mac), path: root, access: "RO" });
      if (persist !== undefined) wanted.push({ pseudo: persistPseudo(t.mac), path: persist, access: "RW" });
    }
    if (this.o.nfs !== null) await this.o.nfs.apply(this.exportIds.plan(wanted));
    await this.served.releaseExcept(new Set([...roots.keys(), ...this.held.digests()]));
    this.known = new Set(nodes.map((n) => n.mac));
    // A root its last node was still using stays mounted (the node reboots right after a sync): try again later.
    if (this.served.digests().some((d) => !roots.has(d) && !this.held.digests().includes(d)) && this.retry === undefined && !this.stopping) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        void this.sync().catch(() => undefined);
      }, RELEASE_RETRY_MS);
    }
  }
}
