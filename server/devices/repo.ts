/**
 * Queries on devices and nodes. The only module that reads or writes those tables.
 */
import { asc, eq, inArray, type SQL } from "drizzle-orm";
import type { Db } from "../db/db.ts";
import type { DeviceConf, DeviceRow, DeviceType, NodeRow } from "../db/schema.ts";

/** A device with its node row when it is a node. */
export interface DeviceWithNode extends DeviceRow {
  node: NodeRow | undefined;
}

export class DeviceRepo {
  constructor(private readonly db: Db) {}

  private get t() {
    return this.db.t;
  }

  /** Every device with its node row, ordered by name. */
  async all(): Promise<DeviceWithNode[]> {
    return this.select(undefined);
  }

  private async select(where: SQL | undefined): Promise<DeviceWithNode[]> {
    const { devices, nodes } = this.t;
    const q = this.db.orm.select({ d: devices, n: nodes }).from(devices).leftJoin(nodes, eq(nodes.mac, devices.mac));
    const rows = await (where ? q.where(where) : q).orderBy(asc(devices.name));
    return rows.map((r) => ({ ...r.d, node: r.n ?? undefined }));
  }

  async byName(name: string): Promise<DeviceWithNode | undefined> {
    return (await this.select(eq(this.t.devices.name, name)))[0];
  }

  async byMac(mac: string): Promise<DeviceWithNode | undefined> {
    return (await this.select(eq(this.t.devices.mac, mac)))[0];
  }

  async byIp(ip: string): Promise<DeviceWithNode | undefined> {
    return (await this.select(eq(this.t.devices.ip, ip)))[0];
  }

  async insert(row: {
    mac: string;
    ip: string | null;
    name: string;
    type: DeviceType;
    model: string | null;
    virtual: boolean;
    createdUs: number;
    conf?: DeviceConf;
  }): Promise<void> {
    await this.db.orm.insert(this.t.devices).values({ ...row, conf: row.conf ?? {} });
    this.db.changes.bump();
  }

  async update(mac: string, patch: Partial<Pick<DeviceRow, "ip" | "name" | "type" | "model" | "virtual" | "conf">>): Promise<void> {
    await this.db.orm.update(this.t.devices).set(patch).where(eq(this.t.devices.mac, mac));
    this.db.changes.bump();
  }

  async setNode(mac: string, image: string): Promise<void> {
    const n = this.t.nodes;
    await this.db.orm.insert(n).values({ mac, image }).onConflictDoUpdate({ target: n.mac, set: { image } });
    this.db.changes.bump();
  }

  async setNodesImage(macs: readonly string[], image: string): Promise<void> {
    if (macs.length === 0) return;
    await this.db.orm.update(this.t.nodes).set({ image }).where(inArray(this.t.nodes.mac, [...macs]));
    this.db.changes.bump();
  }

  async setBootState(mac: string, state: NodeRow["bootState"], atUs: number): Promise<void> {
    await this.db.orm.update(this.t.nodes).set({ bootState: state, bootStateUs: atUs }).where(eq(this.t.nodes.mac, mac));
    this.db.changes.bump();
  }

  /** Delete a device and everything about it (logs, streams and node row cascade). */
  async remove(mac: string): Promise<void> {
    const { devices, nodes, logstreams, logs } = this.t;
    await this.db.tx(async (orm) => {
      const streams = await orm.select({ id: logstreams.id }).from(logstreams).where(eq(logstreams.issuerMac, mac));
      if (streams.length) await orm.delete(logs).where(inArray(logs.streamId, streams.map((s) => s.id)));
      await orm.delete(logstreams).where(eq(logstreams.issuerMac, mac));
      await orm.delete(nodes).where(eq(nodes.mac, mac));
      await orm.delete(devices).where(eq(devices.mac, mac));
    });
    this.db.changes.bump();
  }
}
