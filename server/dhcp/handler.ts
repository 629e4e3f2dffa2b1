/**
 * DHCP decisions (smee's "handler"): a decoded request in, a reply or a reasoned silence out. No I/O besides
 * the injected backend; the clock only stamps events. Message handling follows RFC 2131 §4.3; WALT's
 * choices (fixed leases, host name = device name, routers for NAT devices only, boot file per client type)
 * come from its dhcpd.conf (walt-features §3.2).
 */
import type { Clock } from "../../src/clock.ts";
import { inSubnet } from "../../src/domain/net.ts";
import type { DhcpBackend, Lease } from "./backend.ts";
import type { DhcpMessage, OutgoingMessage } from "./codec.ts";
import { classifyClient, bootAnswer, type BootFiles } from "./client-class.ts";
import { answerOptions, nak, ZERO } from "./reply.ts";

export interface HandlerConfig {
  /** The server's walt-net address: server identifier, next-server, TFTP server. */
  serverIp: string;
  prefix: number;
  leaseTimeS: number;
  domain: string;
  boot: BootFiles;
  /** Option 6 for every client; empty: none (the server runs no DNS yet). */
  dnsServers: readonly string[];
}

export interface HandlerDeps {
  backend: DhcpBackend;
  clock: Clock;
  config: HandlerConfig;
}

/** One line of a node's boot timeline. */
export interface DhcpEvent {
  kind: "offer" | "ack" | "nak" | "ignored";
  mac: string;
  xid: number;
  /** The address offered or acknowledged (NAK: the one refused). */
  ip: string | undefined;
  bootFile: string | undefined;
  /** Why a request was ignored or refused. */
  reason?: string;
  atUs: number;
}

export type Decision =
  | { kind: "reply"; reply: OutgoingMessage; event: DhcpEvent }
  | { kind: "silent"; event: DhcpEvent };

export async function handleMessage(m: DhcpMessage, deps: HandlerDeps): Promise<Decision> {
  const { backend, config } = deps;
  const ignore = (reason: string): Decision => ({ kind: "silent", event: event(deps, m, "ignored", undefined, undefined, reason) });
  if (m.op !== 1) return ignore("not a BOOTREQUEST");
  if (m.type === undefined) return ignore("no DHCP message type (plain BOOTP is not served)");
  const outside = outsideWaltNet(m, config);
  if (outside !== undefined) return ignore(outside);
  switch (m.type) {
    case "DISCOVER":
      return discover(m, deps);
    case "REQUEST":
      return request(m, deps);
    case "INFORM":
      return inform(m, deps);
    case "RELEASE":
      await backend.release(m.chaddr, m.ciaddr);
      return ignore(`RELEASE of ${m.ciaddr}`);
    case "DECLINE":
      if (m.requestedIp !== undefined) await backend.decline(m.chaddr, m.requestedIp);
      return ignore(`DECLINE of ${m.requestedIp ?? "no address"}: in use by another host`);
    case "OFFER":
    case "ACK":
    case "NAK":
      return ignore(`${m.type} sent by a server`);
  }
}

/**
 * We cannot see which interface a broadcast came in on (server.ts), so requests that show they belong to
 * another network are left to that network's server: relayed from elsewhere, or a client address elsewhere.
 */
function outsideWaltNet(m: DhcpMessage, c: HandlerConfig): string | undefined {
  const foreign = (ip: string): boolean => ip !== ZERO && !inSubnet(ip, c.serverIp, c.prefix);
  if (foreign(m.giaddr)) return `relayed from ${m.giaddr}, outside walt-net`;
  if (foreign(m.ciaddr)) return `client address ${m.ciaddr} is outside walt-net`;
  if (m.type === "REQUEST" && m.requestedIp !== undefined && foreign(m.requestedIp)) return `requested ${m.requestedIp}, outside walt-net`;
  return undefined;
}

async function addressFor(mac: string, backend: DhcpBackend): Promise<{ ip: string | undefined; lease: Lease | undefined }> {
  const lease = await backend.leaseFor(mac);
  return lease ? { ip: lease.ip, lease } : { ip: await backend.allocate(mac), lease: undefined };
}

async function discover(m: DhcpMessage, deps: HandlerDeps): Promise<Decision> {
  const { ip, lease } = await addressFor(m.chaddr, deps.backend);
  if (ip === undefined) return { kind: "silent", event: event(deps, m, "ignored", undefined, undefined, "no free address left in walt-net") };
  return answer(m, deps, "OFFER", ip, lease);
}

/** RFC 2131 §4.3.2: SELECTING (server id + requested IP), INIT-REBOOT (requested IP), RENEWING/REBINDING (ciaddr). */
async function request(m: DhcpMessage, deps: HandlerDeps): Promise<Decision> {
  const { backend, config } = deps;
  if (m.serverId !== undefined && m.serverId !== config.serverIp) {
    await backend.release(m.chaddr, m.requestedIp ?? m.ciaddr);
    return { kind: "silent", event: event(deps, m, "ignored", m.requestedIp, undefined, `client chose server ${m.serverId}`) };
  }
  const wanted = m.requestedIp ?? (m.ciaddr !== ZERO ? m.ciaddr : undefined);
  if (wanted === undefined) return refuse(m, deps, undefined, "REQUEST names no address");
  const { ip } = await addressFor(m.chaddr, backend);
  if (ip !== wanted) return refuse(m, deps, wanted, ip === undefined ? "no free address left in walt-net" : `address ${wanted} is not this client's (${ip})`);
  const lease = await backend.commit({ mac: m.chaddr, ip, vci: m.vendorClass, uci: m.userClass, hostname: m.hostname });
  return answer(m, deps, "ACK", lease.ip, lease);
}

/** RFC 2131 §4.3.5: configuration only, no address, no lease time, no lease check. */
async function inform(m: DhcpMessage, deps: HandlerDeps): Promise<Decision> {
  const lease = await deps.backend.leaseFor(m.chaddr);
  return answer(m, deps, "ACK", undefined, lease);
}

function answer(m: DhcpMessage, deps: HandlerDeps, type: "OFFER" | "ACK", ip: string | undefined, lease: Lease | undefined): Decision {
  const { config } = deps;
  const boot = bootAnswer(classifyClient(m), config.boot);
  const reply: OutgoingMessage = {
    op: 2,
    type,
    xid: m.xid,
    flags: m.flags,
    // RFC 2131 table 3: ciaddr is echoed in an ACK (renewal, INFORM), zero in an OFFER.
    ciaddr: type === "ACK" ? m.ciaddr : ZERO,
    yiaddr: ip ?? ZERO,
    siaddr: config.serverIp,
    giaddr: m.giaddr,
    chaddr: m.chaddr,
    // The file field holds 127 bytes + NUL; longer names (HTTP URLs) only go in option 67.
    file: boot.bootFile !== undefined && Buffer.byteLength(boot.bootFile) < 128 ? boot.bootFile : "",
    options: answerOptions(config, lease, boot, ip !== undefined),
  };
  const kind = type === "OFFER" ? "offer" : "ack";
  return { kind: "reply", reply, event: event(deps, m, kind, ip ?? m.ciaddr, boot.bootFile) };
}

function refuse(m: DhcpMessage, deps: HandlerDeps, ip: string | undefined, reason: string): Decision {
  return { kind: "reply", reply: nak(m, deps.config.serverIp, reason), event: event(deps, m, "nak", ip, undefined, reason) };
}

function event(deps: HandlerDeps, m: DhcpMessage, kind: DhcpEvent["kind"], ip: string | undefined, bootFile: string | undefined, reason?: string): DhcpEvent {
  const e: DhcpEvent = { kind, mac: m.chaddr, xid: m.xid, ip, bootFile, atUs: deps.clock.nowUs() };
  return reason === undefined ? e : { ...e, reason };
}
