import { describe, expect, test } from "bun:test";
import type { DeviceWithNode } from "./repo.ts";
import { resolveNodeSet, resolveSet, splitOwnership } from "./sets.ts";

function dev(name: string, type: DeviceWithNode["type"], image?: string, conf: DeviceWithNode["conf"] = {}): DeviceWithNode {
  const mac = `52:54:00:00:00:${name.length.toString(16).padStart(2, "0")}${name}`;
  return { mac, ip: null, name, type, model: "pc-x86-64", virtual: true, conf, createdUs: 0, node: image ? { mac, image, bootState: "unknown", bootStateUs: 0 } : undefined };
}

const ALL = [
  dev("walt-server", "server"),
  dev("sw1", "switch", undefined, { "lldp.explore": true }),
  dev("sw2", "switch"),
  dev("mine2", "node", "alice/img:latest"),
  dev("mine1", "node", "alice/img:latest"),
  dev("free1", "node", "waltplatform/pc-x86-64-default:latest"),
  dev("bobs", "node", "bob/x:latest"),
  dev("unk", "unknown"),
];
const names = (d: DeviceWithNode[]) => d.map((x) => x.name);

describe("device sets", () => {
  test.each([
    ["my-nodes", ["mine1", "mine2"]],
    [undefined, ["mine1", "mine2"]],
    ["free-nodes", ["free1"]],
    ["all-nodes", ["bobs", "free1", "mine1", "mine2"]],
    ["all-switches", ["sw1", "sw2"]],
    ["explorable-switches", ["sw1"]],
    ["server", ["walt-server"]],
    ["mine1,free1,mine1", ["free1", "mine1"]],
    ["my-nodes,server", ["mine1", "mine2", "walt-server"]],
  ])("resolves %p", (set, expected) => {
    expect(names(resolveSet(ALL, "alice", set as string | undefined))).toEqual(expected);
  });

  test("all-devices covers every device", () => {
    expect(resolveSet(ALL, "alice", "all-devices")).toHaveLength(ALL.length);
  });

  test("an unknown name gives WALT's message", () => {
    expect(() => resolveSet(ALL, "alice", "mine1,nope")).toThrow("No device with name 'nope' found.");
  });

  test("an empty result gives WALT's message unless allowed", () => {
    expect(() => resolveSet(ALL, "carol", "my-nodes")).toThrow("No matching devices found! (tip: walt help show node-ownership)");
    expect(resolveSet(ALL, "carol", "my-nodes", { allowEmpty: true })).toEqual([]);
  });

  test("devices outside an allowed set are refused", () => {
    expect(() => resolveSet(ALL, "alice", "sw1", { allowed: "server,all-nodes" })).toThrow("Invalid value 'sw1'; allowed devices belong to 'server,all-nodes'");
  });

  test("node sets refuse other device types", () => {
    expect(() => resolveNodeSet(ALL, "alice", "mine1,sw2")).toThrow("sw2 is not a node, it is a switch.");
  });

  test("ownership splits owned, free, not owned and non-nodes", () => {
    expect(splitOwnership(resolveSet(ALL, "alice", "all-devices"), "alice")).toEqual({
      owned: ["mine1", "mine2"].sort(),
      free: ["free1"],
      notOwned: ["bobs"],
      notNodes: ["sw1", "sw2", "unk", "walt-server"],
    });
  });
});
