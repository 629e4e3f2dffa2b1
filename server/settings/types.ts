/**
 * Types shared by the settings framework (`walt node config` / `walt device config`).
 * The framework is pure: the caller loads devices, and applies the returned plan.
 */
import type { DeviceConf } from "../db/schema.ts";

export type { DeviceConf };

/** One stored (converted) setting value: ints, bools, strings, or null (boot.timeout=none, unset snmp.*). */
export type SettingValue = string | number | boolean | null;

/** What the settings framework needs to know about a device. */
export interface SettingsDevice {
  mac: string;
  name: string;
  type: "server" | "switch" | "node" | "unknown";
  ip: string | null;
  virtual: boolean;
  /** Stored settings (`devices.conf`), already converted. */
  conf: DeviceConf;
  /** Whether `ip` lies inside the walt-net subnet (WALT's `in_walt_net`). */
  inWaltNet: boolean;
}

/** The world outside the target devices that some checks look at. */
export interface PlanEnv {
  /** Every known device (expose: which server ports are already redirected, and to whom; switch renaming). */
  allDevices: readonly SettingsDevice[];
  /** WALT's bind test of a server port: null when the port can be listened on, else the OS error text. */
  canBindPort(port: number): Promise<string | null>;
}

/** What to write for one device once every check passed. */
export interface PlanUpdate {
  mac: string;
  /** Stored conf merged with the new values (`conf || new_values`). */
  conf: DeviceConf;
  /** Set when `type=switch` converts an unknown device. */
  type?: "switch";
  /** Set when the converted device still had a generated `unknown` name. */
  rename?: { from: string; to: string };
}

export type FinalMessage =
  | "Done."
  | "Done. Reboot node(s) to see new settings in effect."
  | "Done. Reboot device(s) to see new settings in effect.";

export interface Plan {
  updates: PlanUpdate[];
  /** Lines to print on stdout before the final message (`Renaming X to Y for clarity.`). */
  messages: string[];
  finalMessage: FinalMessage;
  /** The converted values written into every device's conf (`type` excluded), for side effects (expose, VMs...). */
  applied: DeviceConf;
  /** Whether a setting needing a reboot was given. */
  rebootNeeded: boolean;
}
