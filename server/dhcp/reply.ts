/**
 * The options of OFFER/ACK replies, and NAKs (RFC 2131 §4.3.1, table 3), with WALT's global options:
 * next-server and `tftp-server-name` = server, broadcast address, domain `walt`, lease 6 000 000 s;
 * per device: host name = device name, routers = server for netsetup=NAT only.
 */
import { formatIpv4, netmaskFromPrefix, parseIpv4 } from "../../src/domain/net.ts";
import type { Lease } from "./backend.ts";
import type { BootAnswer } from "./client-class.ts";
import type { DhcpMessage, OutgoingMessage, OutgoingOptions } from "./codec.ts";
import type { HandlerConfig } from "./handler.ts";

export const ZERO = "0.0.0.0";

/** Broadcast address of the server's subnet (`192.168.152.1/24` → `192.168.152.255`). */
export function subnetBroadcast(serverIp: string, prefix: number): string {
  const n = parseIpv4(serverIp) ?? 0;
  const size = 2 ** (32 - prefix);
  return formatIpv4(n - (n % size) + size - 1);
}

/** Options of an OFFER or ACK. `withAddress` is false for an INFORM answer (no lease time, RFC 2131 §4.3.5). */
export function answerOptions(c: HandlerConfig, lease: Lease | undefined, boot: BootAnswer, withAddress: boolean): OutgoingOptions {
  const o: OutgoingOptions = {
    serverId: c.serverIp,
    subnetMask: netmaskFromPrefix(c.prefix),
    broadcastAddress: subnetBroadcast(c.serverIp, c.prefix),
    domainName: c.domain,
    domainSearch: [c.domain],
    tftpServer: c.serverIp,
  };
  if (withAddress) o.leaseTimeS = c.leaseTimeS;
  if (lease?.name !== undefined) o.hostname = lease.name;
  if (lease?.nat === true) o.routers = [c.serverIp];
  if (c.dnsServers.length > 0) o.dnsServers = [...c.dnsServers];
  if (boot.bootFile !== undefined) o.bootFile = boot.bootFile;
  if (boot.vendorClass !== undefined) o.vendorClass = boot.vendorClass;
  if (boot.vendorSpecific !== undefined) o.vendorSpecific = boot.vendorSpecific;
  return o;
}

/** A DHCPNAK: no addresses, the server identifier and a message saying why (RFC 2131 §4.3.2, option 56). */
export function nak(m: DhcpMessage, serverIp: string, reason: string): OutgoingMessage {
  return {
    op: 2,
    type: "NAK",
    xid: m.xid,
    flags: m.flags,
    giaddr: m.giaddr,
    chaddr: m.chaddr,
    options: { serverId: serverIp, message: reason.slice(0, 255) },
  };
}
