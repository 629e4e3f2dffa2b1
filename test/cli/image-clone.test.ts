/**
 * `walt image clone` (WALT §1.5, §4.5) against a real registry (Debian's docker-registry on loopback):
 * round trip digests, link forms, naming, overwrite rules, refusals, unreachable and 401 registries.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync } from "node:fs";
import type { RegistryConfig } from "../../server/config/config.ts";
import { pushImage, storeImage } from "../helpers/oci-image.ts";
import { startRegistry, type TestRegistry } from "../helpers/registry.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { waitFor } from "../helpers/wait-for.ts";

let reg: TestRegistry;
let secure: TestRegistry;
let tinyDigest: string;
const AUTH = { username: "alice-remote", password: "s3cret" };

beforeAll(async () => {
  [reg, secure] = await Promise.all([startRegistry(), startRegistry({ auth: AUTH })]);
  tinyDigest = await pushImage(reg.url, "walt/tiny", "latest", { layers: [{ "etc/a": "a\n" }, { "etc/b": "b\n" }] });
  await pushImage(reg.url, "walt/tiny", "v2", { layers: [{ "etc/v2": "2\n" }] });
  await pushImage(reg.url, "walt/my_image", "latest");
  await pushImage(reg.url, "walt/rpi", "latest", { labels: { "walt.node.models": "rpi-b,rpi-2-b" } });
  await pushImage(reg.url, "walt/nolabel", "latest", { labels: { other: "x" } });
  await pushImage(secure.url, "team/private", "latest", {}, AUTH);
});
afterAll(async () => {
  await Promise.all([reg[Symbol.asyncDispose](), secure[Symbol.asyncDispose]()]);
});

/** A registry entry of the server config for a test registry. */
export function registryEntry(label: string, url: string, auth: "none" | "basic" = "none"): RegistryConfig {
  const u = new URL(url);
  return { label, api: "docker-registry-v2", host: u.hostname, port: Number(u.port), protocol: "http", auth, description: `test registry ${label}` };
}

async function server(): Promise<TestServer> {
  const s = await startTestServer();
  s.ctx.config.registries = [registryEntry("local", reg.url), registryEntry("secure", secure.url, "basic")];
  return s;
}

const ok = (name: string, downloaded: string): string => `Downloading ${downloaded}... done.\nImage "${name}" was cloned successfully (cf. walt image show).\n`;

describe("walt image clone from a registry", () => {
  test("pulls the image into the working set: same manifest digest as pushed, then it shows", async () => {
    await using s = await server();
    expect(await s.cli("alice", ["image", "clone", "local:walt/tiny"])).toEqual({ code: 0, out: ok("tiny", "walt/tiny:latest"), err: "" });
    expect(await s.ctx.images.resolve("alice/tiny:latest")).toBe(tinyDigest);
    expect((await s.cli("alice", ["image", "show", "--names-only"])).out).toBe("tiny\n");
    // the layers unpack: the image is usable
    const root = await s.ctx.images.rootfs(tinyDigest);
    expect(await Bun.file(`${root}/etc/b`).text()).toBe("b\n");
  });

  test("a tag and a new name can be given", async () => {
    await using s = await server();
    expect(await s.cli("alice", ["image", "clone", "local:walt/tiny:v2", "mine:v2"])).toEqual({ code: 0, out: ok("mine:v2", "walt/tiny:v2"), err: "" });
    expect((await s.cli("alice", ["image", "show", "--names-only"])).out).toBe("mine:v2\n");
  });

  test("a remote name that is not valid in WALT is renamed, with WALT's notice", async () => {
    await using s = await server();
    expect(await s.cli("alice", ["image", "clone", "local:walt/my_image"])).toEqual({
      code: 0,
      out: 'Image will be recorded as "my-image:latest" since original name is not valid in WALT.\n' + ok("my-image", "walt/my_image:latest"),
      err: "",
    });
  });

  test("overwriting needs --force; nodes booting the overwritten image are rebooted", async () => {
    await using s = await server();
    expect((await s.cli("alice", ["image", "clone", "local:walt/tiny:v2", "tiny"])).code).toBe(0);
    await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1", image: "alice/tiny:latest" });
    expect(await s.cli("alice", ["image", "clone", "local:walt/tiny"])).toEqual({
      code: 1,
      out: "",
      err:
        "An image has the same name in your working set.\nThis operation would overwrite it (and reboot 1 node(s)).\n" +
        "If this is what you want, rerun with --force:\n$ walt image clone --force local:walt/tiny\n",
    });
    expect((await s.cli("alice", ["image", "clone", "local:walt/tiny:v2", "tiny"])).err).toEndWith("$ walt image clone --force local:walt/tiny:v2 tiny\n");
    expect(await s.cli("alice", ["image", "clone", "--force", "local:walt/tiny"])).toEqual({ code: 0, out: ok("tiny", "walt/tiny:latest"), err: "" });
    expect(await s.ctx.images.resolve("alice/tiny:latest")).toBe(tinyDigest);
    const logs = s.ctx.db.t.logs;
    const lines = await waitFor(async () => {
      const rows = (await s.ctx.db.orm.select({ line: logs.line }).from(logs)).filter((r) => r.line.includes("reboot"));
      return rows.length > 0 && rows.map((r) => r.line);
    }, "the platform log line");
    expect(lines).toEqual(["nodes vn1 should reboot (image change: alice/tiny:latest)"]);
  });

  test("an image in use is not overwritten by one incompatible with its nodes", async () => {
    await using s = await server();
    expect((await s.cli("alice", ["image", "clone", "local:walt/tiny"])).code).toBe(0);
    await s.register({ mac: "52:54:00:00:00:01", ip: "192.168.152.11", type: "node", model: "pc-x86-64", virtual: true, name: "vn1", image: "alice/tiny:latest" });
    expect(await s.cli("alice", ["image", "clone", "--force", "local:walt/rpi", "tiny"])).toEqual({
      code: 1,
      out: "",
      err:
        "Sorry, cannot proceed. there is an image with the same name in your\n" +
        "working set. overriding it is not allowed because it is currently\n" +
        "in use, and the target image is not compatible with node model pc-x86-64.\n",
    });
  });

  test("refusals: no such remote image, no walt.node.models label, a bad link, a bad name", async () => {
    await using s = await server();
    const clone = (...args: string[]): Promise<unknown> => s.cli("alice", ["image", "clone", ...args]);
    expect(await clone("local:walt/absent")).toEqual({ code: 1, out: "", err: "No such remote image. Use walt image search <keyword>.\n" });
    expect(await clone("local:walt/tiny:nope")).toEqual({ code: 1, out: "", err: "No such remote image. Use walt image search <keyword>.\n" });
    expect(await clone("local:walt/nolabel")).toEqual({ code: 1, out: "", err: "Failed. This remote image does not indicate compatible node models.\n" });
    const format = "Invalid clonable image link. Format must be:\n[docker|walt|local|secure]:<user>/<image_name>[:<tag>]\n(tip: walt image search [<keyword>])\n";
    for (const link of ["walt/tiny", "nowhere:walt/tiny", "local:tiny", "local:a/b/c", "local:walt/tiny:a:b"]) expect(await clone(link)).toEqual({ code: 1, out: "", err: format });
    expect(await clone("local:walt/tiny", "Bad")).toEqual({ code: 1, out: "", err: "Bad name: expected format is <name> or <name>:<tag>.\nOnly lowercase letters, digits and dash(-) characters are allowed in <name> and <tag>.\n" });
    expect(await clone("docker:walt/tiny")).toEqual({
      code: 1,
      out: "",
      err: "Cannot clone from the docker daemon: there is none on this WalT server.\nHint: push the image to a registry, then clone it from there\n",
    });
    expect(await s.ctx.images.list()).toEqual([]);
  });

  test("an unreachable registry is one clear line, exit 1", async () => {
    await using s = await server();
    const port = (() => {
      const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
      const p = l.port;
      l.stop(true);
      return p;
    })();
    s.ctx.config.registries = [registryEntry("gone", `http://127.0.0.1:${port}`)];
    expect(await s.cli("alice", ["image", "clone", "gone:walt/tiny"])).toEqual({ code: 1, out: "", err: `Cannot reach registry 127.0.0.1:${port}: connection refused.\n` });
  });

  test("a registry with basic auth: 401 without credentials, then the client config's credentials are used", async () => {
    await using s = await server();
    const host = new URL(secure.url).host;
    const hint = "Hint: set registries.secure.username and registries.secure.password in your walt client config (see: walt help show registries)\n";
    expect(await s.cli("alice", ["image", "clone", "secure:team/private"])).toEqual({ code: 1, out: "", err: `Registry ${host} requires credentials (HTTP 401).\n${hint}` });
    appendFileSync(await s.user("alice"), 'registries:\n  secure:\n    username: "alice-remote"\n    password: "wrong"\n');
    expect(await s.cli("alice", ["image", "clone", "secure:team/private"])).toEqual({ code: 1, out: "", err: `Registry ${host} refused the credentials (HTTP 401).\n${hint}` });
    appendFileSync(await s.user("bob"), `registries:\n  secure:\n    username: "${AUTH.username}"\n    password: "${AUTH.password}"\n`);
    expect(await s.cli("bob", ["image", "clone", "secure:team/private"])).toEqual({ code: 0, out: ok("private", "team/private:latest"), err: "" });
  });
});

describe("walt image clone walt:<user>/<image>", () => {
  test("another user's image is a tag copy; one's own image is refused; a missing one too", async () => {
    await using s = await server();
    const digest = await storeImage(s.ctx.images, "bob/tools:v1");
    expect(await s.cli("alice", ["image", "clone", "walt:bob/tools:v1"])).toEqual({ code: 0, out: 'Image "tools:v1" was cloned successfully (cf. walt image show).\n', err: "" });
    expect(await s.ctx.images.resolve("alice/tools:v1")).toBe(digest);
    expect(await s.cli("alice", ["image", "clone", "walt:alice/tools:v1"])).toEqual({
      code: 1,
      out: "",
      err: "Invalid clonable image link.\nImages of the form 'walt:alice/<image_name>' already belong to\nyour working set and thus are not clonable.\n",
    });
    expect(await s.cli("alice", ["image", "clone", "walt:alice/tools:v1", "copy"])).toEqual({ code: 0, out: 'Image "copy" was cloned successfully (cf. walt image show).\n', err: "" });
    expect(await s.cli("alice", ["image", "clone", "walt:bob/none"])).toEqual({ code: 1, out: "", err: "No such remote image. Use walt image search <keyword>.\n" });
  });
});
