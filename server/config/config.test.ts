import { describe, expect, test } from "bun:test";
import { parseConfigText, resolveConfig } from "./config.ts";

describe("server config", () => {
  test("defaults give WALT's data dir, port 80 and SQLite", () => {
    const c = resolveConfig({}, {});
    expect(c.dataDir).toBe("/var/lib/walt");
    expect(c.http.port).toBe(80);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.waltNet).toEqual({ serverIp: "192.168.152.1", prefix: 24, rawDevice: null });
  });

  test("YAML file values are used and flags win over them", () => {
    const f = parseConfigText("data-dir: /srv/walt\nhttp:\n  port: 8080\ndatabase:\n  url: postgres://x@h/db\nnetwork:\n  walt-net:\n    ip: 10.1.0.1/16\n", "test.conf");
    const c = resolveConfig(f, { port: 9000 });
    expect(c.dataDir).toBe("/srv/walt");
    expect(c.http.port).toBe(9000);
    expect(c.databaseUrl).toBe("postgres://x@h/db");
    expect(c.waltNet.serverIp).toBe("10.1.0.1");
    expect(c.waltNet.prefix).toBe(16);
  });

  test("unknown keys and bad values are refused with the key named", () => {
    expect(() => parseConfigText("colour: blue\n", "x.conf")).toThrow("Invalid setting '(top level)' in x.conf");
    expect(() => parseConfigText("http:\n  port: 99999\n", "x.conf")).toThrow("Invalid setting 'http.port' in x.conf");
    expect(() => parseConfigText("network:\n  walt-net:\n    ip: 300.1.1.1\n", "x.conf")).toThrow("network.walt-net.ip");
  });

  test("unparsable text gives a one-line message", () => {
    expect(() => parseConfigText("a: [1, 2\n", "x.conf")).toThrow(/^Cannot parse x.conf/);
  });
});
