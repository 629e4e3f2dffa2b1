/** `walt device show` output (WALT server devices/manager.py `show`): known devices, then unknown ones. */
import type { DeviceInfo } from "../../../src/api/devices.ts";
import { formatParagraph } from "../../../src/text/paragraph.ts";
import { columnate } from "../../../src/text/table.ts";

const TITLE_MAIN = "The WalT network contains the following devices:";
const FOOTNOTE_MAIN =
  "tips:\n" +
  "- use 'walt device tree' for a tree view of the network\n" +
  "- use 'walt device forget <device_name>' to make WalT forget about an obsolete device";
const TITLE_UNKNOWN = "WalT also detected the following devices but could not detect their type:";
const FOOTNOTE_UNKNOWN = "If one of them is actually a switch, use 'walt device config <name> type=switch' to fix this.";
const HEADER = ["name", "ip", "mac", "type", "netsetup"];

/**
 * Type column. WALT's legacy rule (Appendix A.9), kept as is: a virtual node is `node (virtual)`, a
 * non-virtual node whose MAC starts with 52:54:00 is `node (vpn)`, any other node `node (physical)`.
 */
export function deviceTypeLabel(d: DeviceInfo): string {
  if (d.type !== "node") return d.type;
  if (d.virtual) return "node (virtual)";
  return d.mac.startsWith("52:54:00") ? "node (vpn)" : "node (physical)";
}

// WALT sorts on the label (`ORDER BY type, name`), so physical < virtual < vpn < server < switch.
const byTypeThenName = (a: [string, DeviceInfo], b: [string, DeviceInfo]): number =>
  a[0].localeCompare(b[0]) || a[1].name.localeCompare(b[1].name);

const table = (rows: [string, DeviceInfo][]): string =>
  // netsetup is empty for the server and for devices without an IP or outside walt-net (DeviceInfo.netsetup null).
  columnate(HEADER, rows.map(([label, d]) => [d.name, d.ip, d.mac, label, d.netsetup]));

export function renderDeviceShow(devices: readonly DeviceInfo[]): string {
  const rows = devices.map((d): [string, DeviceInfo] => [deviceTypeLabel(d), d]).sort(byTypeThenName);
  const known = rows.filter(([, d]) => d.type !== "unknown");
  const unknown = rows.filter(([, d]) => d.type === "unknown");
  let out = formatParagraph(TITLE_MAIN, table(known), FOOTNOTE_MAIN);
  if (unknown.length > 0) out += formatParagraph(TITLE_UNKNOWN, table(unknown), FOOTNOTE_UNKNOWN);
  return out;
}
