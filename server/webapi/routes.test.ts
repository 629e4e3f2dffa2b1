import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import type { WebApiNode } from "./nodes.ts";
import { webApiRoutes } from "./routes.ts";
import { addNode, testEnv, type TestEnv } from "./test-context.ts";

let env: TestEnv;
let app: Hono;
beforeEach(async () => {
  env = await testEnv();
  app = new Hono();
  webApiRoutes(app, env.ctx);
  await addNode(env, { mac: "52:54:00:00:00:10", name: "vnode1", image: "alice/pc:latest", ip: "192.168.152.10" });
  await addNode(env, { mac: "52:54:00:00:00:11", name: "vnode2", image: "alice/pc:latest", ip: "192.168.152.11", conf: { netsetup: 1 } });
});
afterEach(() => env.close());

const nodes = async (): Promise<WebApiNode[]> => {
  const res = await app.request("/api/v1/nodes");
  expect(res.status).toBe(200);
  return ((await res.json()) as { nodes: WebApiNode[] }).nodes;
};

describe("the web API wired with the settings module", () => {
  test("a node's config holds its settings with defaults and netsetup as LAN or NAT", async () => {
    const [n1, n2] = await nodes();
    const c1 = n1?.config as Record<string, unknown>;
    const c2 = n2?.config as Record<string, unknown>;
    expect(c1["netsetup"]).toBe("LAN");
    expect(c2["netsetup"]).toBe("NAT");
    // Defaults are included: both nodes expose the same setting names.
    expect(Object.keys(c1).length).toBeGreaterThan(1);
    expect(Object.keys(c1).sort()).toEqual(Object.keys(c2).sort());
  });

  test("every entrypoint answers without authentication", async () => {
    for (const path of ["/api", "/api/index.html", "/api/v1/nodes", "/api/v1/images", "/api/v1/logs?from=1340000000&to=1700000000"]) {
      expect((await app.request(path)).status).toBe(200);
    }
  });
});
