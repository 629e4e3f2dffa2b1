/** `walt image publish` (WALT §1.5, §4.10) to a real registry: registry choice, round trip, credentials, failures. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync } from "node:fs";
import type { RegistryConfig } from "../../server/config/config.ts";
import { storeImage } from "../helpers/oci-image.ts";
import { startRegistry, type TestRegistry } from "../helpers/registry.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let reg: TestRegistry;
let secure: TestRegistry;
const AUTH = { username: "alice-remote", password: "s3cret" };

beforeAll(async () => {
  [reg, secure] = await Promise.all([startRegistry(), startRegistry({ auth: AUTH })]);
});
afterAll(async () => {
  await Promise.all([reg[Symbol.asyncDispose](), secure[Symbol.asyncDispose]()]);
});

function entry(label: string, url: string, auth: "none" | "basic" = "none", description = `registry ${label}`): RegistryConfig {
  const u = new URL(url);
  return { label, api: "docker-registry-v2", host: u.hostname, port: Number(u.port), protocol: "http", auth, description };
}

async function server(registries: RegistryConfig[]): Promise<TestServer> {
  const s = await startTestServer();
  s.ctx.config.registries = registries;
  return s;
}

describe("walt image publish", () => {
  test("pushes the image; cloning it back (another server) gives the same digest", async () => {
    await using s = await server([entry("local", reg.url)]);
    const digest = await storeImage(s.ctx.images, "alice/tiny:latest", { layers: [{ a: "1" }, { b: "2" }] });
    expect(await s.cli("alice", ["image", "publish", "tiny"])).toEqual({
      code: 0,
      out: "Pushing alice/tiny:latest... done.\nOK, image was published at:\nlocal:alice/tiny\n",
      err: "",
    });
    await using other = await server([entry("local", reg.url)]);
    expect((await other.cli("bob", ["image", "clone", "local:alice/tiny"])).code).toBe(0);
    expect(await other.ctx.images.resolve("bob/tiny:latest")).toBe(digest);
    // a tag is kept in the link
    await storeImage(s.ctx.images, "alice/tiny:v3", { layers: [{ c: "3" }] });
    expect((await s.cli("alice", ["image", "publish", "--registry", "local", "tiny:v3"])).out).toEndWith("\nlocal:alice/tiny:v3\n");
  });

  test("no registry, several registries with auto, an unknown registry: WALT's messages, exit 1", async () => {
    await using s = await server([]);
    await storeImage(s.ctx.images, "alice/tiny:latest");
    expect(await s.cli("alice", ["image", "publish", "tiny"])).toEqual({ code: 1, out: "Sorry, no image registry is configured on this platform.\n", err: "" });
    s.ctx.config.registries = [entry("local", reg.url, "none", "Our lab's registry"), entry("secure", secure.url, "basic", "Private one")];
    const table = "Registry  Description       \n--------  ------------------\nlocal     Our lab's registry\nsecure    Private one       ";
    expect(await s.cli("alice", ["image", "publish", "tiny"])).toEqual({
      code: 1,
      out: `Several image registries are configured on this platform:\n\n${table}\n\nPlease specify the target registry by using option '--registry'.\n`,
      err: "",
    });
    expect(await s.cli("alice", ["image", "publish", "--registry", "hub", "tiny"])).toEqual({
      code: 1,
      out: `Invalid registry 'hub'.\nThe following registries are available:\n\n${table}\n`,
      err: "",
    });
    expect(await s.cli("alice", ["image", "publish", "--registry", "local", "nope"])).toEqual({ code: 1, out: "", err: "Error: No such image 'nope'. (tip: walt image show)\n" });
  });

  test("a basic-auth registry publishes under the registry account, with the client config's credentials", async () => {
    await using s = await server([entry("secure", secure.url, "basic")]);
    await storeImage(s.ctx.images, "alice/tiny:latest");
    const hint = "Hint: set registries.secure.username and registries.secure.password in your walt client config (see: walt help show registries)\n";
    expect(await s.cli("alice", ["image", "publish", "tiny"])).toEqual({ code: 1, out: "", err: `Credentials for access to "secure" registry are missing.\n${hint}` });
    appendFileSync(await s.user("alice"), `registries:\n  secure:\n    username: "${AUTH.username}"\n    password: "nope"\n`);
    const refused = await s.cli("alice", ["image", "publish", "tiny"]);
    expect(refused).toEqual({ code: 1, out: "", err: `Registry ${new URL(secure.url).host} refused the credentials (HTTP 401).\n${hint}` });
    appendFileSync(await s.user("bob"), `registries:\n  secure:\n    username: "${AUTH.username}"\n    password: "${AUTH.password}"\n`);
    await storeImage(s.ctx.images, "bob/tiny:latest");
    expect(await s.cli("bob", ["image", "publish", "tiny"])).toEqual({
      code: 0,
      out: "Pushing bob/tiny:latest... done.\nOK, image was published at:\nsecure:alice-remote/tiny\n",
      err: "",
    });
  });

  test("an unreachable registry: WALT's failure line, the reason as hint, exit 1", async () => {
    const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = l.port;
    l.stop(true);
    await using s = await server([entry("gone", `http://127.0.0.1:${port}`)]);
    await storeImage(s.ctx.images, "alice/tiny:latest");
    expect(await s.cli("alice", ["image", "publish", "tiny"])).toEqual({
      code: 1,
      out: "",
      err: `Failed to communicate with gone registry. Aborted.\nHint: Cannot reach registry 127.0.0.1:${port}: connection refused.\n`,
    });
  });
});
