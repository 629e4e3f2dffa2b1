/**
 * walt-net (WALT §3.1): a Linux bridge named `walt-net` holding the server's platform address, with the raw
 * interface enslaved, or nothing else in virtual-only mode (virtual nodes' taps join it). Limited broadcast is
 * routed to it: in a namespace without a default route, DHCP replies to 255.255.255.255 fail otherwise.
 * Only the bridge this server created is deleted at stop.
 */
import type { Logger } from "../../src/log.ts";
import { ip, linkExists } from "./ip.ts";

export const WALT_NET = "walt-net";

export interface WaltNetOptions {
  serverIp: string;
  prefix: number;
  rawDevice: string | null;
  /** The bridge's MAC (the server device's MAC, persistent). */
  mac: string;
  log: Logger;
}

export interface WaltNet {
  readonly name: string;
  /** Delete the bridge if this server created it. */
  teardown(): Promise<void>;
}

export async function setupWaltNet(o: WaltNetOptions): Promise<WaltNet> {
  const created = !(await linkExists(WALT_NET));
  if (created) {
    await ip("link", "add", "name", WALT_NET, "address", o.mac, "type", "bridge", "stp_state", "0", "forward_delay", "0");
  }
  try {
    await ip("link", "set", "lo", "up");
    if (o.rawDevice !== null) {
      await ip("link", "set", "dev", o.rawDevice, "master", WALT_NET);
      await ip("link", "set", "dev", o.rawDevice, "up");
    }
    await ip("addr", "replace", `${o.serverIp}/${o.prefix}`, "dev", WALT_NET);
    await ip("link", "set", "dev", WALT_NET, "up");
    await ip("route", "replace", "255.255.255.255/32", "dev", WALT_NET);
  } catch (e) {
    if (created) await ip("link", "del", WALT_NET).catch(() => undefined);
    throw e;
  }
  o.log.info("netboot: walt-net ready", { address: `${o.serverIp}/${o.prefix}`, created, rawDevice: o.rawDevice ?? "none (virtual only)" });
  return {
    name: WALT_NET,
    async teardown() {
      if (created) await ip("link", "del", WALT_NET).catch((e: unknown) => o.log.warn("netboot: cannot delete walt-net", { error: String(e) }));
    },
  };
}
