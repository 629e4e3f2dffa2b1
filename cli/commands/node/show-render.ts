/** `walt node show` output (WALT server nodes/show.py layout: titled tables, then footnotes). */
import type { DeviceInfo } from "../../../src/api/devices.ts";
import { columnate } from "../../../src/text/table.ts";
import { formatParagraph } from "../../../src/text/paragraph.ts";

const MSG_USING_NO_NODES = "You currently do not own any nodes.";
const MSG_RERUN_WITH_ALL = "Re-run with --all to see all available nodes.";
const MSG_TIP = "Type `walt help show node-ownership` for help.";
const MSG_NO_NODES = "No nodes detected!";
const MSG_NO_OTHER_NODES = "No other nodes were detected (apart from the ones listed above).";

/** Node type column: virtual flag and MAC prefix decide (WALT's legacy rule, Appendix A.9). */
export const nodeTypeLabel = (n: DeviceInfo): string =>
  n.virtual ? (n.mac.startsWith("52:54:00") ? "virtual" : "vpn") : "physical";

const imageShort = (n: DeviceInfo): string => (n.image ?? "").split("/").slice(1).join("/").replace(/:latest$/, "");
const booted = (n: DeviceInfo): string => (n.booted ? "yes" : "NO");

type Col = [title: string, value: (n: DeviceInfo) => string | null];
const COLS: Record<string, Col> = {
  name: ["name", (n) => n.name],
  type: ["type", nodeTypeLabel],
  model: ["model", (n) => n.model],
  image: ["image", imageShort],
  owner: ["image-owner", (n) => n.owner],
  link: ["clonable-image-link", (n) => `walt:${n.owner ?? ""}/${imageShort(n)}`],
  ip: ["ip", (n) => n.ip],
  netsetup: ["netsetup", (n) => n.netsetup],
  booted: ["booted", booted],
};

function table(title: string, nodes: DeviceInfo[], cols: (keyof typeof COLS)[]): string {
  const defs = cols.map((c) => COLS[c] as Col);
  return formatParagraph(title, columnate(defs.map((d) => d[0]), nodes.map((n) => defs.map((d) => d[1](n)))));
}

/** Options of {@link renderNodeShow}. */
export interface NodeShowOptions {
  showAll: boolean;
  namesOnly: boolean;
  /** A node set was named: its nodes are listed in their tables, without the `--all` notes. */
  set?: boolean;
  /** Text printed after the tables, before the footnotes (`--details`). */
  details?: string;
}

const byOwnerThenName = (a: DeviceInfo, b: DeviceInfo): number => (a.owner ?? "").localeCompare(b.owner ?? "") || a.name.localeCompare(b.name);

/** The listed nodes in table order: the caller's, then free ones, then other users' (each by owner, name). */
export function nodeGroups(username: string, all: readonly DeviceInfo[]): { mine: DeviceInfo[]; free: DeviceInfo[]; other: DeviceInfo[] } {
  const sorted = [...all].sort(byOwnerThenName);
  return {
    mine: sorted.filter((n) => n.owner === username),
    free: sorted.filter((n) => n.owner === "waltplatform"),
    other: sorted.filter((n) => n.owner !== username && n.owner !== "waltplatform"),
  };
}

/** The nodes a `walt node show` lists, in the order of its tables. */
export function listedNodes(username: string, all: readonly DeviceInfo[], showAll: boolean): DeviceInfo[] {
  const g = nodeGroups(username, all);
  return showAll ? [...g.mine, ...g.free, ...g.other] : g.mine;
}

export function renderNodeShow(username: string, all: readonly DeviceInfo[], o: NodeShowOptions): string {
  const { mine, free, other } = nodeGroups(username, all);
  const showAll = o.showAll || o.set === true;
  // WALT lists names by owner, then name (not by table).
  if (o.namesOnly) return (showAll ? [...all].sort(byOwnerThenName) : mine).map((n) => n.name).join("\n");
  let out = "";
  const notes: string[] = [];
  const setNotes = o.set !== true;
  if (mine.length === 0 && !showAll) notes.push(MSG_USING_NO_NODES, MSG_RERUN_WITH_ALL);
  else if (all.length === 0) notes.push(MSG_NO_NODES);
  else {
    if (mine.length) {
      if (!showAll) notes.push(MSG_RERUN_WITH_ALL);
      out += table("You currently own the following nodes:", mine, ["name", "type", "model", "image", "ip", "netsetup", "booted"]);
    }
    if (showAll) {
      if (free.length + other.length === 0 && setNotes) notes.push(MSG_NO_OTHER_NODES);
      if (free.length) out += table("The following nodes are currently free:", free, ["name", "type", "model", "ip", "netsetup", "booted"]);
      if (other.length) out += table("The following nodes currently belong to other users:", other, ["name", "type", "model", "owner", "link", "ip", "netsetup", "booted"]);
    }
  }
  notes.push(MSG_TIP);
  return out + (o.details ?? "") + notes.join("\n");
}
