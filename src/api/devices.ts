/** Devices and nodes: sets, show, rename, forget, tree, config, ownership. */
import { z } from "zod";
import { call } from "./endpoint.ts";

export const DeviceType = z.enum(["server", "switch", "node", "unknown"]);

/** One device as the CLI sees it. */
export const DeviceInfo = z.object({
  name: z.string(),
  mac: z.string(),
  ip: z.string().nullable(),
  type: DeviceType,
  model: z.string().nullable(),
  virtual: z.boolean(),
  /** Inside the walt-net subnet (netsetup shown only then). */
  inWaltNet: z.boolean(),
  netsetup: z.enum(["LAN", "NAT"]).nullable(),
  /** Node fields (null for other devices). */
  image: z.string().nullable(),
  owner: z.string().nullable(),
  booted: z.boolean().nullable(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

export const SetExpr = z.string().max(10_000);

/** Resolve a set to device names (WALT develop_*_set / parse_set_of_*). */
export const resolveSet = call(
  "devices.resolve-set",
  z.object({ set: SetExpr.optional(), nodesOnly: z.boolean().default(false), allowed: z.string().optional(), allowEmpty: z.boolean().default(false) }).strict(),
  z.object({ names: z.array(z.string()) }),
);

/** WALT filter_ownership. */
export const ownership = call(
  "devices.ownership",
  z.object({ set: SetExpr.optional() }).strict(),
  z.object({ owned: z.array(z.string()), free: z.array(z.string()), notOwned: z.array(z.string()), notNodes: z.array(z.string()) }),
);

export const listDevices = call("devices.list", z.object({}).strict(), z.object({ username: z.string(), devices: z.array(DeviceInfo) }));

export const renameDevice = call(
  "devices.rename",
  z.object({ oldName: z.string(), newName: z.string(), force: z.boolean().default(false) }).strict(),
  z.object({ renamed: z.boolean() }),
);

export const forgetDevice = call(
  "devices.forget",
  z.object({ name: z.string(), force: z.boolean().default(false) }).strict(),
  z.discriminatedUnion("status", [
    z.object({ status: z.literal("done") }),
    z.object({ status: z.literal("has-logs"), logLines: z.number() }),
  ]),
);

export const deviceTree = call("devices.tree", z.object({ all: z.boolean().default(false) }).strict(), z.object({ text: z.string() }));

export const getConfig = call("devices.config-get", z.object({ set: SetExpr, nodesOnly: z.boolean().default(false) }).strict(), z.object({ text: z.string() }));

export const setConfig = call(
  "devices.config-set",
  z
    .object({ set: SetExpr, settings: z.array(z.string()).min(1), nodesOnly: z.boolean().default(false), force: z.boolean().default(false) })
    .strict(),
  z.object({ messages: z.array(z.string()), final: z.string() }),
);
