/**
 * The DHCP service as the server composes it: the database backend, registrations through
 * server/devices/register.ts (WALT's `add_or_update_device`), walt-net from the server config.
 */
import type { ServerContext } from "../context.ts";
import { registerDevice } from "../devices/register.ts";
import { registrationFromCommit, type CommitInfo } from "./backend.ts";
import { DEFAULT_BOOT_FILES, ipxeScriptLocation } from "./client-class.ts";
import { DbDhcpBackend, type RegisteredDevice } from "./db-backend.ts";
import type { DhcpEvent, HandlerConfig } from "./handler.ts";
import { WALT_DOMAIN, WALT_LEASE_TIME_S } from "./options.ts";
import { DhcpService } from "./server.ts";
import type { ReplyRouting } from "./destination.ts";

export interface DhcpServiceSettings {
  host?: string;
  port?: number;
  routing?: Partial<ReplyRouting>;
  /** How plain iPXE clients fetch the WALT script (default: HTTP on `httpPort`). */
  ipxeVia?: "http" | "tftp";
  httpPort?: number;
  dnsServers?: string[];
  onEvent?: (e: DhcpEvent) => void;
}

/** `register` for the backend: a DHCP commit becomes a device registration (walt-features §3.3). */
export function registerFromDhcp(ctx: ServerContext): (c: CommitInfo) => Promise<RegisteredDevice> {
  return (c) => registerDevice(ctx, registrationFromCommit(c));
}

/** The handler configuration for a server configuration. */
export function handlerConfig(ctx: Pick<ServerContext, "config">, s: DhcpServiceSettings = {}): HandlerConfig {
  const { serverIp, prefix } = ctx.config.waltNet;
  return {
    serverIp,
    prefix,
    leaseTimeS: WALT_LEASE_TIME_S,
    domain: WALT_DOMAIN,
    boot: { ...DEFAULT_BOOT_FILES, ipxeScript: ipxeScriptLocation(serverIp, s.ipxeVia ?? "http", s.httpPort ?? ctx.config.http.port) },
    dnsServers: s.dnsServers ?? [],
  };
}

export function createDhcpService(ctx: ServerContext, s: DhcpServiceSettings = {}): DhcpService {
  const config = handlerConfig(ctx, s);
  const backend = new DbDhcpBackend({ db: ctx.db, clock: ctx.clock, serverIp: config.serverIp, prefix: config.prefix, register: registerFromDhcp(ctx) });
  return new DhcpService({
    backend,
    clock: ctx.clock,
    config,
    log: ctx.log.child({ service: "dhcp" }),
    ...(s.host === undefined ? {} : { host: s.host }),
    ...(s.port === undefined ? {} : { port: s.port }),
    ...(s.routing === undefined ? {} : { routing: s.routing }),
    ...(s.onEvent === undefined ? {} : { onEvent: s.onEvent }),
  });
}
