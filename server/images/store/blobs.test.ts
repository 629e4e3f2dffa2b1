import { describe, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { rejection } from "./fixtures.ts";
import { WaltError } from "../../../src/errors.ts";
import { BlobStore, digestHex, sha256Digest } from "./blobs.ts";

function stores(path: string): { blobs: BlobStore; tmp: string; oci: string } {
  const oci = join(path, "oci");
  const tmp = join(path, "tmp");
  return { blobs: new BlobStore(oci, tmp), tmp, oci };
}

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(new TextEncoder().encode(p));
      c.close();
    },
  });
}

describe("BlobStore", () => {
  test("a streamed blob is stored under its sha256 and read back", async () => {
    using dir = tempDir();
    const { blobs } = stores(dir.path);
    const r = await blobs.put(streamOf("hello ", "world"));
    expect(r).toEqual({ digest: sha256Digest("hello world"), size: 11 });
    expect(blobs.has(r.digest)).toBe(true);
    expect(blobs.size(r.digest)).toBe(11);
    expect(await new Response(blobs.get(r.digest)).text()).toBe("hello world");
    expect(blobs.list()).toEqual([r.digest]);
  });

  test("bytes and text are accepted, and a matching expected digest passes", async () => {
    using dir = tempDir();
    const { blobs } = stores(dir.path);
    const d = sha256Digest("abc");
    expect((await blobs.put("abc", d)).digest).toBe(d);
    expect((await blobs.put(new TextEncoder().encode("abc"), d)).digest).toBe(d);
    expect(blobs.list()).toEqual([d]);
  });

  test("a blob whose digest does not match is rejected and leaves nothing", async () => {
    using dir = tempDir();
    const { blobs, tmp, oci } = stores(dir.path);
    const expected = sha256Digest("something else");
    let err: unknown;
    try {
      await blobs.put(streamOf("actual content"), expected);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WaltError);
    expect((err as WaltError).code).toBe("BAD_REQUEST");
    expect((err as WaltError).message).toBe(`Blob digest mismatch: expected ${expected}, got ${sha256Digest("actual content")}.`);
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(join(oci, "blobs", "sha256"))).toEqual([]);
    expect(blobs.has(expected)).toBe(false);
  });

  test("a stream that fails midway leaves nothing", async () => {
    using dir = tempDir();
    const { blobs, tmp } = stores(dir.path);
    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new Uint8Array(10));
        c.error(new Error("connection reset"));
      },
    });
    expect((await rejection(blobs.put(failing))).message).toBe("connection reset");
    expect(readdirSync(tmp)).toEqual([]);
  });

  test("digests other than sha256:<64 hex> are refused before touching the disk", async () => {
    using dir = tempDir();
    const { blobs } = stores(dir.path);
    for (const bad of ["sha256:../../etc/passwd", "sha512:" + "a".repeat(64), "sha256:" + "A".repeat(64), "", "sha256:abc"]) {
      expect(() => blobs.path(bad)).toThrow(/Invalid digest/);
      expect(() => blobs.has(bad)).toThrow(/Invalid digest/);
    }
    expect(digestHex("sha256:" + "0".repeat(64))).toBe("0".repeat(64));
    expect((await rejection(blobs.put("x", "sha256:nope"))).message).toMatch(/Invalid digest/);
  });

  test("remove deletes a blob, missing blobs are NOT_FOUND, and stray names are not listed", async () => {
    using dir = tempDir();
    const { blobs, oci } = stores(dir.path);
    const { digest } = await blobs.put("gone soon");
    writeFileSync(join(oci, "blobs", "sha256", "not-a-digest"), "");
    blobs.remove(digest);
    blobs.remove(digest);
    expect(blobs.has(digest)).toBe(false);
    expect(blobs.list()).toEqual([]);
    expect(() => blobs.get(digest)).toThrow(/not in the image store/);
    expect(() => blobs.size(digest)).toThrow(/not in the image store/);
  });
});
