import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openDb, type Db } from "../db/db.ts";
import { ImageRepo } from "./repo.ts";

const D = "sha256:" + "a".repeat(64);
let db: Db;
beforeEach(async () => {
  db = await openDb({ kind: "sqlite", path: ":memory:" });
});
afterEach(async () => {
  await db.close();
});

describe("ImageRepo", () => {
  test("put inserts then updates a row, get and all read it back", async () => {
    const repo = new ImageRepo(db);
    await repo.put({ fullname: "alice/a:latest", digest: null, models: [], createdUs: 1 });
    await repo.put({ fullname: "alice/a:latest", digest: D, models: ["rpi-b"], createdUs: 2 });
    expect(await repo.get("alice/a:latest")).toEqual({ fullname: "alice/a:latest", digest: D, models: ["rpi-b"], createdUs: 2 });
    expect(await repo.all()).toHaveLength(1);
    expect(await repo.get("alice/none:latest")).toBeUndefined();
  });

  test("cloneTag copies digest and models, and an unknown source gives an empty record", async () => {
    const repo = new ImageRepo(db);
    await repo.put({ fullname: "waltplatform/rpi-default:latest", digest: D, models: ["rpi-b"], createdUs: 5 });
    await repo.cloneTag("waltplatform/rpi-default:latest", "alice/rpi-default:latest", 9);
    await repo.cloneTag("waltplatform/missing:latest", "alice/missing:latest", 9);
    expect(await repo.get("alice/rpi-default:latest")).toEqual({ fullname: "alice/rpi-default:latest", digest: D, models: ["rpi-b"], createdUs: 5 });
    expect(await repo.get("alice/missing:latest")).toEqual({ fullname: "alice/missing:latest", digest: null, models: [], createdUs: 9 });
  });

  test("remove deletes a row and says whether it existed", async () => {
    const repo = new ImageRepo(db);
    await repo.put({ fullname: "alice/a:latest", digest: D, models: [], createdUs: 1 });
    expect(await repo.remove("alice/a:latest")).toBe(true);
    expect(await repo.remove("alice/a:latest")).toBe(false);
    expect(await repo.all()).toEqual([]);
  });
});
