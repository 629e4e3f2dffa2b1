/**
 * Parsers of the `disks` and `networks` values of virtual nodes (WALT's common/walt/common/settings.py).
 * Their quirks are kept (options are split on commas before brackets are considered, the last character
 * of a bracketed disk spec is dropped blindly), so the same values are accepted or refused.
 * Where the Python code would crash on a value that passed its regular expression (a trailing "\n"
 * or a stray bracket inside an option list), the value is reported as unparseable instead.
 */
import { pyInt } from "./py.ts";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Python's set order is randomised per process; this is the order of WALT's source. */
export const DISK_TEMPLATES = ["none", "ext4", "fat32", "hybrid-boot-v", "hybrid-boot-p"] as const;

export interface VnodeDisk {
  capacityGB: number;
  template: string;
}

export interface NetworkRestrictions {
  lat_us?: number;
  bw_Mbps?: number;
}

const DISKS = /^\p{Nd}+[GT](?:\[[^\]]*\])?(?:,\p{Nd}+[GT](?:\[[^\]]*\])?)*\n?$/u;
const NETWORKS = /^[a-z][a-z-]*(?:\[[^\]]*\])?(?:,[a-z][a-z-]*(?:\[[^\]]*\])?)*\n?$/;
const LAT = /^lat=[0-9]+[mu]s\n?$/;
const BW = /^bw=[0-9]+[gm]bps\n?$/;

const fail = <T>(error: string): ParseResult<T> => ({ ok: false, error });

/** `none`, or comma-separated `<int>G|T` capacities with an optional `[template=<t>]`. */
export function parseVnodeDisks(value: string): ParseResult<VnodeDisk[]> {
  if (value === "none") return { ok: true, value: [] };
  const unparseable = fail<VnodeDisk[]>(`Could not parse disks value '${value}'.`);
  if (!DISKS.test(value)) return unparseable;
  const disks: VnodeDisk[] = [];
  for (const disk of value.split(",")) {
    let template = "none";
    let capacity = disk;
    if (disk.includes("[")) {
      const parts = disk.slice(0, -1).split("[");
      if (parts.length !== 2) return unparseable;
      capacity = parts[0] ?? "";
      for (const option of (parts[1] ?? "").split(",")) {
        if (option.length > 9 && option.startsWith("template=")) {
          template = option.slice(9);
          if (!(DISK_TEMPLATES as readonly string[]).includes(template)) {
            return fail(`Disk template must be one of: ${DISK_TEMPLATES.join(" ")}`);
          }
        } else {
          return fail(`'${option}' is not a valid disk option.`);
        }
      }
    }
    const gb = pyInt(capacity.slice(0, -1));
    if (gb === null) return unparseable;
    disks.push({ capacityGB: capacity.endsWith("T") ? gb * 1000 : gb, template });
  }
  return { ok: true, value: disks };
}

/** Parse one `lat=<int>ms|us` or `bw=<int>Mbps|Gbps` restriction into `info`; false when invalid. */
function parseRestriction(restriction: string, info: NetworkRestrictions): boolean {
  const lower = restriction.toLowerCase();
  if (LAT.test(lower)) {
    const val = pyInt(restriction.slice(4, -2));
    if (val === null) return false;
    info.lat_us = restriction.at(-2)?.toLowerCase() === "m" ? val * 1000 : val;
    return true;
  }
  if (BW.test(lower)) {
    const val = pyInt(restriction.slice(3, -4));
    if (val === null) return false;
    info.bw_Mbps = restriction.at(-4)?.toLowerCase() === "g" ? val * 1000 : val;
    return true;
  }
  return false;
}

/** Comma-separated network names, each with optional `[restrictions]`; `walt-net` is mandatory. */
export function parseVnodeNetworks(value: string): ParseResult<Record<string, NetworkRestrictions>> {
  if (!NETWORKS.test(value)) return fail(`Could not parse networks value '${value}'.`);
  // restrictions are comma-separated too: remove the bracketed parts to isolate the names
  const names = value.split(/\[[^\]]*\]/).join("").split(",");
  const networks: Record<string, NetworkRestrictions> = {};
  let rest = value;
  for (const name of names) {
    const info: NetworkRestrictions = {};
    networks[name] = info;
    let offset = name.length;
    if (name.length < rest.length && rest[name.length] === "[") {
      const restrictions = (rest.split("[")[1] ?? "").split("]")[0] ?? "";
      for (const restriction of restrictions.split(",")) {
        if (!parseRestriction(restriction, info)) {
          return fail(`'${restriction}' is not a valid network resource restriction.`);
        }
      }
      offset = name.length + restrictions.length + 2;
    }
    rest = rest.slice(offset);
    if (rest.length > 0) rest = rest.slice(1); // the comma
  }
  if (!names.includes("walt-net")) return fail("Mandatory network 'walt-net' is missing from specified networks.");
  if (new Set(names).size < names.length) return fail("Specifying twice the same network name is not allowed.");
  return { ok: true, value: networks };
}
