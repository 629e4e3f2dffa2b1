/**
 * The `expose` setting: `<device_port>:<server_port>` redirects (WALT's devices/expose.py checks).
 * WALT keeps the running redirects in memory; they are rebuilt at startup from every device's stored
 * `expose` value, so the same view is derived here from `allDevices`.
 */
import { conflict, usageError } from "../../src/errors.ts";
import { pyInt } from "./py.ts";
import type { PlanEnv, SettingsDevice } from "./types.ts";

export interface Redirect {
  devicePort: number;
  serverPort: number;
}

const EXPOSE = /^\p{Nd}+:\p{Nd}+(?:,\p{Nd}+:\p{Nd}+)*\n?$/u;

/** The redirects of an `expose` value (`none` gives none), or null when the value is invalid. */
export function parseExpose(value: string): Redirect[] | null {
  if (value === "none") return [];
  if (!EXPOSE.test(value)) return null;
  const redirects: Redirect[] = [];
  for (const redirect of value.split(",")) {
    const [device, server] = redirect.split(":");
    const devicePort = pyInt(device ?? "");
    const serverPort = pyInt(server ?? "");
    if (devicePort === null || serverPort === null) return null;
    redirects.push({ devicePort, serverPort });
  }
  return redirects;
}

/** Server port -> IP of the device it currently redirects to. */
export function currentRedirects(devices: readonly SettingsDevice[]): Map<number, string | null> {
  const byPort = new Map<number, string | null>();
  for (const d of devices) {
    const value = d.conf["expose"];
    if (typeof value !== "string") continue;
    for (const r of parseExpose(value) ?? []) byPort.set(r.serverPort, d.ip);
  }
  return byPort;
}

/** Throw WALT's error unless `value` can be applied to the single device `target`. */
export async function checkExpose(target: SettingsDevice, value: string, env: PlanEnv): Promise<void> {
  const redirects = parseExpose(value);
  if (redirects === null) {
    throw usageError(
      `Failed: '${value}' is not a valid value for option 'expose'.\n` +
        "        Use for example '80:8088' (device port 80 <-> server port 8088), or 'none'.\n" +
        "        Several redirects are possible, e.g., '80:8088,443:8443'.",
    );
  }
  if (new Set(redirects.map((r) => r.devicePort)).size < redirects.length) {
    throw usageError("Failed: cannot use several times the same device port number.");
  }
  if (new Set(redirects.map((r) => r.serverPort)).size < redirects.length) {
    throw usageError("Failed: cannot use several times the same server port number.");
  }
  const current = currentRedirects(env.allDevices);
  for (const { serverPort } of redirects) {
    if (!current.has(serverPort)) {
      // first time this server port is used: can the server listen on it?
      const err = await env.canBindPort(serverPort);
      if (err !== null) throw conflict(`Failed: cannot use server port '${serverPort}': ${err}.`);
    } else if (current.get(serverPort) !== target.ip) {
      throw conflict(`Failed: server port '${serverPort}' is already used for another redirect.`);
    }
  }
}
