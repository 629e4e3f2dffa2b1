import { describe, expect, test } from "bun:test";
import { parseVnodeDisks, parseVnodeNetworks, type NetworkRestrictions, type VnodeDisk } from "./vnode-values.ts";

const TEMPLATES = "Disk template must be one of: none ext4 fat32 hybrid-boot-v hybrid-boot-p";

describe("disks values", () => {
  const accepted: [string, VnodeDisk[]][] = [
    ["none", []],
    ["8G", [{ capacityGB: 8, template: "none" }]],
    ["1T", [{ capacityGB: 1000, template: "none" }]],
    [
      "8G[template=ext4],2T[template=hybrid-boot-p]",
      [
        { capacityGB: 8, template: "ext4" },
        { capacityGB: 2000, template: "hybrid-boot-p" },
      ],
    ],
    ["32G[template=fat32]", [{ capacityGB: 32, template: "fat32" }]],
  ];
  test.each(accepted)("accepts %j", (value, expected) => {
    expect(parseVnodeDisks(value)).toEqual({ ok: true, value: expected });
  });

  const refused: [string, string][] = [
    ["8", "Could not parse disks value '8'."],
    ["8M", "Could not parse disks value '8M'."],
    ["", "Could not parse disks value ''."],
    ["NONE", "Could not parse disks value 'NONE'."],
    ["8G[template=xfs]", TEMPLATES],
    ["8G[size=3]", "'size=3' is not a valid disk option."],
    ["8G[]", "'' is not a valid disk option."],
    ["8G[template=]", "'template=' is not a valid disk option."],
    // WALT splits on commas first: the first spec loses its last character ("ext4" -> "ext")
    ["8G[template=ext4,x]", TEMPLATES],
    ["8G[a[b]", "Could not parse disks value '8G[a[b]'."],
  ];
  test.each(refused)("refuses %j with %j", (value, error) => {
    expect(parseVnodeDisks(value)).toEqual({ ok: false, error });
  });
});

describe("networks values", () => {
  const accepted: [string, Record<string, NetworkRestrictions>][] = [
    ["walt-net", { "walt-net": {} }],
    ["walt-net,ext-net", { "walt-net": {}, "ext-net": {} }],
    ["walt-net[lat=5ms,bw=100Mbps]", { "walt-net": { lat_us: 5000, bw_Mbps: 100 } }],
    ["walt-net[LAT=7US],b[BW=2gbps]", { "walt-net": { lat_us: 7 }, b: { bw_Mbps: 2000 } }],
    ["a[lat=1us],walt-net[bw=1Gbps]", { a: { lat_us: 1 }, "walt-net": { bw_Mbps: 1000 } }],
  ];
  test.each(accepted)("accepts %j", (value, expected) => {
    expect(parseVnodeNetworks(value)).toEqual({ ok: true, value: expected });
  });

  const refused: [string, string][] = [
    ["Walt-net", "Could not parse networks value 'Walt-net'."],
    ["walt-net,", "Could not parse networks value 'walt-net,'."],
    ["walt_net", "Could not parse networks value 'walt_net'."],
    ["walt-net[lat=5s]", "'lat=5s' is not a valid network resource restriction."],
    ["walt-net[bw=1kbps]", "'bw=1kbps' is not a valid network resource restriction."],
    ["walt-net[]", "'' is not a valid network resource restriction."],
    ["other", "Mandatory network 'walt-net' is missing from specified networks."],
    ["walt-net,walt-net", "Specifying twice the same network name is not allowed."],
  ];
  test.each(refused)("refuses %j with %j", (value, error) => {
    expect(parseVnodeNetworks(value)).toEqual({ ok: false, error });
  });
});
