/**
 * `walt device tree` (WALT §6.9). Switch topology (LLDP/SNMP) is not discovered yet, so the tree shows
 * what the server knows for sure: virtual nodes sit on the server's own walt-net bridge; devices whose
 * position is unknown are listed below the tree. The command succeeds on a platform without switches.
 */
import type { DeviceWithNode } from "./repo.ts";

const label = (d: DeviceWithNode): string =>
  d.type === "switch" ? `-- ${d.name} --` : d.type === "unknown" ? `<? ${d.name} ?>` : d.name;

/** Render the tree; `all` also shows unknown devices (hidden otherwise, as in WALT). */
export function renderTree(devices: readonly DeviceWithNode[], all: boolean): string {
  const server = devices.find((d) => d.type === "server");
  const attached = devices.filter((d) => d.type === "node" && d.virtual).sort((a, b) => a.name.localeCompare(b.name));
  const elsewhere = devices
    .filter((d) => d.type !== "server" && !(d.type === "node" && d.virtual))
    .filter((d) => all || d.type !== "unknown")
    .sort((a, b) => a.name.localeCompare(b.name));
  const lines = [server ? server.name : "walt-server"];
  attached.forEach((d, i) => lines.push(` ${i === attached.length - 1 ? "└─" : "├─"}${label(d)}`));
  if (attached.length === 0) lines.push(" (no device known to be connected)");
  let out = lines.join("\n") + "\n";
  if (elsewhere.length) {
    out += `\nNetwork position unknown (no switch topology yet): ${elsewhere.map(label).join(", ")}\n`;
    out += "Tip: virtual nodes are attached to the server's walt-net bridge; physical ones appear here once switches are explored.\n";
  }
  if (!all && devices.some((d) => d.type === "unknown")) out += "Tip: use `walt device tree --all` to also show devices of unknown type.\n";
  return out;
}
