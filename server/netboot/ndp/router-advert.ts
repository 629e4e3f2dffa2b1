/**
 * The Router Advertisement the server sends on walt-net (RFC 4861 §4.2), only to end a PXE firmware's wait for
 * IPv6. iPXE configures a NIC with DHCPv4 and IPv6 autoconfiguration at once and waits for both; with no router
 * on walt-net it sends Router Solicitations for ≈ 16 s before giving IPv6 up. It ends that wait at the first Router
 * Advertisement it gets while soliciting, and one without the M and O flags starts nothing else (iPXE
 * src/net/ndp.c, ipv6conf_rx_router_advertisement). So the advertisement says as little as possible: router
 * lifetime 0 (not a default router, §6.2.5 — no node routes through the server), no prefix (no address to
 * configure), no M/O flags (no DHCPv6), only the source link-layer address option (§4.6.1).
 */

const ICMPV6_ROUTER_ADVERTISEMENT = 134;
const OPTION_SOURCE_LINK_LAYER = 1;

/** The ICMPv6 message, checksum left at 0: the kernel fills it for raw ICMPv6 sockets (RFC 3542 §3.1). */
export function encodeRouterAdvert(mac: string): Uint8Array {
  const octets = mac.split(":").map((h) => Number.parseInt(h, 16));
  if (octets.length !== 6 || octets.some((o) => !(o >= 0 && o <= 255))) throw new Error(`not a MAC address: ${mac}`);
  const b = new Uint8Array(16 + 8);
  b[0] = ICMPV6_ROUTER_ADVERTISEMENT;
  // [1] code 0, [2-3] checksum, [4] current hop limit 0 (unspecified), [5] flags M=0 O=0, [6-7] router lifetime 0,
  // [8-11] reachable time 0, [12-15] retransmission timer 0: all "unspecified by this router".
  b[16] = OPTION_SOURCE_LINK_LAYER;
  b[17] = 1; // length in units of 8 bytes
  b.set(octets, 18);
  return b;
}
