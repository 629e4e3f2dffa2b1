/**
 * Every setting of `walt device config`: its category, default, value check (including the rules that
 * involve other settings of the command line or the stored conf), stored form, whether devices must
 * reboot, and how it is displayed. Declaration order is WALT's (it orders defaults in the web API).
 */
import { conflict } from "../../src/errors.ts";
import type { CategoryName } from "./categories.ts";
import { checkExpose } from "./expose.ts";
import { pyStr } from "./py.ts";
import type { PlanEnv, SettingsDevice, SettingValue } from "./types.ts";
import * as v from "./values.ts";

export interface CheckInput {
  setting: string;
  value: string;
  /** The target devices. */
  devices: readonly SettingsDevice[];
  /** Every setting of the command line (name -> raw value). */
  settings: ReadonlyMap<string, string>;
  env: PlanEnv;
}

export interface SettingDefinition {
  category: CategoryName;
  default: SettingValue;
  /** Throws WALT's error (a WaltError) when the value cannot be applied. */
  check(input: CheckInput): void | Promise<void>;
  /** The value written into `devices.conf`; undefined for `type`, which is a column. */
  store(value: string): SettingValue | undefined;
  /** Whether devices must reboot for the new value to take effect. */
  reboot: boolean;
  /** Display form in `walt device config <set>`. */
  show(value: SettingValue): string;
}

export const UNSPECIFIED = "<unspecified>";
const showPlain = (x: SettingValue): string => (x === null ? UNSPECIFIED : pyStr(x));
const showBool = (x: SettingValue): string => (x === null ? UNSPECIFIED : pyStr(x).toLowerCase());
function showNetsetup(x: SettingValue): string {
  if (x === null) return UNSPECIFIED;
  const n = typeof x === "number" ? x : v.parseNetsetup(String(x));
  return n === v.NETSETUP.LAN ? "LAN" : n === v.NETSETUP.NAT ? "NAT" : pyStr(x);
}
const raw = (value: string): string => value;

const LLDP_NEEDS_SNMP =
  "Failed: cannot set 'lldp.explore' to true unless 'snmp.version' and 'snmp.community' are defined too.";
const POE_NEEDS_LLDP = "Failed: cannot set 'poe.reboots' to true unless 'lldp.explore' is set to true too.";

/** lldp.explore=true needs SNMP parameters, given on the command line or already stored. */
function checkLldpExplore({ setting, value, devices, settings }: CheckInput): void {
  v.checkBool(setting, value);
  if (!v.isTrue(value)) return;
  const versionGiven = settings.has("snmp.version");
  const communityGiven = settings.has("snmp.community");
  if (versionGiven && communityGiven) return;
  for (const d of devices) {
    // WALT quirk kept: when both are missing from the command line, only the stored community is verified
    let fine = true;
    if (!versionGiven) fine = (d.conf["snmp.version"] ?? null) !== null;
    if (!communityGiven) fine = (d.conf["snmp.community"] ?? null) !== null;
    if (!fine) throw conflict(LLDP_NEEDS_SNMP);
  }
}

/** poe.reboots=true needs lldp.explore=true, on the command line or already stored on every device. */
function checkPoeReboots({ setting, value, devices, settings }: CheckInput): void {
  v.checkBool(setting, value);
  if (!v.isTrue(value)) return;
  const lldp = settings.get("lldp.explore");
  if (lldp !== undefined) {
    // an invalid lldp.explore value is reported by its own check
    if (lldp.toLowerCase() === "false") throw conflict(POE_NEEDS_LLDP);
    return;
  }
  for (const d of devices) {
    const stored = d.conf["lldp.explore"];
    if (stored === undefined || stored === null || stored === false) throw conflict(POE_NEEDS_LLDP);
  }
}

async function checkExposeSetting({ value, devices, env }: CheckInput): Promise<void> {
  if (devices.length > 1) throw conflict("Failed: cannot expose the same server port for several devices.");
  const target = devices[0];
  if (target !== undefined) await checkExpose(target, value, env);
}

type Check = (i: CheckInput) => void | Promise<void>;

/** A setting displayed plainly (`<unspecified>` for null). */
function plain(
  category: CategoryName,
  def: SettingValue,
  check: Check,
  store: (x: string) => SettingValue,
  reboot: boolean,
): SettingDefinition {
  return { category, default: def, check, store, reboot, show: showPlain };
}

/** A `true`/`false` setting (case-insensitive), stored as a boolean. */
function bool(category: CategoryName, def: boolean, reboot: boolean, check?: Check): SettingDefinition {
  const checkBool: Check = (i) => v.checkBool(i.setting, i.value);
  return { category, default: def, check: check ?? checkBool, store: v.isTrue, reboot, show: showBool };
}

export const SETTINGS: ReadonlyMap<string, SettingDefinition> = new Map<string, SettingDefinition>([
  [
    "netsetup",
    { ...plain("walt-net-devices", v.NETSETUP.LAN, (i) => v.checkNetsetup(i.value), v.parseNetsetup, true), show: showNetsetup },
  ],
  ["ram", plain("virtual-nodes", "512M", (i) => v.checkRam(i.value), raw, true)],
  ["cpu.cores", plain("virtual-nodes", 4, (i) => v.checkCpuCores(i.value), v.toInt, true)],
  ["disks", plain("virtual-nodes", "none", (i) => v.checkDisks(i.value), raw, true)],
  ["boot.delay", plain("virtual-nodes", "random", (i) => v.checkBootDelay(i.value), raw, true)],
  ["boot.retries", plain("nodes", 9, (i) => v.checkBootRetries(i.value), v.toInt, false)],
  [
    "boot.timeout",
    {
      ...plain("nodes", 180, (i) => v.checkBootTimeout(i.value), (x) => (x === "none" ? null : v.toInt(x)), false),
      show: (x) => (x === null ? "none" : pyStr(x)),
    },
  ],
  ["networks", plain("virtual-nodes", "walt-net", (i) => v.checkNetworks(i.value), raw, true)],
  // a column of the devices table, not stored in conf
  [
    "type",
    { ...plain("unknown-devices", "unknown", (i) => v.checkType(i.setting, i.value), raw, false), store: () => undefined },
  ],
  ["lldp.explore", bool("switches", false, false, checkLldpExplore)],
  ["poe.reboots", bool("switches", false, false, checkPoeReboots)],
  ["snmp.version", plain("switches", null, (i) => v.checkSnmpVersion(i.value), v.toInt, false)],
  ["snmp.community", plain("switches", null, () => undefined, raw, false)],
  ["kexec.allow", bool("nodes", true, false)],
  ["mount.persist", bool("nodes", true, true)],
  ["expose", plain("walt-net-devices", "none", checkExposeSetting, raw, false)],
]);

/** The display form of a stored value (settings unknown to this table are shown plainly). */
export function showValue(setting: string, value: SettingValue): string {
  return (SETTINGS.get(setting)?.show ?? showPlain)(value);
}
