/** The CLI's view of a device (src/api DeviceInfo), built from rows and live boot state. */
import type { DeviceInfo } from "../../src/api/devices.ts";
import { inSubnet } from "../../src/domain/net.ts";
import type { ServerContext } from "../context.ts";
import { ownerOf } from "./sets.ts";
import type { DeviceWithNode } from "./repo.ts";

export function isInWaltNet(ctx: Pick<ServerContext, "config">, ip: string | null): boolean {
  return ip !== null && inSubnet(ip, ctx.config.waltNet.serverIp, ctx.config.waltNet.prefix);
}

export function deviceInfo(ctx: Pick<ServerContext, "config" | "status">, d: DeviceWithNode): DeviceInfo {
  const inWaltNet = isInWaltNet(ctx, d.ip);
  const isNode = d.type === "node";
  return {
    name: d.name,
    mac: d.mac,
    ip: d.ip,
    type: d.type,
    model: d.model,
    virtual: d.virtual,
    inWaltNet,
    netsetup: inWaltNet && d.type !== "server" ? (d.conf["netsetup"] === 1 ? "NAT" : "LAN") : null,
    image: isNode ? (d.node?.image ?? null) : null,
    owner: isNode ? (ownerOf(d) ?? null) : null,
    booted: isNode ? ctx.status.isBooted(d.mac) : null,
  };
}
