/**
 * Node-set / device-set syntax (WALT §1.2): comma-separated names and keywords, resolved recursively,
 * returned sorted by name without duplicates.
 */
import { notFound, usageError, WaltError } from "../../src/errors.ts";
import type { DeviceWithNode } from "./repo.ts";

export const SET_KEYWORDS = ["server", "my-nodes", "free-nodes", "all-nodes", "all-switches", "all-devices", "explorable-switches"] as const;

/** Owner of a node: the user part of its image fullname (`waltplatform` = free). */
export const ownerOf = (d: DeviceWithNode): string | undefined => d.node?.image.split("/")[0];
export const isFree = (d: DeviceWithNode): boolean => ownerOf(d) === "waltplatform";

const TYPE_ORDER = ["server", "switch", "node", "unknown"];
const byTypeThenName = (a: DeviceWithNode, b: DeviceWithNode): number =>
  TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || a.name.localeCompare(b.name);

function expandItem(item: string, all: readonly DeviceWithNode[], username: string): DeviceWithNode[] {
  const nodes = all.filter((d) => d.type === "node");
  switch (item) {
    case "server":
      return all.filter((d) => d.type === "server");
    case "my-nodes":
      return nodes.filter((d) => ownerOf(d) === username);
    case "free-nodes":
      return nodes.filter(isFree);
    case "all-nodes":
      return nodes;
    case "all-switches":
      return all.filter((d) => d.type === "switch");
    case "all-devices":
      return [...all].sort(byTypeThenName);
    case "explorable-switches":
      return all.filter((d) => d.type === "switch" && d.conf["lldp.explore"] === true);
    default: {
      const d = all.find((x) => x.name === item);
      if (!d) throw notFound(`No device with name '${item}' found.`);
      return [d];
    }
  }
}

export interface ResolveOptions {
  /** Every device must belong to this set (e.g. log issuers: `server,all-nodes`). */
  allowed?: string | undefined;
  /** An empty result is not an error. */
  allowEmpty?: boolean | undefined;
}

/** Resolve a set expression (undefined or empty = `my-nodes`). */
export function resolveSet(all: readonly DeviceWithNode[], username: string, set: string | undefined, opts: ResolveOptions = {}): DeviceWithNode[] {
  const expr = set === undefined || set === "" ? "my-nodes" : set;
  const seen = new Map<string, DeviceWithNode>();
  for (const item of expr.split(",")) {
    if (item === "") throw usageError(`Invalid value '${expr}'.`, "comma-separated names, without spaces");
    for (const d of expandItem(item, all, username)) seen.set(d.mac, d);
  }
  const result = [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  if (opts.allowed !== undefined) {
    const allowed = new Set(resolveSet(all, username, opts.allowed, { allowEmpty: true }).map((d) => d.mac));
    if (result.some((d) => !allowed.has(d.mac))) {
      throw usageError(`Invalid value '${expr}'; allowed devices belong to '${opts.allowed}'`);
    }
  }
  if (result.length === 0 && !opts.allowEmpty) {
    throw new WaltError("NOT_FOUND", "No matching devices found! (tip: walt help show node-ownership)");
  }
  return result;
}

/** Resolve a set that must contain only nodes (`<name> is not a node, it is a <type>.`). */
export function resolveNodeSet(all: readonly DeviceWithNode[], username: string, set: string | undefined, opts: ResolveOptions = {}): DeviceWithNode[] {
  const devs = resolveSet(all, username, set, opts);
  const bad = devs.find((d) => d.type !== "node");
  if (bad) throw usageError(`${bad.name} is not a node, it is a ${bad.type}.`);
  return devs;
}

/** WALT's filter_ownership: (owned, free, not owned, not nodes). */
export function splitOwnership(devs: readonly DeviceWithNode[], username: string) {
  const owned: string[] = [];
  const free: string[] = [];
  const notOwned: string[] = [];
  const notNodes: string[] = [];
  for (const d of devs) {
    if (d.type !== "node") notNodes.push(d.name);
    else if (ownerOf(d) === username) owned.push(d.name);
    else if (isFree(d)) free.push(d.name);
    else notOwned.push(d.name);
  }
  return { owned, free, notOwned, notNodes };
}
