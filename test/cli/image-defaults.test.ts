/**
 * Default images (WALT §1.4, §4.4): imported from the default-images directory at server start, updated by
 * `walt advanced update-default-images` from that directory and from the configured registries.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { silentLogger } from "../../src/log.ts";
import { resolveConfig, type RegistryConfig } from "../../server/config/config.ts";
import { startServer } from "../../server/server.ts";
import { pushImage, storeImage, writeLayoutImage } from "../helpers/oci-image.ts";
import { startRegistry, type TestRegistry } from "../helpers/registry.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { tempDir } from "../helpers/tmp.ts";
import { waitFor } from "../helpers/wait-for.ts";

const PC = "waltplatform/pc-x86-64-default:latest";
let reg: TestRegistry;

beforeAll(async () => {
  reg = await startRegistry();
});
afterAll(async () => {
  await reg[Symbol.asyncDispose]();
});

function entry(label: string, url: string): RegistryConfig {
  const u = new URL(url);
  return { label, api: "docker-registry-v2", host: u.hostname, port: Number(u.port), protocol: "http", auth: "none", description: label };
}

async function server(dir: string, registries: RegistryConfig[] = []): Promise<TestServer> {
  const s = await startTestServer();
  s.ctx.config.defaultImagesDir = dir;
  s.ctx.config.registries = registries;
  return s;
}

const rebootLines = (s: TestServer): Promise<string[]> =>
  waitFor(async () => {
    const logs = s.ctx.db.t.logs;
    const rows = (await s.ctx.db.orm.select({ line: logs.line }).from(logs)).filter((r) => r.line.includes("reboot"));
    return rows.length > 0 && rows.map((r) => r.line);
  }, "a reboot log line");

describe("default images at server start", () => {
  test("the server imports the default-images directory; a free node's image is then in the store", async () => {
    using dir = tempDir();
    using data = tempDir();
    const digest = await writeLayoutImage(join(dir.path, "debian"), PC);
    const config = resolveConfig({ "default-images": dir.path }, { dataDir: data.path, port: 0, listen: "127.0.0.1" });
    const srv = await startServer(config, silentLogger);
    try {
      expect(await srv.ctx.images.resolve(PC)).toBe(digest);
    } finally {
      await srv.stop();
    }
  });
});

describe("walt advanced update-default-images", () => {
  test("imports newer versions from the directory, reboots the nodes booting them, then has nothing to do", async () => {
    using dir = tempDir();
    await using s = await server(dir.path);
    await storeImage(s.ctx.images, PC, { created: "2024-01-01T00:00:00Z" });
    await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1" });
    const layout = join(dir.path, "debian");
    const newer = await writeLayoutImage(layout, PC, { created: "2024-02-01T00:00:00Z", layers: [{ v: "2" }] });
    expect(await s.cli("alice", ["advanced", "update-default-images"])).toEqual({
      code: 0,
      out: `Checking remote registries...\nUpdating ${PC} using a newer version from ${layout}...\n`,
      err: "",
    });
    expect(await s.ctx.images.resolve(PC)).toBe(newer);
    expect(await rebootLines(s)).toEqual([`nodes vn1 should reboot (image change: ${PC})`]);
    expect(await s.cli("alice", ["advanced", "update-default-images"])).toEqual({ code: 0, out: "Checking remote registries...\nNo updates available.\n", err: "" });
  });

  test("pulls a newer version from a registry; an unreachable registry is skipped with WALT's warning", async () => {
    using dir = tempDir();
    const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = l.port;
    l.stop(true);
    await using s = await server(dir.path, [entry("gone", `http://127.0.0.1:${port}`), entry("local", reg.url)]);
    await storeImage(s.ctx.images, PC, { created: "2024-01-01T00:00:00Z" });
    const pushed = await pushImage(reg.url, "waltplatform/pc-x86-64-default", "latest", { created: "2024-03-01T00:00:00Z", layers: [{ v: "3" }] });
    expect(await s.cli("alice", ["advanced", "update-default-images"])).toEqual({
      code: 0,
      out: `Checking remote registries...\nUpdating ${PC} using a newer version from local...\nDownloading ${PC}... done.\n`,
      err: "Ignoring gone registry because of a communication failure.\n",
    });
    expect(await s.ctx.images.resolve(PC)).toBe(pushed);
  });
});
