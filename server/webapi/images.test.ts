import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { localDateTime, type WebApiImage } from "./images.ts";
import { addNode, get, T0_US, testEnv, type TestEnv } from "./test-context.ts";

let env: TestEnv;
type Images = { num_images: number; images: WebApiImage[] };
const images = async (query = ""): Promise<Images> => {
  const r = await get(env, `/api/v1/images${query}`);
  expect(r.status).toBe(200);
  const body = r.body as Images;
  expect(body.num_images).toBe(body.images.length);
  return body;
};
const names = (b: Images): unknown[] => b.images.map((i) => i.fullname);

beforeEach(async () => {
  env = await testEnv();
  await env.images.put({ fullname: "waltplatform/pc-x86-64-default:latest", digest: "sha256:aa11", models: ["pc-x86-64"], createdUs: T0_US });
  await env.images.put({ fullname: "alice/pc:latest", digest: "sha256:bb22", models: ["pc-x86-64", "pc-x86-32"], createdUs: T0_US + 1_500_000 });
  await env.images.put({ fullname: "alice/empty:v1", digest: null, models: [], createdUs: T0_US });
  await addNode(env, { mac: "52:54:00:00:00:10", name: "vnode1", image: "alice/pc:latest" });
});
afterEach(() => env.close());

describe("GET /api/v1/images", () => {
  test("lists every image of every user, sorted by full name", async () => {
    expect(names(await images())).toEqual(["alice/empty:v1", "alice/pc:latest", "waltplatform/pc-x86-64-default:latest"]);
  });

  test("each entry has exactly WALT's 6 keys in WALT's order", async () => {
    const { images: list } = await images();
    for (const i of list) expect(Object.keys(i)).toEqual(["fullname", "user", "id", "in_use", "created", "compatibility"]);
    expect(list[1]).toEqual({
      fullname: "alice/pc:latest",
      user: "alice",
      id: "bb22",
      in_use: true,
      created: localDateTime(T0_US + 1_500_000),
      compatibility: ["pc-x86-64", "pc-x86-32"],
    });
    expect(list[0]?.id).toBe("");
  });

  test("created is the local time to the second", () => {
    const d = new Date(2024, 0, 2, 3, 4, 5, 678);
    expect(localDateTime(d.getTime() * 1000 + 999)).toBe("2024-01-02 03:04:05");
  });

  test("fullname, user and id filter by exact value", async () => {
    expect(names(await images("?fullname=alice/pc:latest"))).toEqual(["alice/pc:latest"]);
    expect(names(await images("?user=waltplatform"))).toEqual(["waltplatform/pc-x86-64-default:latest"]);
    expect(names(await images("?id=aa11"))).toEqual(["waltplatform/pc-x86-64-default:latest"]);
    expect((await images("?user=alic")).num_images).toBe(0);
  });

  test("in_use partitions the images", async () => {
    const total = (await images()).num_images;
    const used = await images("?in_use=true");
    const unused = await images("?in_use=false");
    expect(names(used)).toEqual(["alice/pc:latest"]);
    expect(used.num_images + unused.num_images).toBe(total);
  });

  test("refresh is accepted as a boolean and does not filter", async () => {
    expect((await images("?refresh=true")).num_images).toBe(3);
    expect((await images("?refresh=false&user=alice")).num_images).toBe(2);
  });

  test("refresh must be a boolean, even empty", async () => {
    for (const [q, msg] of [["yes", "cannot interpret 'yes' as a 'bool'."], ["", "cannot interpret '' as a 'bool'."]]) {
      const r = await get(env, `/api/v1/images?user=alice&refresh=${q}`, { Prefer: "errors=text-only" });
      expect(r.status).toBe(400);
      expect(r.text).toBe(`${msg}\n`);
    }
  });

  test("created and compatibility are not filtering fields", async () => {
    const r = await get(env, "/api/v1/images?created=x", { Prefer: "errors=text-only" });
    expect(r.status).toBe(400);
    expect(r.text).toBe("'created' is not a valid filtering field.\n");
  });
});
