/**
 * Reading settings: the effective configuration of a device (category defaults + stored values),
 * WALT's grouped display of `walt device config <set>`, and the `config` object of /api/v1/nodes.
 */
import { compareCodePoints, formatSentence } from "../../src/text/sentence.ts";
import { CATEGORIES, CATEGORIES_BY_PRIORITY, mainCategory, type CategoryName } from "./categories.ts";
import { SETTINGS, showValue } from "./definitions.ts";
import type { SettingsDevice, SettingValue } from "./types.ts";
import { NETSETUP } from "./values.ts";

type Config = Record<string, SettingValue>;

const utf8 = new TextEncoder();

/** PostgreSQL's jsonb key order (shorter keys first, then bytewise), which WALT's stored conf comes in. */
function compareJsonbKeys(a: string, b: string): number {
  const ba = utf8.encode(a);
  const bb = utf8.encode(b);
  if (ba.length !== bb.length) return ba.length - bb.length;
  for (let i = 0; i < ba.length; i++) if (ba[i] !== bb[i]) return (ba[i] ?? 0) - (bb[i] ?? 0);
  return 0;
}

/** Defaults of every category the device belongs to, merged by increasing priority, then its stored conf. */
export function effectiveConfig(device: SettingsDevice): Config {
  const config: Config = {};
  for (const category of CATEGORIES_BY_PRIORITY) {
    if (!category.isMember(device)) continue;
    for (const [name, def] of SETTINGS) if (def.category === category.name) config[name] = def.default;
  }
  for (const key of Object.keys(device.conf).sort(compareJsonbKeys)) config[key] = device.conf[key] ?? null;
  return config;
}

/** The `config` of a node in /api/v1/nodes: every setting, netsetup always present as "LAN" or "NAT". */
export function webApiConfig(device: SettingsDevice): Config {
  const config = effectiveConfig(device);
  const netsetup = device.conf["netsetup"] ?? NETSETUP.LAN;
  if (netsetup === NETSETUP.NAT) config["netsetup"] = "NAT";
  else if (netsetup === NETSETUP.LAN) config["netsetup"] = "LAN";
  return config;
}

interface Group {
  lines: string[];
  names: string[];
}

/**
 * WALT's display of the configuration of `devices` (given in set order): devices of the same main category
 * with identical settings are grouped. Returns the exact stdout text, trailing newlines included.
 */
export function formatConfig(devices: readonly SettingsDevice[]): string {
  // main category -> (settings key -> group), both in first-seen order
  const byCategory = new Map<CategoryName, Map<string, Group>>();
  for (const d of devices) {
    const category = mainCategory(d).name;
    const entries = Object.entries(effectiveConfig(d)).sort(([a], [b]) => compareCodePoints(a, b));
    const key = JSON.stringify(entries);
    let groups = byCategory.get(category);
    if (groups === undefined) byCategory.set(category, (groups = new Map()));
    const group = groups.get(key) ?? { lines: entries.map(([k, v]) => `${k}=${showValue(k, v)}`), names: [] };
    groups.set(key, group);
    group.names.push(d.name);
  }
  const parts: string[] = [];
  for (const [category, groups] of byCategory) {
    const [singular, plural] = CATEGORIES[category].labels;
    for (const { lines, names } of groups.values()) {
      const start = category === "server" ? "Server has" : formatSentence("%s has(have)", names, singular, plural);
      if (lines.length === 0) parts.push(`${start} no config option available.\n`);
      else parts.push(`${start} the following config applied:\n${lines.map((l) => `${l}\n`).join("")}`);
    }
  }
  return `${parts.join("\n\n")}\n`;
}
