/**
 * Value checks of the individual settings, with WALT's exact error messages (thrown as USAGE errors),
 * and the conversions applied before values are stored.
 */
import { usageError } from "../../src/errors.ts";
import { isNonNegativeInt, pyInt } from "./py.ts";
import { parseVnodeDisks, parseVnodeNetworks } from "./vnode-values.ts";

/** Smallest accepted `boot.timeout` (WALT's NODE_MIN_BOOT_TIMEOUT). */
export const MIN_BOOT_TIMEOUT = 60;
const HELP_SUFFIX = "\n        Check 'walt help show device-config' for more info.";
const RAM = /^\p{Nd}+[MG]\n?$/u;

/** WALT's NetSetup values. */
export const NETSETUP = { LAN: 0, NAT: 1 } as const;

/** `LAN` / `NAT` in any case, as its stored integer; null otherwise. */
export function parseNetsetup(value: string): 0 | 1 | null {
  const upper = value.toUpperCase();
  return upper === "LAN" ? NETSETUP.LAN : upper === "NAT" ? NETSETUP.NAT : null;
}

export function checkNetsetup(value: string): void {
  if (parseNetsetup(value) === null) throw usageError("Failed: netsetup value should be 'NAT' or 'LAN'.");
}

export function checkBool(setting: string, value: string): void {
  const lower = value.toLowerCase();
  if (lower !== "true" && lower !== "false") {
    throw usageError(`Failed: setting '${setting}' only allows values 'true' or 'false'.`);
  }
}

export const isTrue = (value: string): boolean => value.toLowerCase() === "true";

export function checkRam(value: string): void {
  if (!RAM.test(value)) {
    throw usageError(`Failed: '${value}' is not a valid value for ram (expecting for instance 512M or 1G).`);
  }
}

export function checkCpuCores(value: string): void {
  if (!isNonNegativeInt(value)) {
    throw usageError(`Failed: '${value}' is not a valid value for cpu.cores (expecting for instance 1 or 4).`);
  }
}

export function checkDisks(value: string): void {
  const parsed = parseVnodeDisks(value);
  if (!parsed.ok) throw usageError(`Failed: ${parsed.error}${HELP_SUFFIX}`);
}

export function checkNetworks(value: string): void {
  const parsed = parseVnodeNetworks(value);
  if (!parsed.ok) throw usageError(`Failed: ${parsed.error}${HELP_SUFFIX}`);
}

export function checkBootDelay(value: string): void {
  if (value === "random" || isNonNegativeInt(value)) return;
  throw usageError(
    `Failed: '${value}' is not a valid value for option 'boot.delay'.\n` +
      "        Use for example '2' for 2s, '0' to disable, 'random' for a random delay between 1 and 10s.",
  );
}

export function checkBootRetries(value: string): void {
  if (isNonNegativeInt(value)) return;
  throw usageError(
    `Failed: '${value}' is not a valid value for option 'boot.retries'.\n` +
      "        Use for example '2' for retrying twice after a failed boot, '0' to disable.",
  );
}

export function checkBootTimeout(value: string): void {
  if (value === "none") return;
  if (!isNonNegativeInt(value)) {
    throw usageError(
      `Failed: '${value}' is not a valid value for option 'boot.timeout'.\n` +
        "        Use for example '180' for waiting 3 minutes before considering the node is stuck" +
        " and force-rebooting it, or 'none' to disable.",
    );
  }
  if ((pyInt(value) ?? 0) < MIN_BOOT_TIMEOUT) {
    throw usageError(
      `Failed: A boot timeout of ${value}s is probably too small for some OS images.\n` +
        `        Only "none" and values higher than ${MIN_BOOT_TIMEOUT} are allowed for this setting.`,
    );
  }
}

export function checkSnmpVersion(value: string): void {
  if (value !== "1" && value !== "2") throw usageError("Failed: value of setting 'snmp.version' should be '1' or '2'.");
}

export function checkType(setting: string, value: string): void {
  if (value !== "switch") throw usageError(`Failed: setting '${setting}' only allows value 'switch'.`);
}

/** Python's `int(value)` of a value that passed its check. */
export const toInt = (value: string): number => pyInt(value) ?? 0;
