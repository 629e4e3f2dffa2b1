/**
 * What the DHCP handler needs to know (smee's "backend"): the lease of a MAC, a free address for a new one,
 * and what to do when a client accepts an address. Implemented over the database in db-backend.ts; the
 * pure rules (lowest free address, WALT's registration decisions) are here so they are tested alone.
 */
import type { Registration } from "../devices/register.ts";
import type { DeviceType } from "../db/schema.ts";
import { formatIpv4, parseIpv4 } from "../../src/domain/net.ts";
import { waltNodeModel } from "./client-class.ts";
import { NETGEAR_OUIS } from "./options.ts";

/** An address a client may hold. WALT leases are fixed: a registered device always gets its own IP. */
export interface Lease {
  ip: string;
  /** The device name, sent as option 12 (WALT: host-name = device name); undefined before registration. */
  name: string | undefined;
  /** netsetup=NAT: the server is the client's router (WALT's NAT host group). */
  nat: boolean;
}

/** What the client told us when it accepted an address (WALT's `walt-dhcp-event commit` arguments). */
export interface CommitInfo {
  mac: string;
  ip: string;
  /** Option 60, or undefined. */
  vci: string | undefined;
  /** Option 77, or undefined. */
  uci: string | undefined;
  /** Option 12, or undefined. */
  hostname: string | undefined;
}

export interface DhcpBackend {
  /** The lease of a registered device whose IP lies in walt-net; undefined for a MAC without one. */
  leaseFor(mac: string): Promise<Lease | undefined>;
  /** An address for a MAC without lease: the lowest free one, held for that MAC a while. Undefined when none is free. */
  allocate(mac: string): Promise<string | undefined>;
  /** The client accepted `ip` (REQUEST answered by ACK): register or update the device; returns its lease. */
  commit(c: CommitInfo): Promise<Lease>;
  /** The client gave its address back (RELEASE). Registered devices keep their IP; only a hold is dropped. */
  release(mac: string, ip: string): Promise<void>;
  /** The client found `ip` in use by someone else (DECLINE): do not offer it for a while. */
  decline(mac: string, ip: string): Promise<void>;
}

/**
 * The lowest host address of the server's subnet not in `used` (WALT's dhcpd ranges: every host address
 * minus the server and every registered device). Network and broadcast addresses are never handed out.
 */
export function lowestFreeIp(serverIp: string, prefix: number, used: ReadonlySet<string>): string | undefined {
  const server = parseIpv4(serverIp);
  if (server === undefined || prefix < 1 || prefix > 30) return undefined;
  const size = 2 ** (32 - prefix);
  const network = server - (server % size);
  for (let n = network + 1; n < network + size - 1; n++) {
    const ip = formatIpv4(n);
    if (ip !== serverIp && !used.has(ip)) return ip;
  }
  return undefined;
}

/**
 * Whether a commit must reach the registration code (WALT dhcpevent.py): always for a new MAC; for a known
 * device only when its type is still unknown and the client now says it is a WALT node.
 */
export function needsRegistration(known: { type: DeviceType } | undefined, c: CommitInfo): boolean {
  if (known === undefined) return true;
  if (known.type !== "unknown") return false;
  return waltNodeModel(c.uci) !== undefined || waltNodeModel(c.vci) !== undefined;
}

/**
 * The registration WALT derives from a DHCP commit (walt-features §3.3): the model from a `walt.node.<model>`
 * user class (priority) or vendor class; Netgear OUIs are switches; anything else is `unknown`. The name
 * proposal is the client host name suffixed with the last 6 hex digits of the MAC (unless it already ends
 * with them; WALT then drops the proposal, which looks unintended, so we keep the host name as it is).
 */
export function registrationFromCommit(c: CommitInfo): Registration {
  const model = waltNodeModel(c.uci) ?? waltNodeModel(c.vci);
  const reg: Registration =
    model !== undefined
      ? { mac: c.mac, ip: c.ip, type: "node", model }
      : NETGEAR_OUIS.includes(c.mac.slice(0, 8))
        ? { mac: c.mac, ip: c.ip, type: "switch", model: "netgear" }
        : { mac: c.mac, ip: c.ip, type: "unknown" };
  const name = proposedName(c.hostname, c.mac);
  return name === undefined ? reg : { ...reg, name };
}

function proposedName(hostname: string | undefined, mac: string): string | undefined {
  if (hostname === undefined || hostname === "") return undefined;
  const suffix = mac.replace(/:/g, "").slice(-6).toLowerCase();
  const lower = hostname.toLowerCase();
  return lower.endsWith(suffix) ? lower : `${lower}-${suffix}`;
}
