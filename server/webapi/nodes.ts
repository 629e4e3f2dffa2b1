/**
 * `GET /api/v1/nodes`: every node with exactly WALT's 8 keys, filterable on any key but `config`.
 * With no node at all WALT fails (its device-set parser reports "No matching devices" to a missing
 * requester); we answer an empty list instead.
 */
import type { DeviceConf, DeviceType } from "../db/schema.ts";
import type { ServerContext } from "../context.ts";
import { DeviceRepo } from "../devices/repo.ts";
import { isInWaltNet } from "../devices/info.ts";
import { filterItems, type FieldType } from "./filters.ts";

/** What the settings module needs to compute a device's full configuration (settings SettingsDevice). */
export interface ConfigDevice {
  mac: string;
  name: string;
  type: DeviceType;
  ip: string | null;
  virtual: boolean;
  conf: DeviceConf;
  inWaltNet: boolean;
}

/** All settings of a device, defaults included, netsetup as "LAN"/"NAT" (settings' webApiConfig). */
export type ConfigOf = (d: ConfigDevice) => unknown;

/** One entry of `nodes`, keys in WALT's order. */
export interface WebApiNode {
  name: string;
  model: string | null;
  virtual: boolean;
  image: string | null;
  booted: boolean;
  ip: string | null;
  mac: string;
  config: unknown;
}

export const NODE_FIELDS: Readonly<Record<string, FieldType>> = {
  name: "str",
  model: "str",
  virtual: "bool",
  image: "str",
  booted: "bool",
  ip: "str",
  mac: "str",
};

/** The reply of /api/v1/nodes for these query parameters (400 WebApiError on a bad filter). */
export async function listNodes(
  ctx: Pick<ServerContext, "db" | "config" | "status">,
  params: ReadonlyMap<string, string>,
  configOf: ConfigOf,
): Promise<{ num_nodes: number; nodes: WebApiNode[] }> {
  const devices = (await new DeviceRepo(ctx.db).all()).filter((d) => d.type === "node");
  const all = devices.map(
    (d): WebApiNode => ({
      name: d.name,
      model: d.model,
      virtual: d.virtual,
      image: d.node?.image ?? null,
      booted: ctx.status.isBooted(d.mac),
      ip: d.ip,
      mac: d.mac,
      config: configOf({
        mac: d.mac,
        name: d.name,
        type: d.type,
        ip: d.ip,
        virtual: d.virtual,
        conf: d.conf,
        inWaltNet: isInWaltNet(ctx, d.ip),
      }),
    }),
  );
  const nodes = filterItems(all, NODE_FIELDS, params);
  return { num_nodes: nodes.length, nodes };
}
