import { describe, expect, test } from "bun:test";
import { SETTINGS, showValue } from "./definitions.ts";
import { env, failure, sw, vnode } from "./test-fixtures.ts";
import type { SettingsDevice, SettingValue } from "./types.ts";

const HELP = "\n        Check 'walt help show device-config' for more info.";
const TEMPLATES = "Disk template must be one of: none ext4 fat32 hybrid-boot-v hybrid-boot-p";

function definition(setting: string) {
  const def = SETTINGS.get(setting);
  if (def === undefined) throw new Error(`no setting ${setting}`);
  return def;
}

/** Run the check of one setting given alone on the command line, against `devices`. */
async function check(setting: string, value: string, devices: SettingsDevice[] = [vnode("vn1")], others: [string, string][] = []) {
  const settings = new Map([[setting, value], ...others]);
  return failure(() => definition(setting).check({ setting, value, devices, settings, env: env() }));
}

describe("accepted values and what is stored", () => {
  const cases: [string, string, SettingValue][] = [
    ["netsetup", "LAN", 0],
    ["netsetup", "nat", 1],
    ["netsetup", "nAt", 1],
    ["ram", "512M", "512M"],
    ["ram", "2G", "2G"],
    ["cpu.cores", "0", 0],
    ["cpu.cores", "8", 8],
    ["cpu.cores", " 3 ", 3],
    ["cpu.cores", "1_0", 10],
    ["disks", "none", "none"],
    ["disks", "8G[template=ext4],1T", "8G[template=ext4],1T"],
    ["networks", "walt-net", "walt-net"],
    ["networks", "walt-net[lat=2ms],ext", "walt-net[lat=2ms],ext"],
    ["boot.delay", "random", "random"],
    ["boot.delay", "12", "12"],
    ["boot.retries", "0", 0],
    ["boot.retries", "3", 3],
    ["boot.timeout", "none", null],
    ["boot.timeout", "60", 60],
    ["boot.timeout", "0300", 300],
    ["kexec.allow", "TRUE", true],
    ["kexec.allow", "false", false],
    ["mount.persist", "False", false],
    ["expose", "none", "none"],
    ["expose", "80:8080,443:8443", "80:8080,443:8443"],
    ["lldp.explore", "false", false],
    ["poe.reboots", "false", false],
    ["snmp.version", "1", 1],
    ["snmp.version", "2", 2],
    ["snmp.community", "public", "public"],
    ["snmp.community", "", ""],
    ["type", "switch", undefined as unknown as SettingValue],
  ];
  test.each(cases)("%s accepts %j and stores %j", async (setting, value, stored) => {
    expect(await check(setting, value)).toBe("no error");
    expect(definition(setting).store(value)).toBe(stored);
  });
});

describe("refused values", () => {
  const cases: [string, string, string][] = [
    ["netsetup", "x", "Failed: netsetup value should be 'NAT' or 'LAN'."],
    ["netsetup", "1", "Failed: netsetup value should be 'NAT' or 'LAN'."],
    ["ram", "1g", "Failed: '1g' is not a valid value for ram (expecting for instance 512M or 1G)."],
    ["ram", "1T", "Failed: '1T' is not a valid value for ram (expecting for instance 512M or 1G)."],
    ["ram", "M", "Failed: 'M' is not a valid value for ram (expecting for instance 512M or 1G)."],
    ["cpu.cores", "-1", "Failed: '-1' is not a valid value for cpu.cores (expecting for instance 1 or 4)."],
    ["cpu.cores", "1.5", "Failed: '1.5' is not a valid value for cpu.cores (expecting for instance 1 or 4)."],
    ["disks", "8Q", `Failed: Could not parse disks value '8Q'.${HELP}`],
    ["disks", "8G[template=xfs]", `Failed: ${TEMPLATES}${HELP}`],
    ["disks", "8G[x=1]", `Failed: 'x=1' is not a valid disk option.${HELP}`],
    ["networks", "WALT", `Failed: Could not parse networks value 'WALT'.${HELP}`],
    ["networks", "walt-net[lat=1h]", `Failed: 'lat=1h' is not a valid network resource restriction.${HELP}`],
    ["networks", "ext", `Failed: Mandatory network 'walt-net' is missing from specified networks.${HELP}`],
    ["networks", "walt-net,walt-net", `Failed: Specifying twice the same network name is not allowed.${HELP}`],
    [
      "boot.delay",
      "RANDOM",
      "Failed: 'RANDOM' is not a valid value for option 'boot.delay'.\n" +
        "        Use for example '2' for 2s, '0' to disable, 'random' for a random delay between 1 and 10s.",
    ],
    [
      "boot.retries",
      "x",
      "Failed: 'x' is not a valid value for option 'boot.retries'.\n" +
        "        Use for example '2' for retrying twice after a failed boot, '0' to disable.",
    ],
    [
      "boot.timeout",
      "NONE",
      "Failed: 'NONE' is not a valid value for option 'boot.timeout'.\n" +
        "        Use for example '180' for waiting 3 minutes before considering the node is stuck and" +
        " force-rebooting it, or 'none' to disable.",
    ],
    [
      "boot.timeout",
      "59",
      "Failed: A boot timeout of 59s is probably too small for some OS images.\n" +
        '        Only "none" and values higher than 60 are allowed for this setting.',
    ],
    ["kexec.allow", "yes", "Failed: setting 'kexec.allow' only allows values 'true' or 'false'."],
    ["mount.persist", "0", "Failed: setting 'mount.persist' only allows values 'true' or 'false'."],
    ["lldp.explore", "1", "Failed: setting 'lldp.explore' only allows values 'true' or 'false'."],
    ["poe.reboots", "maybe", "Failed: setting 'poe.reboots' only allows values 'true' or 'false'."],
    ["snmp.version", "3", "Failed: value of setting 'snmp.version' should be '1' or '2'."],
    ["snmp.version", "01", "Failed: value of setting 'snmp.version' should be '1' or '2'."],
    ["type", "node", "Failed: setting 'type' only allows value 'switch'."],
  ];
  test.each(cases)("%s refuses %j", async (setting, value, message) => {
    expect(await check(setting, value)).toBe(`USAGE ${message}`);
  });
});

describe("rules involving other settings", () => {
  const LLDP = "CONFLICT Failed: cannot set 'lldp.explore' to true unless 'snmp.version' and 'snmp.community' are defined too.";
  const POE = "CONFLICT Failed: cannot set 'poe.reboots' to true unless 'lldp.explore' is set to true too.";
  const bare = sw("sw1");
  const snmp = sw("sw2", { conf: { "snmp.version": 2, "snmp.community": "public", "lldp.explore": true } });
  const communityOnly = sw("sw3", { conf: { "snmp.community": "private" } });
  const versionOnly = sw("sw4", { conf: { "snmp.version": 1 } });
  const cases: [string, string, string, SettingsDevice[], [string, string][], string][] = [
    ["lldp.explore", "true", "SNMP given on the line", [bare], [["snmp.version", "2"], ["snmp.community", "c"]], "no error"],
    ["lldp.explore", "true", "SNMP stored", [snmp], [], "no error"],
    ["lldp.explore", "true", "nothing known", [bare], [], LLDP],
    ["lldp.explore", "true", "only the version given", [bare], [["snmp.version", "2"]], LLDP],
    ["lldp.explore", "true", "only the community given", [bare], [["snmp.community", "c"]], LLDP],
    ["lldp.explore", "true", "the version given and the community stored", [communityOnly], [["snmp.version", "2"]], "no error"],
    // WALT quirk: with neither on the line, only the stored community is looked at
    ["lldp.explore", "true", "only the community stored (WALT quirk)", [communityOnly], [], "no error"],
    ["lldp.explore", "true", "only the version stored", [versionOnly], [], LLDP],
    ["lldp.explore", "true", "one device of the set lacking SNMP", [snmp, bare], [], LLDP],
    ["lldp.explore", "false", "nothing known", [bare], [], "no error"],
    ["poe.reboots", "true", "lldp.explore=true on the line", [bare], [["lldp.explore", "true"]], "no error"],
    ["poe.reboots", "true", "lldp.explore=false on the line", [snmp], [["lldp.explore", "FALSE"]], POE],
    ["poe.reboots", "true", "an invalid lldp.explore on the line (reported by its own check)", [bare], [["lldp.explore", "x"]], "no error"],
    ["poe.reboots", "true", "lldp.explore stored as true", [snmp], [], "no error"],
    ["poe.reboots", "true", "lldp.explore not stored", [bare], [], POE],
    ["poe.reboots", "true", "lldp.explore stored on only one device", [snmp, bare], [], POE],
    ["poe.reboots", "false", "nothing known", [bare], [], "no error"],
  ];
  test.each(cases)("%s=%s with %s gives the expected outcome", async (setting, value, _what, devices, others, outcome) => {
    expect(await check(setting, value, devices, others)).toBe(outcome);
  });
});

describe("setting table", () => {
  test("lists every setting with its category, default and reboot need, in WALT's order", () => {
    const table = [...SETTINGS].map(([name, d]) => [name, d.category, d.default, d.reboot]);
    expect(table).toEqual([
      ["netsetup", "walt-net-devices", 0, true],
      ["ram", "virtual-nodes", "512M", true],
      ["cpu.cores", "virtual-nodes", 4, true],
      ["disks", "virtual-nodes", "none", true],
      ["boot.delay", "virtual-nodes", "random", true],
      ["boot.retries", "nodes", 9, false],
      ["boot.timeout", "nodes", 180, false],
      ["networks", "virtual-nodes", "walt-net", true],
      ["type", "unknown-devices", "unknown", false],
      ["lldp.explore", "switches", false, false],
      ["poe.reboots", "switches", false, false],
      ["snmp.version", "switches", null, false],
      ["snmp.community", "switches", null, false],
      ["kexec.allow", "nodes", true, false],
      ["mount.persist", "nodes", true, true],
      ["expose", "walt-net-devices", "none", false],
    ]);
  });

  const shown: [string, SettingValue, string][] = [
    ["netsetup", 0, "LAN"],
    ["netsetup", 1, "NAT"],
    ["netsetup", null, "<unspecified>"],
    ["boot.timeout", null, "none"],
    ["boot.timeout", 180, "180"],
    ["kexec.allow", true, "true"],
    ["poe.reboots", false, "false"],
    ["lldp.explore", null, "<unspecified>"],
    ["snmp.version", null, "<unspecified>"],
    ["snmp.version", 2, "2"],
    ["ram", "1G", "1G"],
    ["not.a.setting", true, "True"],
  ];
  test.each(shown)("%s=%j is displayed as %j", (setting, value, text) => {
    expect(showValue(setting, value)).toBe(text);
  });
});
