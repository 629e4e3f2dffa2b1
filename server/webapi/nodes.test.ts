import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { WebApiNode } from "./nodes.ts";
import { addNode, get, testEnv, type TestEnv } from "./test-context.ts";

let env: TestEnv;
type Nodes = { num_nodes: number; nodes: WebApiNode[] };
const nodes = async (query = ""): Promise<Nodes> => {
  const r = await get(env, `/api/v1/nodes${query}`);
  expect(r.status).toBe(200);
  const body = r.body as Nodes;
  expect(body.num_nodes).toBe(body.nodes.length);
  return body;
};

beforeEach(async () => {
  env = await testEnv();
  await addNode(env, { mac: "52:54:00:00:00:10", name: "vnode1", image: "waltplatform/pc-x86-64-default:latest", ip: "192.168.152.10" });
  await addNode(env, { mac: "52:54:00:00:00:11", name: "rpi1", image: "alice/rpi:latest", ip: "192.168.152.11", model: "rpi-3-b", virtual: false, conf: { netsetup: 1 } });
  await addNode(env, { mac: "52:54:00:00:00:12", name: "vnode2", image: "alice/pc:latest" });
  await env.ctx.status.setBooted("52:54:00:00:00:10");
});
afterEach(() => env.close());

describe("GET /api/v1/nodes", () => {
  test("lists every node, not the server, sorted by name", async () => {
    const body = await nodes();
    expect(body.nodes.map((n) => n.name)).toEqual(["rpi1", "vnode1", "vnode2"]);
  });

  test("each entry has exactly WALT's 8 keys in WALT's order", async () => {
    const { nodes: list } = await nodes();
    for (const n of list) expect(Object.keys(n)).toEqual(["name", "model", "virtual", "image", "booted", "ip", "mac", "config"]);
    expect(list[0]).toEqual({
      name: "rpi1",
      model: "rpi-3-b",
      virtual: false,
      image: "alice/rpi:latest",
      booted: false,
      ip: "192.168.152.11",
      mac: "52:54:00:00:00:11",
      config: { netsetup: 1, "stub.name": "rpi1" },
    });
  });

  test("the image is the full name and booted comes from the live boot state", async () => {
    const { nodes: list } = await nodes("?name=vnode1");
    expect(list[0]?.image).toBe("waltplatform/pc-x86-64-default:latest");
    expect(list[0]?.booted).toBe(true);
  });

  test("every string field filters by exact value", async () => {
    expect((await nodes("?name=vnode2")).num_nodes).toBe(1);
    expect((await nodes("?model=rpi-3-b")).nodes.map((n) => n.name)).toEqual(["rpi1"]);
    expect((await nodes("?image=alice/pc:latest")).nodes.map((n) => n.name)).toEqual(["vnode2"]);
    expect((await nodes("?ip=192.168.152.10")).nodes.map((n) => n.name)).toEqual(["vnode1"]);
    expect((await nodes("?mac=52:54:00:00:00:11")).nodes.map((n) => n.name)).toEqual(["rpi1"]);
    expect((await nodes("?name=vnode")).num_nodes).toBe(0);
  });

  test("boolean filters are JSON-decoded and their partitions sum to the total", async () => {
    const total = (await nodes()).num_nodes;
    const on = await nodes("?booted=true");
    const off = await nodes("?booted=false");
    expect(on.nodes.map((n) => n.name)).toEqual(["vnode1"]);
    expect(on.num_nodes + off.num_nodes).toBe(total);
    const virt = await nodes("?virtual=1");
    const phys = await nodes("?virtual=0");
    expect(phys.nodes.map((n) => n.name)).toEqual(["rpi1"]);
    expect(virt.num_nodes + phys.num_nodes).toBe(total);
  });

  test("filters combine, and an empty value is ignored", async () => {
    expect((await nodes("?virtual=true&booted=false")).nodes.map((n) => n.name)).toEqual(["vnode2"]);
    expect((await nodes("?booted=&name=")).num_nodes).toBe(3);
  });

  test("config cannot be filtered on, nor can an unknown field", async () => {
    for (const field of ["config", "owner"]) {
      const r = await get(env, `/api/v1/nodes?${field}=x`, { Prefer: "errors=text-only" });
      expect(r.status).toBe(400);
      expect(r.text).toBe(`'${field}' is not a valid filtering field.\n`);
    }
  });

  test("a boolean filter that is not JSON is refused", async () => {
    const r = await get(env, "/api/v1/nodes?booted=yes", { Prefer: "errors=json" });
    expect(r.status).toBe(400);
    expect(r.text).toBe(`{"error": "cannot interpret 'yes' as a 'bool'.", "status_code": 400}`);
  });

  test("no node at all gives an empty list", async () => {
    const empty = await testEnv();
    try {
      const r = await get(empty, "/api/v1/nodes");
      expect(r.body).toEqual({ num_nodes: 0, nodes: [] });
    } finally {
      await empty.close();
    }
  });
});
