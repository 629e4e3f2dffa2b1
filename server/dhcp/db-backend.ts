/**
 * The DHCP backend over the devices table: registered devices keep their IP, new MACs get the lowest free
 * address of walt-net, and a commit registers the device through the injected `register` (the server wires
 * it to server/devices/register.ts, see service.ts).
 */
import type { Clock } from "../../src/clock.ts";
import { inSubnet } from "../../src/domain/net.ts";
import type { Db } from "../db/db.ts";
import { DeviceRepo, type DeviceWithNode } from "../devices/repo.ts";
import { lowestFreeIp, needsRegistration, type CommitInfo, type DhcpBackend, type Lease } from "./backend.ts";
import { AddressHolds, DEFAULT_HOLD_TIMES, type HoldTimes } from "./holds.ts";

/** The registered device as the registration code returns it (enough to answer the client). */
export type RegisteredDevice = Pick<DeviceWithNode, "ip" | "name" | "conf">;

export interface DbBackendOptions {
  db: Db;
  clock: Clock;
  /** walt-net: the server address and prefix length. */
  serverIp: string;
  prefix: number;
  /** Register a new device, or update an unknown one, from what the client said. */
  register(c: CommitInfo): Promise<RegisteredDevice>;
  holdTimes?: HoldTimes;
}

export class DbDhcpBackend implements DhcpBackend {
  private readonly repo: DeviceRepo;
  private readonly holds: AddressHolds;
  /** Device snapshot, reloaded when the devices table changed (Db.changes). */
  private cache: { generation: number; byMac: Map<string, DeviceWithNode>; usedIps: Set<string> } | undefined;
  /** Commits run one at a time: a retransmitted REQUEST must not register the same MAC twice. */
  private commits: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: DbBackendOptions) {
    this.repo = new DeviceRepo(o.db);
    this.holds = new AddressHolds(o.clock, o.holdTimes ?? DEFAULT_HOLD_TIMES);
  }

  async leaseFor(mac: string): Promise<Lease | undefined> {
    const d = (await this.devices()).byMac.get(mac);
    if (d === undefined || d.type === "server" || !this.inWaltNet(d.ip)) return undefined;
    return toLease(d, d.ip);
  }

  async allocate(mac: string): Promise<string | undefined> {
    const { usedIps } = await this.devices();
    const held = this.holds.heldFor(mac);
    if (held !== undefined && !usedIps.has(held)) return held;
    const used = this.holds.unavailableFor(mac);
    for (const ip of usedIps) used.add(ip);
    const ip = lowestFreeIp(this.o.serverIp, this.o.prefix, used);
    if (ip !== undefined) this.holds.hold(mac, ip);
    return ip;
  }

  commit(c: CommitInfo): Promise<Lease> {
    const next = this.commits.then(() => this.commitNow(c));
    this.commits = next.catch(() => undefined);
    return next;
  }

  private async commitNow(c: CommitInfo): Promise<Lease> {
    this.holds.drop(c.mac);
    let known = (await this.devices()).byMac.get(c.mac);
    if (known?.type === "server") return { ip: c.ip, name: undefined, nat: false }; // never hand out the server's own IP
    // WALT also records the new address of a known device whose IP is missing or outside walt-net.
    if (known !== undefined && !this.inWaltNet(known.ip)) {
      await this.repo.update(c.mac, { ip: c.ip });
      known = { ...known, ip: c.ip };
    }
    if (needsRegistration(known, c)) return toLease(await this.o.register(c), c.ip);
    return known === undefined ? { ip: c.ip, name: undefined, nat: false } : toLease(known, c.ip);
  }

  release(mac: string): Promise<void> {
    this.holds.drop(mac);
    return Promise.resolve();
  }

  decline(mac: string, ip: string): Promise<void> {
    this.holds.decline(mac, ip);
    return Promise.resolve();
  }

  private inWaltNet(ip: string | null): ip is string {
    return ip !== null && inSubnet(ip, this.o.serverIp, this.o.prefix);
  }

  private async devices(): Promise<NonNullable<DbDhcpBackend["cache"]>> {
    const generation = this.o.db.changes.generation;
    if (this.cache?.generation === generation) return this.cache;
    const all = await this.repo.all();
    const usedIps = new Set<string>();
    for (const d of all) if (this.inWaltNet(d.ip)) usedIps.add(d.ip);
    this.cache = { generation, byMac: new Map(all.map((d) => [d.mac, d])), usedIps };
    return this.cache;
  }
}

function toLease(d: RegisteredDevice, fallbackIp: string): Lease {
  return { ip: d.ip ?? fallbackIp, name: d.name, nat: d.conf["netsetup"] === 1 };
}
