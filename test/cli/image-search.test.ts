/** `walt image search [keyword]` (WALT §1.5, §4.6): other users' images and a real registry's catalog. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { RegistryConfig } from "../../server/config/config.ts";
import { pushImage, storeImage } from "../helpers/oci-image.ts";
import { startRegistry, type TestRegistry } from "../helpers/registry.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let reg: TestRegistry;

beforeAll(async () => {
  reg = await startRegistry();
  await pushImage(reg.url, "walt/tiny", "latest", { labels: { "walt.node.models": "rpi-b,rpi-2-b,rpi-3-b" } });
  await pushImage(reg.url, "walt/tiny", "v2", { layers: [{ v: "2" }] });
  await pushImage(reg.url, "walt/nolabel", "latest", { labels: { other: "x" } });
  await pushImage(reg.url, "solo", "latest");
  await pushImage(reg.url, "team/sub/deep", "latest");
});
afterAll(async () => {
  await reg[Symbol.asyncDispose]();
});

function entry(label: string, url: string): RegistryConfig {
  const u = new URL(url);
  return { label, api: "docker-registry-v2", host: u.hostname, port: Number(u.port), protocol: "http", auth: "none", description: label };
}

async function server(): Promise<TestServer> {
  const s = await startTestServer();
  s.ctx.config.registries = [entry("local", reg.url)];
  await storeImage(s.ctx.images, "bob/tools:v1", { labels: { "walt.node.models": "pc-x86-64,pc-x86-32" } });
  await storeImage(s.ctx.images, "alice/mine:latest");
  await storeImage(s.ctx.images, "carol/nomodels:latest", { labels: {} });
  return s;
}

const HEADER = ["User  Image name  Location           Compatibility    Clonable link     ", "----  ----------  -----------------  ---------------  ------------------"];

describe("walt image search", () => {
  test("lists other users' images and the registry's WALT images, not one's own nor unlabelled ones", async () => {
    await using s = await server();
    expect(await s.cli("alice", ["image", "search"])).toEqual({
      code: 0,
      out:
        [
          ...HEADER,
          "bob   tools:v1    walt (other user)  pc-x86-[64|32]   walt:bob/tools:v1 ",
          "walt  tiny        custom registry    rpi-[b|2-b|3-b]  local:walt/tiny   ",
          "walt  tiny:v2     custom registry    pc-x86-64        local:walt/tiny:v2",
        ].join("\n") + "\n",
      err: "",
    });
  });

  test("the keyword is a substring of the clonable link", async () => {
    await using s = await server();
    const r = await s.cli("alice", ["image", "search", "tiny:v2"]);
    expect(r.out.split("\n").slice(2)).toEqual(["walt  tiny:v2     custom registry  pc-x86-64      local:walt/tiny:v2", ""]);
    expect((await s.cli("alice", ["image", "search", "walt:"])).out).toContain("walt:bob/tools:v1");
    expect((await s.cli("alice", ["image", "search", "walt:"])).out).not.toContain("local:");
  });

  test("no match: WALT's message on stderr", async () => {
    await using s = await server();
    expect(await s.cli("alice", ["image", "search", "nothing-like-this"])).toEqual({ code: 0, out: "", err: "Sorry, no image could match your request.\n" });
  });

  test("an unreachable registry is skipped with WALT's warning; the other results remain", async () => {
    await using s = await server();
    const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = l.port;
    l.stop(true);
    s.ctx.config.registries = [entry("gone", `http://127.0.0.1:${port}`)];
    const r = await s.cli("alice", ["image", "search"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("Ignoring gone registry because of a communication failure.\n");
    expect(r.out).toContain("walt:bob/tools:v1");
  });
});
