import { describe, expect, test } from "bun:test";
import { parseSettingsArgs, planSettings, switchName } from "./apply.ts";
import { env, failure, rpi, server, sw, unknown, vnode } from "./test-fixtures.ts";
import type { FinalMessage, SettingsDevice } from "./types.ts";

const plan = (devices: SettingsDevice[], args: string[], all: SettingsDevice[] = devices) =>
  planSettings(devices, args, env(all, { "9999": "Address already in use" }));
const refusal = (devices: SettingsDevice[], args: string[]) => failure(() => plan(devices, args));

describe("argument parsing", () => {
  test("splits on the first equal sign, keeping the first position and the last value of a repeated name", () => {
    expect([...parseSettingsArgs(["a=1", "b=x=y", "a=2", "c="])]).toEqual([
      ["a", "2"],
      ["b", "x=y"],
      ["c", ""],
    ]);
  });

  const malformed: string[][] = [["ram"], ["ram=1G", "cpu.cores"]];
  test.each(malformed)("refuses %j", async (...args) => {
    expect(await failure(() => parseSettingsArgs(args))).toBe(
      "USAGE Please provide settings as `<setting name>=<setting value>` arguments.",
    );
  });
});

describe("errors", () => {
  const vn1 = vnode("vn1");
  const cases: [string, SettingsDevice[], string[], string][] = [
    ["an argument without '=' is refused before anything else", [sw("s")], ["nope", "ram=1G"], "USAGE Please provide settings as `<setting name>=<setting value>` arguments."],
    ["an unknown setting", [vn1], ["nope=1"], "USAGE Unknown setting 'nope'. See: 'walt help show device-config'"],
    ["an empty setting name", [vn1], ["=x"], "USAGE Unknown setting ''. See: 'walt help show device-config'"],
    ["a prototype property name is an unknown setting", [vn1], ["constructor=1"], "USAGE Unknown setting 'constructor'. See: 'walt help show device-config'"],
    ["checks run in command-line order (bad value first)", [vn1], ["ram=bad", "nope=1"], "USAGE Failed: 'bad' is not a valid value for ram (expecting for instance 512M or 1G)."],
    ["checks run in command-line order (unknown first)", [vn1], ["nope=1", "ram=bad"], "USAGE Unknown setting 'nope'. See: 'walt help show device-config'"],
    ["the category is checked before the value", [sw("sw1")], ["ram=bad"], "CONFLICT Failed: Device sw1 is not a node, so 'ram' setting is not supported."],
    ["a repeated setting is checked with its last value", [vn1], ["ram=1G", "ram=x"], "USAGE Failed: 'x' is not a valid value for ram (expecting for instance 512M or 1G)."],
    ["expose needs a single device", [vn1, vnode("vn2")], ["expose=80:8080"], "CONFLICT Failed: cannot expose the same server port for several devices."],
    ["expose bind failures are reported", [vn1], ["expose=80:9999"], "CONFLICT Failed: cannot use server port '9999': Address already in use."],
    ["switch settings need switches", [unknown("u")], ["snmp.version=2"], "CONFLICT Failed: device u is not a switch, so 'snmp.version' setting cannot be applied."],
    ["type=switch only relaxes switch settings when its value is switch", [unknown("u")], ["snmp.version=2", "type=node"], "CONFLICT Failed: device u is not a switch, so 'snmp.version' setting cannot be applied."],
    ["with type=switch, the type setting still requires unknown devices", [sw("sw1")], ["lldp.explore=false", "type=switch"], "CONFLICT Failed: setting 'type' can only be applied to unknown devices."],
    ["the server has no settings", [server()], ["netsetup=NAT"], "CONFLICT Failed: walt-server is the WALT server."],
  ];
  test.each(cases)("%s", async (_what, devices, args, outcome) => {
    expect(await refusal(devices, args)).toBe(outcome);
  });

  test("nothing is planned when a later setting fails (all or nothing)", async () => {
    const devices = [vnode("vn1"), rpi("rpi1")];
    expect(await refusal(devices, ["boot.retries=3", "kexec.allow=false", "ram=1G"])).toBe(
      "CONFLICT Failed: Node rpi1 is not virtual, so 'ram' setting is not supported.",
    );
  });
});

describe("plans", () => {
  test("values are converted and merged into each stored conf", async () => {
    const vn1 = vnode("vn1", { mac: "m1", conf: { ram: "1G", netsetup: 1 } });
    const vn2 = vnode("vn2", { mac: "m2" });
    const p = await plan([vn1, vn2], ["cpu.cores=2", "boot.timeout=none", "kexec.allow=FALSE", "netsetup=lan", "boot.delay=5"]);
    const applied = { "cpu.cores": 2, "boot.timeout": null, "kexec.allow": false, netsetup: 0, "boot.delay": "5" };
    expect(p.applied).toEqual(applied);
    expect(p.updates).toEqual([
      { mac: "m1", conf: { ram: "1G", netsetup: 0, "cpu.cores": 2, "boot.timeout": null, "kexec.allow": false, "boot.delay": "5" } },
      { mac: "m2", conf: applied },
    ]);
    expect(p.messages).toEqual([]);
  });

  const finals: [string, SettingsDevice[], string[], FinalMessage][] = [
    ["no reboot needed", [vnode("vn1")], ["boot.retries=2", "kexec.allow=true"], "Done."],
    ["a reboot needed on nodes", [vnode("vn1")], ["ram=1G", "boot.retries=3"], "Done. Reboot node(s) to see new settings in effect."],
    ["mount.persist needs a reboot", [rpi("rpi1")], ["mount.persist=false"], "Done. Reboot node(s) to see new settings in effect."],
    ["a reboot needed on other devices", [vnode("vn1"), sw("sw1")], ["netsetup=NAT"], "Done. Reboot device(s) to see new settings in effect."],
    ["no setting at all", [vnode("vn1")], [], "Done."],
  ];
  test.each(finals)("the final message reflects %s", async (_what, devices, args, message) => {
    expect((await plan(devices, args)).finalMessage).toBe(message);
  });

  test("switch settings apply to unknown devices converted on the same line, renamed when still named unknown", async () => {
    const u1 = unknown("unknown-ddeeff", { mac: "aa:bb:cc:dd:ee:ff" });
    const u2 = unknown("printer", { mac: "aa:bb:cc:11:22:33" });
    const taken = sw("switch-ddeeff");
    const args = ["type=switch", "lldp.explore=true", "snmp.version=2", "snmp.community=p"];
    const p = await plan([u1, u2], args, [u1, u2, taken]);
    const conf = { "lldp.explore": true, "snmp.version": 2, "snmp.community": "p" };
    expect(p.updates).toEqual([
      { mac: u1.mac, conf, type: "switch", rename: { from: "unknown-ddeeff", to: "switch-ddeeff-2" } },
      { mac: u2.mac, conf, type: "switch" },
    ]);
    expect(p.messages).toEqual(["Renaming unknown-ddeeff to switch-ddeeff-2 for clarity."]);
    expect(p.finalMessage).toBe("Done.");
  });

  test("generated switch names skip names already taken, including those given in the same plan", async () => {
    expect(switchName("aa:bb:cc:dd:ee:ff", new Set())).toBe("switch-ddeeff");
    expect(switchName("aa:bb:cc:dd:ee:ff", new Set(["switch-ddeeff", "switch-ddeeff-2"]))).toBe("switch-ddeeff-3");
    const twins = [unknown("unknown-1", { mac: "00:00:00:dd:ee:ff" }), unknown("unknown-2", { mac: "11:11:11:dd:ee:ff" })];
    const p = await plan(twins, ["type=switch"]);
    expect(p.updates.map((u) => u.rename?.to)).toEqual(["switch-ddeeff", "switch-ddeeff-2"]);
  });
});
