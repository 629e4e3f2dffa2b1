/** Devices and an environment shared by the settings tests (not used by production code). */
import { WaltError } from "../../src/errors.ts";
import type { PlanEnv, SettingsDevice } from "./types.ts";

export function device(name: string, type: SettingsDevice["type"], extra: Partial<SettingsDevice> = {}): SettingsDevice {
  return { mac: "aa:bb:cc:00:00:00", name, type, ip: "192.168.152.10", virtual: false, conf: {}, inWaltNet: true, ...extra };
}

export const vnode = (name: string, extra: Partial<SettingsDevice> = {}): SettingsDevice =>
  device(name, "node", { virtual: true, mac: "52:54:00:12:34:56", ...extra });
export const rpi = (name: string, extra: Partial<SettingsDevice> = {}): SettingsDevice =>
  device(name, "node", { mac: "b8:27:eb:00:00:01", ...extra });
export const sw = (name: string, extra: Partial<SettingsDevice> = {}): SettingsDevice =>
  device(name, "switch", { mac: "aa:bb:cc:00:00:01", ...extra });
export const unknown = (name: string, extra: Partial<SettingsDevice> = {}): SettingsDevice =>
  device(name, "unknown", { mac: "aa:bb:cc:dd:ee:ff", ...extra });
export const server = (extra: Partial<SettingsDevice> = {}): SettingsDevice =>
  device("walt-server", "server", { mac: "aa:bb:cc:ee:00:01", ip: "192.168.152.1", ...extra });

/** An environment where every port can be bound, unless listed in `bindErrors`. */
export function env(allDevices: readonly SettingsDevice[] = [], bindErrors: Record<string, string> = {}): PlanEnv {
  return { allDevices, canBindPort: (port) => Promise.resolve(bindErrors[String(port)] ?? null) };
}

/** `CODE message` of the WaltError thrown by `f`, or `no error`. */
export async function failure(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    if (e instanceof WaltError) return `${e.code} ${e.message}`;
    throw e;
  }
  return "no error";
}
