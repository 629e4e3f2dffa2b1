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

  test("registries default to WALT's docker hub entry; default images live in the data dir", () => {
    const c = resolveConfig({}, { dataDir: "/srv/w" });
    expect(c.registries).toEqual([{ label: "hub", api: "docker-hub", port: 443, protocol: "https", auth: "basic", description: "Public registry at hub.docker.com" }]);
    expect(c.defaultImagesDir).toBe("/srv/w/default-images");
    expect(resolveConfig(parseConfigText("default-images: /opt/walt-images\n", "x.conf"), {}).defaultImagesDir).toBe("/opt/walt-images");
  });

  test("registry entries get WALT's defaults (port 443, https, basic auth) and keep their order", () => {
    const f = parseConfigText(
      [
        "registries:",
        "  - label: lab",
        "    api: docker-registry-v2",
        "    host: registry.lab",
        "  - label: local",
        "    api: docker-registry-v2",
        "    host: 127.0.0.1",
        "    port: 5000",
        "    protocol: http",
        "    auth: none",
        "    description: the lab's cache",
        "  - label: hub",
        "    api: docker-hub",
        "",
      ].join("\n"),
      "x.conf",
    );
    expect(resolveConfig(f, {}).registries).toEqual([
      { label: "lab", api: "docker-registry-v2", host: "registry.lab", port: 443, protocol: "https", auth: "basic", description: "Private registry at registry.lab:443" },
      { label: "local", api: "docker-registry-v2", host: "127.0.0.1", port: 5000, protocol: "http", auth: "none", description: "the lab's cache" },
      { label: "hub", api: "docker-hub", port: 443, protocol: "https", auth: "basic", description: "Public registry at hub.docker.com" },
    ]);
    expect(resolveConfig(parseConfigText("registries: []\n", "x.conf"), {}).registries).toEqual([]);
  });

  test("bad registry entries are refused, naming the entry", () => {
    expect(() => parseConfigText("registries:\n  - label: x\n    api: jfrog-artifactory\n    host: h\n", "x.conf")).toThrow("Invalid setting 'registries.0.api' in x.conf");
    expect(() => parseConfigText("registries:\n  - label: walt\n    api: docker-hub\n", "x.conf")).toThrow("'walt' and 'docker' are reserved");
    expect(() => parseConfigText("registries:\n  - label: Lab\n    api: docker-hub\n", "x.conf")).toThrow("registries.0.label");
    expect(() => parseConfigText("registries:\n  - label: a\n    api: docker-hub\n    colour: red\n", "x.conf")).toThrow("registries.0");
    expect(() => parseConfigText("registries:\n  - label: a\n    api: docker-registry-v2\n    host: h\n    protocol: ftp\n", "x.conf")).toThrow("registries.0.protocol");
    const twice = parseConfigText("registries:\n  - label: a\n    api: docker-hub\n  - label: a\n    api: docker-registry-v2\n    host: h\n", "x.conf");
    expect(() => resolveConfig(twice, {})).toThrow("Invalid setting 'registries.1.label': registry label 'a' is used twice.");
    const noHost = parseConfigText("registries:\n  - label: a\n    api: docker-registry-v2\n", "x.conf");
    expect(() => resolveConfig(noHost, {})).toThrow("Invalid setting 'registries.0.host': a docker-registry-v2 registry needs a host.");
    const hubHost = parseConfigText("registries:\n  - label: hub\n    api: docker-hub\n    host: h\n", "x.conf");
    expect(() => resolveConfig(hubHost, {})).toThrow("the docker hub's host, port and protocol cannot be changed");
  });

  test("network boot keys: netboot auto/true/false, virtual-node accelerator and bootloader, agent binary", () => {
    const d = resolveConfig({}, {});
    expect(d.netboot).toBe("auto");
    expect(d.vnodes).toEqual({ accel: "auto", bootloader: "emulated" });
    expect(d.agentBinary).toBeUndefined();
    const c = resolveConfig(parseConfigText("netboot: false\nvirtual-nodes:\n  accel: tcg\n  bootloader: pxe\nagent-binary: /opt/walt\n", "x.conf"), {});
    expect(c.netboot).toBe("off");
    expect(c.vnodes).toEqual({ accel: "tcg", bootloader: "pxe" });
    expect(c.agentBinary).toBe("/opt/walt");
    expect(resolveConfig(parseConfigText("netboot: true\n", "x.conf"), {}).netboot).toBe("on");
    expect(() => parseConfigText("netboot: sometimes\n", "x.conf")).toThrow("Invalid setting 'netboot' in x.conf");
    expect(() => parseConfigText("virtual-nodes:\n  accel: hvf\n", "x.conf")).toThrow("virtual-nodes.accel");
  });
});
