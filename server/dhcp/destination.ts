/**
 * Where a reply goes (RFC 2131 §4.1, "If the 'giaddr' field … is nonzero"): to the relay agent, else a NAK
 * by broadcast, else unicast to a client that already has an address (ciaddr), else broadcast.
 *
 * RFC 2131 lets a server unicast an OFFER/ACK to yiaddr when the broadcast bit is clear, but the client
 * cannot answer ARP for that address yet: ISC dhcpd and dnsmasq write an ARP entry (or a raw frame) first,
 * which a UDP socket cannot do. We broadcast instead; every client accepts a broadcast reply.
 */
import type { DhcpMessage } from "./codec.ts";
import type { MessageType } from "./options.ts";
import { ZERO } from "./reply.ts";

export interface ReplyRouting {
  /** Client port: 68, or "source" to answer the port the request came from (tests on loopback). */
  clientPort: number | "source";
  /** Port relay agents listen on (67). */
  relayPort: number;
  /** 255.255.255.255, or a loopback address in tests. */
  broadcastAddress: string;
}

export const DEFAULT_ROUTING: ReplyRouting = { clientPort: 68, relayPort: 67, broadcastAddress: "255.255.255.255" };

export interface Destination {
  address: string;
  port: number;
}

export function replyDestination(req: Pick<DhcpMessage, "giaddr" | "ciaddr">, type: MessageType, sourcePort: number, r: ReplyRouting): Destination {
  const clientPort = r.clientPort === "source" ? sourcePort : r.clientPort;
  if (req.giaddr !== ZERO) return { address: req.giaddr, port: r.relayPort };
  if (type === "NAK") return { address: r.broadcastAddress, port: clientPort };
  if (req.ciaddr !== ZERO) return { address: req.ciaddr, port: clientPort };
  return { address: r.broadcastAddress, port: clientPort };
}
