import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, linkSync, lutimesSync, mkdirSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, zstdDecompressSync } from "node:zlib";
import { tempDir } from "../../../test/helpers/tmp.ts";
import { DirBlobSink, digestHex, type BlobSink } from "./blob-sink.ts";
import { readLayer } from "./layer-reader.ts";
import { writeLayer } from "./layer-writer.ts";

const T = new Date("2024-05-01T12:00:00Z");
const isRoot = process.getuid?.() === 0;

/** A small tree; `reversed` creates the same entries in the opposite order (different readdir order on disk). */
function makeTree(root: string, reversed = false): void {
  const steps: (() => void)[] = [
    () => mkdirSync(join(root, "etc/walt"), { recursive: true }),
    () => writeFileSync(join(root, "etc/hostname"), "node\n"),
    () => writeFileSync(join(root, "etc/walt/a.conf"), "a=1\n"),
    () => mkdirSync(join(root, "bin"), { recursive: true }),
    () => writeFileSync(join(root, "bin/busybox"), Buffer.alloc(300_000, 7)),
    () => symlinkSync("busybox", join(root, "bin/sh")),
  ];
  for (const s of reversed ? [...steps].reverse() : steps) {
    try {
      s();
    } catch {
      // reversed order: a file before its folder; create the folder and retry
      mkdirSync(join(root, "etc/walt"), { recursive: true });
      mkdirSync(join(root, "bin"), { recursive: true });
      s();
    }
  }
  for (const p of ["etc/hostname", "etc/walt/a.conf", "bin/busybox", "etc/walt", "etc", "bin"]) utimesSync(join(root, p), T, T);
  lutimesSync(join(root, "bin/sh"), T, T);
}

async function spawnOk(cmd: string[]): Promise<void> {
  const p = Bun.spawn(cmd, { stderr: "pipe" });
  if ((await p.exited) !== 0) throw new Error(`${cmd.join(" ")}: ${await new Response(p.stderr).text()}`);
}

describe("layer writer", () => {
  test("the same tree gives the same digest and diffId, whatever the order its files were created in", async () => {
    using d = tempDir();
    makeTree(join(d.path, "a"));
    makeTree(join(d.path, "b"), true);
    const sink = new DirBlobSink(join(d.path, "layout"));
    const a = await writeLayer(join(d.path, "a"), sink);
    const again = await writeLayer(join(d.path, "a"), sink);
    const b = await writeLayer(join(d.path, "b"), sink);
    expect(again).toEqual(a);
    expect(b).toEqual(a);
    expect(a.mediaType).toBe("application/vnd.oci.image.layer.v1.tar+gzip");
  });

  test("diffId is the sha256 of the uncompressed tar and digest that of the blob, for gzip, zstd and none", async () => {
    using d = tempDir();
    makeTree(join(d.path, "t"));
    const sink = new DirBlobSink(join(d.path, "layout"));
    const decoders = { gzip: gunzipSync, zstd: zstdDecompressSync, none: (b: Buffer) => b };
    const diffIds = new Set<string>();
    for (const compression of ["gzip", "zstd", "none"] as const) {
      const layer = await writeLayer(join(d.path, "t"), sink, { compression });
      const blob = readFileSync(sink.path(layer.digest));
      expect(blob.byteLength).toBe(layer.size);
      expect(createHash("sha256").update(blob).digest("hex")).toBe(digestHex(layer.digest));
      const tarBytes = decoders[compression](blob);
      expect(`sha256:${createHash("sha256").update(tarBytes).digest("hex")}`).toBe(layer.diffId);
      expect(layer.mediaType.endsWith(compression === "none" ? ".tar" : `+${compression}`)).toBe(true);
      diffIds.add(layer.diffId);
    }
    expect(diffIds.size).toBe(1);
  });

  test("modes, owners, mtimes, symlinks, hard links, fifos and devices are kept; entries are sorted", async () => {
    using d = tempDir();
    const root = join(d.path, "t");
    mkdirSync(join(root, "usr/bin"), { recursive: true });
    mkdirSync(join(root, "dev"));
    mkdirSync(join(root, "tmp"));
    chmodSync(join(root, "tmp"), 0o1777);
    writeFileSync(join(root, "usr/bin/su"), "#!/bin/sh\n");
    chmodSync(join(root, "usr/bin/su"), 0o4755);
    writeFileSync(join(root, "usr/bin/secret"), "x");
    chmodSync(join(root, "usr/bin/secret"), 0o000);
    linkSync(join(root, "usr/bin/su"), join(root, "usr/bin/su2"));
    symlinkSync("/usr/bin/su", join(root, "usr/bin/abs-link"));
    await spawnOk(["mkfifo", join(root, "dev/fifo")]);
    if (isRoot) {
      await spawnOk(["mknod", join(root, "dev/null"), "c", "1", "3"]);
      await spawnOk(["mknod", join(root, "dev/loop9"), "b", "7", "9"]);
      chownSync(join(root, "usr/bin/secret"), 1234, 5678);
    }
    utimesSync(join(root, "usr/bin/su"), T, T);
    const sink = new DirBlobSink(join(d.path, "layout"));
    const layer = await writeLayer(root, sink);
    const entries = await readLayer(sink.path(layer.digest));
    const byName = new Map(entries.map((e) => [e.name, e]));
    const names = entries.map((e) => e.name);
    expect(names).toEqual([...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(byName.get("tmp/")).toMatchObject({ type: "directory", mode: 0o1777 });
    expect(byName.get("usr/bin/su")).toMatchObject({ type: "file", mode: 0o4755, mtime: T.getTime() / 1000, size: 10 });
    expect(byName.get("usr/bin/su2")).toMatchObject({ type: "link", linkname: "usr/bin/su" });
    expect(byName.get("usr/bin/secret")?.mode).toBe(0);
    expect(byName.get("usr/bin/abs-link")).toMatchObject({ type: "symlink", linkname: "/usr/bin/su" });
    expect(byName.get("dev/fifo")?.type).toBe("fifo");
    if (isRoot) {
      expect(byName.get("dev/null")).toMatchObject({ type: "character-device", devmajor: 1, devminor: 3 });
      expect(byName.get("dev/loop9")).toMatchObject({ type: "block-device", devmajor: 7, devminor: 9 });
      expect(byName.get("usr/bin/secret")).toMatchObject({ uid: 1234, gid: 5678 });
    }
  });

  test("owner and clampMtime options rewrite owners and newer mtimes; long names and large ids use PAX", async () => {
    using d = tempDir();
    const root = join(d.path, "t");
    const long = `${"d".repeat(120)}/${"f".repeat(120)}`;
    mkdirSync(join(root, "d".repeat(120)), { recursive: true });
    writeFileSync(join(root, long), "long");
    symlinkSync(`../${"x".repeat(150)}`, join(root, "long-link"));
    const sink = new DirBlobSink(join(d.path, "layout"));
    const clamp = new Date("2020-01-01T00:00:00Z");
    const layer = await writeLayer(root, sink, { owner: { uid: 300_000, gid: 0 }, clampMtime: clamp });
    const entries = await readLayer(sink.path(layer.digest));
    const file = entries.find((e) => e.name === long);
    expect(file).toMatchObject({ uid: 300_000, gid: 0, mtime: clamp.getTime() / 1000, size: 4 });
    expect(entries.find((e) => e.name === "long-link")?.linkname).toBe(`../${"x".repeat(150)}`);
  });

  test("a sink that fails mid-layer makes writeLayer reject without hanging", async () => {
    using d = tempDir();
    const root = join(d.path, "t");
    mkdirSync(root);
    for (let i = 0; i < 20; i++) writeFileSync(join(root, `f${i}`), Buffer.alloc(1_000_000, i));
    const failing: BlobSink = {
      async put(data) {
        if (!(data instanceof ReadableStream)) throw new Error("expected a stream");
        const reader = data.getReader();
        await reader.read();
        await reader.cancel();
        throw new Error("disk full");
      },
    };
    let error: unknown;
    await writeLayer(root, failing, { compression: "none" }).catch((e: unknown) => (error = e));
    expect(String(error)).toContain("disk full");
  });

  test("a directory blob sink refuses a digest mismatch and keeps nothing", async () => {
    using d = tempDir();
    const sink = new DirBlobSink(join(d.path, "layout"));
    const wrong = `sha256:${"0".repeat(64)}`;
    let error: unknown;
    await sink.put("hello", wrong).catch((e: unknown) => (error = e));
    expect(String(error)).toContain("digest mismatch");
    expect(readdirSync(sink.blobsDir)).toEqual([]);
    const ok = await sink.put(new TextEncoder().encode("hello"));
    expect(ok).toEqual({ digest: "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", size: 5 });
  });
});
