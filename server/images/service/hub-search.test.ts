/**
 * The docker hub's WALT index images (`<user>/walt_metadata`), against a real registry standing in for the
 * hub: requests to registry-1.docker.io are routed to it, the hub's search API is answered by the test.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SearchEvent } from "../../../src/api/images.ts";
import { silentLogger } from "../../../src/log.ts";
import { startRegistry, type TestRegistry } from "../../../test/helpers/registry.ts";
import { startTestServer } from "../../../test/helpers/server.ts";
import { DEFAULT_REGISTRIES } from "../../config/config.ts";
import { RegistryClient, type FetchFn } from "../registry/index.ts";
import { addToUserMetadata, hubImages, HUB_SEARCH_URL, readUserMetadata } from "./hub-search.ts";
import { ImageService } from "./service.ts";

let reg: TestRegistry;
const HUB = DEFAULT_REGISTRIES[0] ?? (undefined as never);

beforeAll(async () => {
  reg = await startRegistry();
  const local = new RegistryClient({ baseUrl: reg.url });
  await addToUserMetadata(local, "bob", "bob/tools:latest", { "walt.node.models": "pc-x86-64" });
  await addToUserMetadata(local, "bob", "bob/rpi:v2", { "walt.node.models": "rpi-b,rpi-2-b" });
  await addToUserMetadata(local, "carol", "carol/x:latest", { "walt.node.models": "pc-x86-32" });
});
afterAll(async () => {
  await reg[Symbol.asyncDispose]();
});

/** The hub search API answers `users` (two pages); the hub's registry is the test registry. */
function hubFetch(users: string[]): FetchFn {
  return async (url, init) => {
    if (url.startsWith(HUB_SEARCH_URL)) {
      const page = Number(new URL(url).searchParams.get("page"));
      const results = page === 1 ? users.slice(0, 1) : users.slice(1);
      return Response.json({ num_pages: 2, results: [...results.map((u) => ({ name: `${u}/walt_metadata` })), { name: "someone/unrelated" }] });
    }
    return fetch(url.replace("https://registry-1.docker.io", reg.url), init);
  };
}

describe("docker hub index images", () => {
  test("publishing adds an image to its owner's index, keeping the others", async () => {
    const meta = await readUserMetadata(new RegistryClient({ baseUrl: reg.url }), "bob");
    expect(meta).toEqual({
      "walt.user.images": {
        "bob/tools:latest": { labels: { "walt.node.models": "pc-x86-64" } },
        "bob/rpi:v2": { labels: { "walt.node.models": "rpi-b,rpi-2-b" } },
      },
    });
    expect(await readUserMetadata(new RegistryClient({ baseUrl: reg.url }), "nobody")).toEqual({ "walt.user.images": {} });
  });

  test("search finds the users through the hub's search API, then their images through their index", async () => {
    const found = await hubImages(HUB, { registries: [HUB], credentials: {}, log: silentLogger, fetch: hubFetch(["bob", "carol", "nobody"]) }, new AbortController().signal);
    expect(found).toEqual([
      { user: "bob", nameTag: "rpi:v2", labels: { "walt.node.models": "rpi-b,rpi-2-b" } },
      { user: "bob", nameTag: "tools:latest", labels: { "walt.node.models": "pc-x86-64" } },
      { user: "carol", nameTag: "x:latest", labels: { "walt.node.models": "pc-x86-32" } },
    ]);
  });

  test("walt image search lists them as docker hub images; an unreachable hub is skipped with WALT's warning", async () => {
    await using s = await startTestServer();
    s.ctx.config.registries = [HUB];
    const run = async (fetchFn: FetchFn): Promise<SearchEvent[]> => {
      const out: SearchEvent[] = [];
      for await (const e of new ImageService(s.ctx, { fetch: fetchFn }).search("carol", "hub:", {}, new AbortController().signal)) out.push(e);
      return out;
    };
    expect(await run(hubFetch(["bob", "carol"]))).toEqual([
      { kind: "match", user: "bob", name: "rpi:v2", location: "docker hub", models: ["rpi-b", "rpi-2-b"], link: "hub:bob/rpi:v2" },
      { kind: "match", user: "bob", name: "tools", location: "docker hub", models: ["pc-x86-64"], link: "hub:bob/tools" },
      { kind: "match", user: "carol", name: "x", location: "docker hub", models: ["pc-x86-32"], link: "hub:carol/x" },
    ]);
    expect(await run(() => Promise.reject(new Error("getaddrinfo ENOTFOUND index.docker.io")))).toEqual([
      { kind: "warning", text: "Ignoring hub registry because of a communication failure." },
    ]);
  });
});
