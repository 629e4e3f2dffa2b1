import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { manualClock } from "../../../src/clock.ts";
import { silentLogger } from "../../../src/log.ts";
import { WaltError } from "../../../src/errors.ts";
import { openDb, type Db } from "../../db/db.ts";
import { ImageRepo } from "../repo.ts";
import { dir, file, layerOf, requireTool, storeImage, type FixtureLayer } from "./fixtures.ts";
import { REF_NAME, writeLayout } from "./layout.ts";
import { MediaType } from "./oci.ts";
import { ImageStore } from "./store.ts";

const T0 = 1_700_000_000_000_000;
let db: Db;
let data: { path: string; [Symbol.dispose](): void };
const open = (): Promise<ImageStore> => ImageStore.open(data.path, db, silentLogger, manualClock(T0));
/** A second store (the source of a layout to import), its database closed after the test. */
const extraDbs: Db[] = [];
async function otherStore(dir: string): Promise<ImageStore> {
  const other = await openDb({ kind: "sqlite", path: ":memory:" });
  extraDbs.push(other);
  return ImageStore.open(dir, other, silentLogger, manualClock(T0));
}
const blobDir = (): string => join(data.path, "images", "oci", "blobs", "sha256");

beforeEach(async () => {
  db = await openDb({ kind: "sqlite", path: ":memory:" });
  data = tempDir();
});
afterEach(async () => {
  await db.close();
  for (const d of extraDbs.splice(0)) await d.close();
  data[Symbol.dispose]();
});

async function errorOf(p: Promise<unknown>): Promise<WaltError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WaltError) return e;
    throw e;
  }
  throw new Error("expected a WaltError");
}

describe("ImageStore", () => {
  test("a tag records digest, models and created time, is listed in index.json, and untag removes it", async () => {
    const store = await open();
    const img = await storeImage(store.blobs, [await layerOf([file("a", "a")])], { "walt.node.models": "rpi-b,pc-x86-64" });
    await store.tag("alice/img", img.digest);
    expect(await store.resolve("alice/img:latest")).toBe(img.digest);
    expect(await new ImageRepo(db).get("alice/img:latest")).toEqual({ fullname: "alice/img:latest", digest: img.digest, models: ["rpi-b", "pc-x86-64"], createdUs: T0 + 500_000 });
    expect(await store.list()).toEqual([{ fullname: "alice/img:latest", digest: img.digest, models: ["rpi-b", "pc-x86-64"], createdUs: T0 + 500_000 }]);
    const index = JSON.parse(readFileSync(join(data.path, "images", "oci", "index.json"), "utf8")) as { manifests: unknown[] };
    expect(index.manifests).toEqual([{ mediaType: MediaType.ociManifest, digest: img.digest, size: img.bytes.length, annotations: { [REF_NAME]: "alice/img:latest" } }]);
    expect((await store.config(img.digest)).config?.Labels?.["walt.node.models"]).toBe("rpi-b,pc-x86-64");
    expect(await store.untag("alice/img:latest")).toBe(true);
    expect(await store.untag("alice/img:latest")).toBe(false);
    expect(await store.resolve("alice/img:latest")).toBeUndefined();
    expect(readFileSync(join(data.path, "images", "oci", "index.json"), "utf8")).not.toContain(img.digest);
  });

  test("a manifest or tag whose blobs are missing is refused, and no tag appears", async () => {
    const store = await open();
    const img = await storeImage(store.blobs, [await layerOf([file("a", "a")])]);
    const layer = img.layers[0]?.digest ?? "";
    store.blobs.remove(layer);
    const e1 = await errorOf(store.putManifest(img.bytes));
    expect([e1.code, e1.message]).toEqual(["PRECONDITION", `Blob ${layer} of the image manifest is not in the image store.`]);
    expect((await errorOf(store.tag("alice/img:latest", img.digest))).code).toBe("PRECONDITION");
    expect((await errorOf(store.tag("alice/img:latest", "sha256:" + "9".repeat(64)))).code).toBe("NOT_FOUND");
    expect((await errorOf(store.tag("no-slash", img.digest))).message).toBe("Invalid image fullname 'no-slash'.");
    expect(await store.list()).toEqual([]);
  });

  test("two images sharing a base layer store it once", async () => {
    const store = await open();
    const baseLayer = await layerOf([dir("usr"), file("usr/big", randomBytes(100_000).toString("hex"))]);
    const a = await storeImage(store.blobs, [baseLayer, await layerOf([file("a", "only in a")])]);
    const b = await storeImage(store.blobs, [baseLayer, await layerOf([file("b", "only in b")])], { "walt.node.models": "rpi-b" });
    await store.tag("alice/a:latest", a.digest);
    await store.tag("alice/b:latest", b.digest);
    expect(a.layers[0]?.digest).toBe(b.layers[0]?.digest ?? "");
    const own = async (i: typeof a): Promise<number> => i.bytes.length + (await store.manifest(i.digest)).config.size + (i.layers[1]?.size ?? 0);
    const expected = baseLayer.bytes.length + (await own(a)) + (await own(b));
    expect(store.diskUsage()).toBe(expected);
    expect(readdirSync(blobDir())).toHaveLength(7);
    expect(baseLayer.bytes.length).toBeGreaterThan(100_000);
  });

  test("a root filesystem is unpacked once, concurrent callers sharing the unpack", async () => {
    const store = await open();
    const img = await storeImage(store.blobs, [await layerOf([dir("etc"), file("etc/hostname", "node\n")])]);
    await store.tag("alice/img:latest", img.digest);
    const [p1, p2] = await Promise.all([store.rootfs(img.digest), store.rootfs(img.digest)]);
    expect(p1).toBe(p2);
    expect(p1).toBe(join(data.path, "images", "rootfs", img.digest.slice("sha256:".length)));
    writeFileSync(join(p1, "marker"), "kept");
    expect(await store.rootfs(img.digest)).toBe(p1);
    expect(readFileSync(join(p1, "marker"), "utf8")).toBe("kept");
    expect(readFileSync(join(p1, "etc/hostname"), "utf8")).toBe("node\n");
    expect(readdirSync(join(data.path, "images", "tmp"))).toEqual([]);
  });

  test("a refused layer names the tagged image and leaves no rootfs", async () => {
    const store = await open();
    const img = await storeImage(store.blobs, [await layerOf([file("../escape", "x")])]);
    await store.tag("alice/bad:v1", img.digest);
    const e = await errorOf(store.rootfs(img.digest));
    expect(e.message).toBe("Refusing layer entry '../escape' of image alice/bad:v1: its path leaves the image root.");
    expect(readdirSync(join(data.path, "images", "rootfs"))).toEqual([]);
  });

  test("gc removes what no tag references, keeping shared layers", async () => {
    const store = await open();
    const shared = await layerOf([file("shared", "s")]);
    const a = await storeImage(store.blobs, [shared, await layerOf([file("a", "a")])]);
    const b = await storeImage(store.blobs, [shared, await layerOf([file("b", "b")])]);
    await store.tag("alice/a:latest", a.digest);
    await store.tag("alice/b:latest", b.digest);
    await store.rootfs(a.digest);
    await store.rootfs(b.digest);
    await store.untag("alice/b:latest");
    expect(await store.hold(() => store.gc())).toEqual({ blobs: 0, rootfs: 0 });
    expect(await store.gc()).toEqual({ blobs: 3, rootfs: 1 }); // b's manifest, config and own layer
    expect(store.blobs.has(shared.diffId)).toBe(false); // (diff ids are not blobs)
    expect(store.blobs.list().sort()).toEqual([a.digest, ...a.layers.map((l) => l.digest), (await store.manifest(a.digest)).config.digest].sort());
    expect(readdirSync(join(data.path, "images", "rootfs"))).toEqual([a.digest.slice(7)]);
  });

  test("after a crash mid-clone or mid-unpack, reopening leaves a consistent store and the clone can be re-run", async () => {
    const layers: FixtureLayer[] = [await layerOf([file("kept", "k")]), await layerOf([file("partial", "p")])];
    const store = await open();
    const kept = await storeImage(store.blobs, [layers[0] as FixtureLayer]);
    await store.tag("alice/kept:latest", kept.digest);
    await store.rootfs(kept.digest);
    // The crash: a half-written blob and a half-unpacked tree in tmp, blobs of an untagged clone, an orphan rootfs.
    const tmp = join(data.path, "images", "tmp");
    writeFileSync(join(tmp, "blob-0123456789abcdef"), "half a layer");
    mkdirSync(join(tmp, "unpack-XYZ", "usr"), { recursive: true });
    const orphan = await storeImage(store.blobs, [layers[1] as FixtureLayer]);
    mkdirSync(join(data.path, "images", "rootfs", orphan.digest.slice(7)));
    const reopened = await open();
    expect(readdirSync(tmp)).toEqual([]);
    expect(reopened.blobs.has(orphan.digest)).toBe(false);
    expect(readdirSync(join(data.path, "images", "rootfs"))).toEqual([kept.digest.slice(7)]);
    expect(await reopened.gc()).toEqual({ blobs: 0, rootfs: 0 });
    expect(readFileSync(join(await reopened.rootfs(kept.digest), "kept"), "utf8")).toBe("k");
    // Re-running the clone works.
    const again = await storeImage(reopened.blobs, [layers[1] as FixtureLayer]);
    await reopened.tag("alice/partial:latest", again.digest);
    expect(readFileSync(join(await reopened.rootfs(again.digest), "partial"), "utf8")).toBe("p");
  });

  test("importLayout copies a layout's images (verifying blobs) and returns their ref names", async () => {
    const store = await open();
    using src = tempDir();
    const other = await otherStore(src.path);
    const x = await storeImage(other.blobs, [await layerOf([file("x", "x")])]);
    const y = await storeImage(other.blobs, [await layerOf([file("y", "y")])]);
    const layout = join(src.path, "images", "oci");
    const entry = (fullname: string, i: typeof x): { fullname: string; digest: string; size: number; mediaType: string } => ({ fullname, digest: i.digest, size: i.bytes.length, mediaType: MediaType.ociManifest });
    await writeLayout(layout, [entry("bob/x:latest", x), entry("bob/y:1", y)], join(src.path, "images", "tmp"));
    expect(await store.importLayout(layout, "bob/y:1")).toEqual([{ fullname: "bob/y:1", digest: y.digest }]);
    expect(store.blobs.has(x.digest)).toBe(false);
    expect((await store.importLayout(layout)).map((r) => r.fullname)).toEqual(["bob/x:latest", "bob/y:1"]);
    expect(store.blobs.has(x.digest)).toBe(true);
    expect((await errorOf(store.importLayout(layout, "bob/z:latest"))).message).toBe(`No image named 'bob/z:latest' in the OCI layout ${layout}.`);
  });

  test("a tampered layout blob is refused and not stored", async () => {
    const store = await open();
    using src = tempDir();
    const other = await otherStore(src.path);
    const x = await storeImage(other.blobs, [await layerOf([file("x", "x")])]);
    const layerDigest = x.layers[0]?.digest ?? "";
    writeFileSync(other.blobs.path(layerDigest), "tampered");
    const layout = join(src.path, "images", "oci");
    await writeLayout(layout, [{ fullname: "bob/x:latest", digest: x.digest, size: x.bytes.length, mediaType: MediaType.ociManifest }], join(src.path, "images", "tmp"));
    const e = await errorOf(store.importLayout(layout));
    expect(e.message).toStartWith(`Blob digest mismatch: expected ${layerDigest}, got sha256:`);
    expect(store.blobs.has(layerDigest)).toBe(false);
    expect(store.blobs.has(x.digest)).toBe(false);
    expect(existsSync(join(data.path, "images", "tmp")) && readdirSync(join(data.path, "images", "tmp"))).toEqual([]);
  });

  test("umoci lists the store's tags, and a layout built by umoci imports, tags and unpacks", async () => {
    const umoci = requireTool("umoci", "umoci");
    const store = await open();
    const img = await storeImage(store.blobs, [await layerOf([file("a", "a")])]);
    await store.tag("alice/img:v2", img.digest);
    const ls = Bun.spawnSync([umoci, "ls", "--layout", join(data.path, "images", "oci")], { stderr: "pipe" });
    expect([ls.exitCode, ls.stdout.toString(), ls.stderr.toString()]).toEqual([0, "alice/img:v2\n", ""]);
    using src = tempDir();
    const layout = join(src.path, "layout");
    const image = `${layout}:bob/base:latest`;
    mkdirSync(join(src.path, "ins"));
    writeFileSync(join(src.path, "ins", "motd"), "from umoci\n");
    for (const args of [["init", "--layout", layout], ["new", "--image", image], ["config", "--image", image, "--config.label", "walt.node.models=qemu-arm"], ["insert", "--image", image, join(src.path, "ins"), "/etc"]]) {
      const p = Bun.spawnSync([umoci, ...args], { stderr: "pipe" });
      expect([args[0], p.exitCode, p.stderr.toString()]).toEqual([args[0], 0, ""]);
    }
    const [imported] = await store.importLayout(layout);
    expect(imported?.fullname).toBe("bob/base:latest");
    await store.tag("bob/base:latest", imported?.digest ?? "");
    expect((await store.list()).find((i) => i.fullname === "bob/base:latest")?.models).toEqual(["qemu-arm"]);
    expect(readFileSync(join(await store.rootfs(imported?.digest ?? ""), "etc", "motd"), "utf8")).toBe("from umoci\n");
  });
});
