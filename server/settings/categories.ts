/**
 * Device categories: which devices a setting applies to (WALT's "masks"), the error printed when a
 * device of the set is not a member, and the priority order in which category defaults are merged.
 */
import { conflict } from "../../src/errors.ts";
import { formatSentence } from "../../src/text/sentence.ts";
import type { SettingsDevice } from "./types.ts";

export type CategoryName =
  | "devices"
  | "server"
  | "walt-net-devices"
  | "nodes"
  | "virtual-nodes"
  | "unknown-devices"
  | "switches";

export interface Category {
  name: CategoryName;
  /** Defaults of higher priorities override lower ones; the highest matching category is the "main" one. */
  priority: number;
  /** Labels of the config display (`Node X has...`, `Nodes X and Y have...`). */
  labels: readonly [string, string | undefined];
  isMember(d: SettingsDevice): boolean;
  /** WALT's error sentence about the devices of `devices` that are not members (some are not). */
  explain(devices: readonly SettingsDevice[], setting: string): string;
}

const names = (devices: readonly SettingsDevice[], keep: (d: SettingsDevice) => boolean): string[] =>
  devices.filter(keep).map((d) => d.name);
const isNode = (d: SettingsDevice): boolean => d.type === "node";
const uncapitalize = (s: string): string => (s[0] ?? "").toLowerCase() + s.slice(1);

/** `Failed: <Device(s) ...> is(are) not a() <what>, so ...` about the non-members. */
const notA =
  (what: string, tail: (setting: string) => string, isMember: (d: SettingsDevice) => boolean) =>
  (devices: readonly SettingsDevice[], setting: string): string =>
    formatSentence(
      `Failed: %s is(are) not a() ${what}, ${tail(setting)}`,
      names(devices, (d) => !isMember(d)),
      "Device",
      "Devices",
    );

const isWaltNetDevice = (d: SettingsDevice): boolean => d.inWaltNet && d.type !== "server";

function explainWaltNet(devices: readonly SettingsDevice[]): string {
  const reasons: string[] = [];
  const outside = names(devices, (d) => !d.inWaltNet);
  if (outside.length > 0) {
    reasons.push(formatSentence("%s is(are) not a() device(devices) managed inside walt-net", outside, "device", "devices"));
  }
  const server = devices.find((d) => d.type === "server");
  if (server !== undefined) reasons.push(`${server.name} is the WALT server`);
  return `Failed: ${reasons.join(", and ")}.`;
}

const isVirtualNode = (d: SettingsDevice): boolean => isNode(d) && d.virtual;

function explainVirtualNodes(devices: readonly SettingsDevice[], setting: string): string {
  const reasons: string[] = [];
  const notNodes = names(devices, (d) => !isNode(d));
  if (notNodes.length > 0) reasons.push(formatSentence("%s is(are) not a() node(nodes)", notNodes, "device", "devices"));
  const physical = names(devices, (d) => isNode(d) && !d.virtual);
  if (physical.length > 0) reasons.push(formatSentence("%s is(are) not virtual", physical, "node", "nodes"));
  const joined = reasons.map((r, i) => (i === 0 ? r : uncapitalize(r))).join(", and ");
  return `Failed: ${joined}, so '${setting}' setting is not supported.`;
}

const isServer = (d: SettingsDevice): boolean => d.type === "server";
const isSwitch = (d: SettingsDevice): boolean => d.type === "switch";

/** Every category, in WALT's declaration order. */
const ALL: readonly Category[] = [
  { name: "devices", priority: 1, labels: ["Device", "Devices"], isMember: () => true, explain: () => "" },
  {
    name: "server",
    priority: 3,
    labels: ["Server", undefined],
    isMember: isServer,
    explain: notA("WALT server(servers)", (s) => `so '${s}' setting cannot be applied.`, isServer),
  },
  { name: "walt-net-devices", priority: 2, labels: ["Device", "Devices"], isMember: isWaltNetDevice, explain: explainWaltNet },
  {
    name: "nodes",
    priority: 3,
    labels: ["Node", "Nodes"],
    isMember: isNode,
    explain: notA("node(nodes)", (s) => `so it(they) does(do) not support the '${s}' setting.`, isNode),
  },
  {
    name: "virtual-nodes",
    priority: 4,
    labels: ["Virtual node", "Virtual nodes"],
    isMember: isVirtualNode,
    explain: explainVirtualNodes,
  },
  {
    name: "unknown-devices",
    priority: 3,
    labels: ["Unknown device", "Unknown devices"],
    isMember: (d) => d.type === "unknown",
    explain: (_devices, setting) => `Failed: setting '${setting}' can only be applied to unknown devices.`,
  },
  {
    name: "switches",
    priority: 3,
    labels: ["Switch", "Switches"],
    isMember: isSwitch,
    explain: notA("switch(switches)", (s) => `so '${s}' setting cannot be applied.`, isSwitch),
  },
];

/** Categories by increasing priority (stable: WALT sorts its declaration order by priority). */
export const CATEGORIES_BY_PRIORITY: readonly Category[] = [...ALL].sort((a, b) => a.priority - b.priority);

export const CATEGORIES: Readonly<Record<CategoryName, Category>> = Object.fromEntries(
  ALL.map((c) => [c.name, c]),
) as Record<CategoryName, Category>;

/** Throw WALT's CONFLICT error unless every device of the set belongs to the category. */
export function requireMembers(category: Category, devices: readonly SettingsDevice[], setting: string): void {
  if (!devices.every((d) => category.isMember(d))) throw conflict(category.explain(devices, setting));
}

/** The main category of a device: the highest-priority category it belongs to. */
export function mainCategory(d: SettingsDevice): Category {
  let main = CATEGORIES.devices;
  for (const c of CATEGORIES_BY_PRIORITY) if (c.isMember(d)) main = c;
  return main;
}
