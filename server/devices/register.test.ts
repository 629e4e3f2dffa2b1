import { describe, expect, test } from "bun:test";
import { cleanProposedName, generatedName, newDeviceLine } from "./register.ts";
import { startTestServer } from "../../test/helpers/server.ts";

describe("device registration", () => {
  test("proposed names keep the part before the first dot and dash other characters", () => {
    expect(cleanProposedName("rpi_kitchen.lan")).toBe("rpi-kitchen");
    expect(cleanProposedName("a  b!!c")).toBe("a-b-c");
  });

  test("generated names use the type and the last 6 hex digits, with a suffix on collision", () => {
    expect(generatedName("node", "52:54:00:AB:cd:EF", new Set())).toBe("node-abcdef");
    expect(generatedName("node", "52:54:00:ab:cd:ef", new Set(["node-abcdef", "node-abcdef-2"]))).toBe("node-abcdef-3");
  });

  test("the equipment log line follows WALT's format", () => {
    expect(newDeviceLine("node", "vn1", "pc-x86-64", "52:54:00:00:00:01", "192.168.152.2", false)).toBe(
      "new node name=vn1 model=pc-x86-64 mac=52:54:00:00:00:01 ip=192.168.152.2",
    );
    expect(newDeviceLine("unknown", "unknown-000001", null, "aa:bb:cc:00:00:01", null, false)).toBe(
      "new device name=unknown-000001 type=unknown mac=aa:bb:cc:00:00:01 ip=",
    );
    expect(newDeviceLine("switch", "switch-000001", null, "aa", "1.2.3.4", true)).toBe("new switch (device type previously unknown) name=switch-000001 mac=aa ip=1.2.3.4");
  });

  test("a new node boots its model's default image and is logged on platform.devices", async () => {
    await using s = await startTestServer();
    const d = await s.register({ mac: "52:54:00:12:34:56", ip: "192.168.152.9", type: "node", model: "pc-x86-64", virtual: true });
    expect(d.name).toBe("node-123456");
    expect(d.node?.image).toBe("waltplatform/pc-x86-64-default:latest");
    const logs = await s.cli("alice", ["log", "show", "--platform", "--history", "full", "--format", "{line}"]);
    expect(logs.out).toContain("new node name=node-123456 model=pc-x86-64 mac=52:54:00:12:34:56 ip=192.168.152.9");
  });

  test("an unknown device that turns out to be a node is converted and renamed", async () => {
    await using s = await startTestServer();
    await s.register({ mac: "aa:bb:cc:00:00:07", ip: "192.168.152.7", type: "unknown" });
    const d = await s.register({ mac: "aa:bb:cc:00:00:07", type: "node", model: "rpi-3-b" });
    expect(d.type).toBe("node");
    expect(d.name).toBe("node-000007");
    expect(d.node?.image).toBe("waltplatform/rpi-3-b-default:latest");
  });
});
